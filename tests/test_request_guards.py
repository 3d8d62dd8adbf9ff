"""A NUL character in a query parameter is refused with a clear 400 on pages and in the API, never a server error."""

import pytest

from observatory.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_the_audit_filter_is_refused_naming_the_parameter(client, user_with_role):
    client.force_login(user_with_role(Role.ADMIN))
    assert client.get("/audit/", {"action": "login"}).status_code == 200

    response = client.get("/audit/", {"action": "\x00"})

    # In Spanish, the site's language unless the reader chose English.
    assert response.status_code == 400
    assert "El parámetro «action» contiene un carácter NUL" in response.content.decode()


def test_a_nul_character_on_a_public_page_and_in_the_api_is_a_400(client):
    assert client.get("/indicators/", {"unit": "01\x00"}).status_code == 400
    response = client.get("/api/v1/indicators/monthly/", {"level": "\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character" and response.json()["extra"] == {"parameter": "level"}
