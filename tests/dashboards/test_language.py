import re

import pytest
from django.urls import reverse
from django.utils import timezone

from observatory.accounts.roles import Role
from observatory.accounts.services import audit_record

pytestmark = pytest.mark.django_db


def test_pages_are_spanish_by_default_whatever_the_browser_asks(client):
    page = client.get(reverse("dashboards:geography"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="es">' in page
    assert "Geografía del observatorio" in page
    assert "Iniciar sesión" in page


def test_the_language_switch_turns_pages_english_and_goes_back_to_the_page(client):
    answer = client.get(reverse("set_language"), {"language": "en", "next": "/geography/?level=department"})

    assert answer.status_code == 302 and answer["Location"] == "/geography/?level=department"
    page = client.get(reverse("dashboards:geography")).content.decode()
    assert '<html lang="en">' in page
    assert "Geography of the observatory" in page


@pytest.mark.parametrize("elsewhere", ["https://example.org/", "//example.org/", "javascript:alert(1)"])
def test_the_language_switch_never_sends_the_reader_to_another_site(client, elsewhere):
    answer = client.get(reverse("set_language"), {"language": "en", "next": elsewhere})

    assert answer.status_code == 302 and answer["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    answer = client.get(reverse("set_language"), {"language": "fr", "next": "/"})

    assert answer.status_code == 302 and "django_language" not in answer.cookies


def test_the_language_switch_is_a_get_form_so_that_public_pages_ask_for_no_csrf_cookie(client):
    page = client.get(reverse("dashboards:geography"))

    assert 'class="inline language-switch"' in page.content.decode() and 'method="get"' in page.content.decode()
    assert "csrftoken" not in page.cookies


def test_dates_are_day_month_year_in_spanish(client, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    audit_record(actor=analyst, action="mapping.changed")
    client.force_login(analyst)

    page = client.get(reverse("dashboards:audit-log")).content.decode()

    today = timezone.localtime().strftime("%d/%m/%Y")
    assert re.search(rf"<td>{today} \d\d:\d\d</td>", page), "the audit date is not shown as dd/mm/yyyy hh:mm"


def test_api_errors_follow_the_chosen_language(client):
    spanish = client.get("/api/v1/audit-events/").json()["message"]
    client.get(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get("/api/v1/audit-events/").json()["message"]

    assert spanish == "Las credenciales de autenticación no se proveyeron."
    assert english == "Authentication credentials were not provided."


def test_a_refused_or_missing_page_says_why_in_the_site_s_layout_and_language(client, user_with_role):
    client.force_login(user_with_role(Role.COMMANDER))

    refused = client.get("/imports/")
    missing = client.get("/no-existe/")

    assert refused.status_code == 403
    assert "Su cuenta (Mando policial) no puede abrir esta página" in refused.content.decode()
    assert missing.status_code == 404
    assert "No hay ninguna página en esta dirección" in missing.content.decode()
    assert 'class="site-nav"' in refused.content.decode() and 'class="site-nav"' in missing.content.decode()
