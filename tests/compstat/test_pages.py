from datetime import timedelta

import pytest
from django.urls import reverse

from observatory.accounts.roles import Role
from observatory.compstat.models import StoredResult
from tests.factories import PASSWORD

from .conftest import CUTOFF

pytestmark = pytest.mark.django_db


def _period(response, code: str) -> dict:
    return next(period for period in response.context["periods"] if period["code"] == code)


def _row(period: dict, category: str) -> dict:
    return next(row for row in period["rows"] if row["category"] == category)


@pytest.fixture
def commander(user_with_role, built):
    user = user_with_role(Role.COMMANDER)
    user.jurisdictions.add(built["norte"])
    return user


def test_a_commander_lands_on_compstat_after_logging_in(client, commander):
    response = client.post(reverse("login"), {"username": commander.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("compstat:page")


def test_an_analyst_still_lands_on_the_portal(client, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    response = client.post(reverse("login"), {"username": analyst.username, "password": PASSWORD})
    assert response["Location"] == reverse("dashboards:home")


def test_the_commanders_page_opens_on_their_jurisdiction_at_the_police_cutoff_not_today(client, commander):
    client.force_login(commander)
    response = client.get(reverse("compstat:page"))
    assert response.status_code == 200
    assert response.context["end"] == CUTOFF
    assert response.context["form"].cleaned_data["jurisdiction"] == commander.jurisdictions.get().pk
    robbery = _row(_period(response, "7d"), "robbery")
    assert robbery["count"] == 10
    assert robbery["previous"]["count"] == 2
    assert robbery["previous"]["significant"]
    assert robbery["rate"] == pytest.approx(100_000 * 10 / 25_000)
    assert _row(_period(response, "28d"), "robbery")["last_year"]["count"] == 1
    assert "α = 0,05" in response.content.decode()


def test_filters_change_the_counts(client, commander, built):
    client.force_login(commander)
    url = reverse("compstat:page")
    night = client.get(url, {"jurisdiction": built["norte"].pk, "category": "robbery", "hour_band": "night"})
    assert _row(_period(night, "28d"), "_total")["count"] == 12
    morning = client.get(url, {"jurisdiction": built["norte"].pk, "category": "robbery", "hour_band": "morning"})
    assert _row(_period(morning, "28d"), "_total")["count"] == 0
    knives = client.get(url, {"jurisdiction": built["norte"].pk, "weapon": "sharp_object"})
    assert _row(_period(knives, "28d"), "_total")["count"] == 2
    everywhere = client.get(url, {"jurisdiction": ""})
    assert _row(_period(everywhere, "28d"), "_total")["count"] == 16
    rates = {
        row["name"]: (row["month"], row["month_rate"], row["year"]) for row in everywhere.context["by_jurisdiction"]
    }
    assert rates == {"Norte": (12, 48.0, 12), "Sur": (4, 16.0, 4)}
    earlier = client.get(url, {"jurisdiction": "", "end": (CUTOFF - timedelta(days=7)).isoformat()})
    assert _row(_period(earlier, "7d"), "_total")["count"] == 2 + 1  # two robberies and a homicide


def test_the_tables_are_stored_per_data_version_and_reused(client, commander, built):
    client.force_login(commander)
    client.get(reverse("compstat:page"), {"category": "homicide"})
    stored = StoredResult.objects.filter(version=built["version"]).count()
    client.get(reverse("compstat:page"), {"category": "homicide"})
    assert StoredResult.objects.filter(version=built["version"]).count() == stored
    assert StoredResult.objects.exclude(version=built["version"]).count() == 0


def test_the_map_counts_cells_far_out_and_shows_points_close_in(client, commander, settings):
    client.force_login(commander)
    url = reverse("api-v1:compstat-map-list")
    period = {"first": (CUTOFF - timedelta(days=27)).isoformat(), "last": CUTOFF.isoformat()}
    settings.COMPSTAT_MAP_POINTS_MAX = 5
    far = client.get(url, {"bbox": "-91,14,-90,15", "zoom": 9, **period}).json()
    assert far["mode"] == "cells"
    assert sum(cell["count"] for cell in far["cells"]) == 16
    near = client.get(url, {"bbox": "-90.52,14.6,-90.5,14.7", "zoom": 15, **period}).json()
    assert near["mode"] == "points"
    assert len(near["points"]) == 4
    night = client.get(url, {"bbox": "-91,14,-90,15", "zoom": 9, "hour_band": "night", **period}).json()
    assert sum(item["count"] for item in night.get("cells", [])) + len(night.get("points", [])) == 12
    detail = client.get(reverse("api-v1:compstat-incident-detail", args=[near["points"][0]["id"]])).json()
    assert set(detail) == {
        "record_id",
        "incident_number",
        "day",
        "time",
        "category",
        "category_label",
        "weapon",
        "weapon_label",
        "place_type",
        "place_type_label",
    }
    assert detail["incident_number"].startswith("INC-2024-")
    assert client.get(url, {"bbox": "west", "zoom": 9}).status_code == 400


@pytest.mark.parametrize("role", [None, Role.PUBLIC, Role.SOURCE_UPLOADER])
def test_the_public_and_uploaders_are_refused_everywhere(client, user_with_role, built, role):
    if role:
        client.force_login(user_with_role(role))
    for url in (reverse("compstat:page"), reverse("compstat:reports"), reverse("indicators:alerts")):
        response = client.get(url)
        assert response.status_code == (302 if role is None else 403), url
    for url in (reverse("api-v1:compstat-map-list"), reverse("api-v1:compstat-incident-list")):
        assert client.get(url, {"bbox": "-91,14,-90,15", "zoom": 9}).status_code in (401, 403), url
