"""The indicators through the public API: series with their months, vintages, undercount estimates, alerts."""

from datetime import date

import pytest

from observatory.accounts.roles import Role
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from tests.factories import UserFactory
from tests.indicators.conftest import country, record, victim  # noqa: F401

pytestmark = pytest.mark.django_db
MONTHLY = "/api/v1/indicators/monthly/"


def test_a_series_with_its_months_and_figures(client, country):  # noqa: F811
    for day in (3, 9, 21):
        record(source="police", on=date(2024, 1, day), municipality=country["mixco"])
    record(source="police", on=date(2024, 3, 2), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.FULL)
    body = client.get(
        MONTHLY,
        {
            "level": "municipality",
            "unit": "0108",
            "category": "homicide",
            "basis": "police",
            "month_from": "2024-01",
            "month_to": "2024-02",
            "count": "true",
        },
    ).json()
    assert body["count"] == 1
    series = body["results"][0]
    assert (series["unit_code"], series["unit_name"], series["sex"], series["age_band"]) == ("0108", "Mixco", "", "")
    assert [month["month"] for month in series["months"]] == ["2024-01", "2024-02"]
    january = series["months"][0]
    assert january["count"] == 3 and january["population"] == 126_500
    assert january["rate"] == pytest.approx(3 / 126_500 * 100_000)
    assert january["rate_low"] < january["rate"] < january["rate_high"] and january["unstable"] is True


def test_the_public_sees_small_counts_of_protected_series_as_less_than_five_analysts_see_them(client, country):  # noqa: F811
    record(source="police", on=date(2024, 1, 3), municipality=country["palin"], category="sexual_violence")
    vintage_now(kind=Vintage.Kind.FULL)
    query = {"level": "municipality", "unit": "0503", "category": "sexual_violence", "basis": "police"}
    public = client.get(MONTHLY, query).json()["results"][0]["months"][0]
    assert public["count"] == "<5" and public["rate"] is None and public["suppressed"] == "primary"
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get(MONTHLY, query).json()["results"][0]["months"][0]["count"] == 1


def test_an_earlier_vintage_is_still_served(client, country):  # noqa: F811
    record(source="police", on=date(2024, 1, 3), municipality=country["mixco"])
    first = vintage_now(kind=Vintage.Kind.FULL)
    record(source="police", on=date(2024, 1, 4), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.INCREMENTAL)
    query = {"level": "municipality", "unit": "0108", "category": "homicide", "basis": "police"}
    assert client.get(MONTHLY, query).json()["results"][0]["months"][0]["count"] == 2
    assert client.get(MONTHLY, {**query, "vintage": first.pk}).json()["results"][0]["months"][0]["count"] == 1
    assert client.get(MONTHLY, {**query, "vintage": 999_999}).status_code == 404
    vintages = client.get("/api/v1/indicators/vintages/").json()["results"]
    assert [vintage["kind"] for vintage in vintages][:2] == ["incremental", "full"]


def test_alerts_are_for_commanders_and_undercount_estimates_are_public(client, country):  # noqa: F811
    for month in (1, 12):
        victim(
            record(source="police", on=date(2024, month, 3), municipality=country["mixco"]),
            record(source="coroner", on=date(2024, month, 3), municipality=country["mixco"]),
        )
    vintage_now(kind=Vintage.Kind.FULL)
    assert client.get("/api/v1/indicators/alerts/").status_code in (401, 403)
    estimates = client.get("/api/v1/indicators/undercount/", {"level": "department", "unit": "01"}).json()["results"]
    assert [(row["year"], row["status"], row["observed"], row["reason_code"]) for row in estimates] == [
        (2024, "refused", 2, "empty_list")
    ]
    client.force_login(UserFactory(role=Role.COMMANDER))
    assert client.get("/api/v1/indicators/alerts/").json()["count"] == 0
