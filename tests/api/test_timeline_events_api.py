"""The events on the timeline through the public API: filters by unit, level, dates and kind; texts in the language
asked for; read only, for everyone."""

from datetime import date

import pytest

from observatory.accounts.roles import Role
from observatory.geography.models import PoliceJurisdiction
from observatory.indicators.models import TimelineEvent
from tests.factories import UserFactory, square
from tests.indicators.conftest import timeline_event

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/indicators/events/"


@pytest.fixture
def events(small_hierarchy):
    units = small_hierarchy
    district = PoliceJurisdiction.objects.create(code="D1", name="Distrito Central", boundary=square(-90.6, 14.5))
    return {
        "national": timeline_event(
            units=[units["country"]],
            kind=TimelineEvent.Kind.PROGRAMME_START,
            start_date=date(2023, 6, 1),
            title_es="Programa nacional de prevención",
        ),
        "truce": timeline_event(
            units=[units["mixco"]],
            start_date=date(2024, 3, 1),
            end_date=date(2024, 8, 31),
            title_es="Tregua entre pandillas",
            title_en="Gang truce",
            description_es="Anunciada por los líderes de dos pandillas.",
        ),
        "operation": timeline_event(
            jurisdictions=[district],
            kind=TimelineEvent.Kind.POLICE_OPERATION,
            start_date=date(2024, 10, 5),
            title_es="Operativo Escudo",
        ),
        "neighbour": timeline_event(units=[units["villa_nueva"]], start_date=date(2024, 2, 1), title_es="Vecino"),
    }


def _titles(client, **query) -> list[str]:
    return [event["title"] for event in client.get(EVENTS, query).json()["results"]]


def test_a_units_events_are_those_its_charts_mark_in_the_order_they_started(client, events):
    assert _titles(client, unit="0108", level="municipality") == [
        "Programa nacional de prevención",
        "Tregua entre pandillas",
    ]
    assert _titles(client, unit="D1", level="jurisdiction") == ["Programa nacional de prevención", "Operativo Escudo"]
    assert _titles(client, unit="GT") == ["Programa nacional de prevención"]
    assert _titles(client, level="municipality") == ["Vecino", "Tregua entre pandillas"]
    assert _titles(client, level="jurisdiction") == ["Operativo Escudo"]


def test_dates_keep_the_events_that_overlap_them_and_kind_keeps_one_kind(client, events):
    assert _titles(client, date_from="2024-06-01", date_to="2024-09-30") == ["Tregua entre pandillas"]
    assert _titles(client, date_to="2024-01-31") == ["Programa nacional de prevención"]
    assert _titles(client, kind="police_operation") == ["Operativo Escudo"]
    refused = client.get(EVENTS, {"kind": "riot"})
    assert refused.status_code == 400 and "kind" in refused.json()["extra"]["fields"]


def test_texts_follow_the_language_asked_for_and_say_which_language_they_are_in(client, events):
    spanish = client.get(EVENTS, {"unit": "0108", "level": "municipality"}).json()["results"][1]
    assert (spanish["title"], spanish["kind_label"], spanish["title_language"]) == (
        "Tregua entre pandillas",
        "Tregua entre pandillas",
        "es",
    )
    assert [unit["code"] for unit in spanish["units"]] == ["0108"]
    assert (spanish["start_date"], spanish["end_date"]) == ("2024-03-01", "2024-08-31")

    english = client.get(EVENTS, {"unit": "0108", "level": "municipality", "lang": "en"}).json()["results"][1]
    assert (english["title"], english["title_language"]) == ("Gang truce", "en")
    assert (english["description"], english["description_language"]) == (
        "Anunciada por los líderes de dos pandillas.",
        "es",
    )
    client.cookies["django_language"] = "en"
    by_cookie = client.get(EVENTS, {"unit": "0108", "level": "municipality"}).json()["results"][1]
    assert (by_cookie["title"], by_cookie["kind_label"]) == ("Gang truce", "Truce between gangs")
    assert "recorded_by" not in by_cookie


def test_the_api_only_reads_events_even_for_an_analyst(client, events):
    new = {"kind": "truce", "start_date": "2024-01-01", "title": "x"}
    assert client.post(EVENTS, new, content_type="application/json").status_code == 405
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.post(EVENTS, new, content_type="application/json").status_code == 405
    assert client.delete(f"{EVENTS}{events['truce'].pk}/").status_code == 405
    assert TimelineEvent.objects.count() == 4
