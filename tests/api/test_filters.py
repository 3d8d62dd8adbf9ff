"""Filter values that Python reads but PostgreSQL or a date refuses are answered 400 in the API's error shape, or
read in a form the database takes, never with a server error (schemathesis found both)."""

import pytest
from rest_framework.authtoken.models import Token

from observatory.accounts.roles import Role


@pytest.fixture
def analyst_client(client, user_with_role):
    token = Token.objects.create(user=user_with_role(Role.ANALYST))
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


@pytest.mark.django_db
def test_a_moment_with_an_offset_postgresql_refuses_is_read_in_utc(analyst_client):
    answer = analyst_client.get("/api/v1/audit-events/", {"until": "3147-12-21T14:39:09-22:33"})
    assert answer.status_code == 200


@pytest.mark.django_db
def test_a_moment_beyond_the_year_9999_in_utc_is_refused(analyst_client):
    answer = analyst_client.get("/api/v1/audit-events/", {"since": "9999-12-31T23:00:00-05:00"})
    assert answer.status_code == 400
    assert answer.json()["extra"]["fields"]["since"] == ["Escriba un momento entre los años 1 y 9999."]


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["71871577470125820", "2023.5", "0"])
def test_a_year_outside_a_dates_range_or_not_whole_is_refused(client, year):
    answer = client.get("/api/v1/open-data/victims/", {"year": year})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert "year" in answer.json()["extra"]["fields"]
