"""The map of rates through the API: one topology with every unit's figures and the classes, refusals said in the
reader's language, and the size of the whole country's map."""

import gzip
from datetime import date

import pytest

from observatory.geography.models import AdminUnit, Level
from observatory.geography.services.demo import demo_geography_load
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from tests.indicators.conftest import country, record, victim  # noqa: F401
from tests.indicators.portal_data import publish_homicides

pytestmark = pytest.mark.django_db
MAP = "/api/v1/indicators/map/"


def _units(body: dict) -> dict[str, dict]:
    return {
        item["properties"]["code"]: item["properties"] for item in body["topology"]["objects"]["units"]["geometries"]
    }


def test_the_map_answers_one_topology_with_each_unit_s_figures_and_the_classes(client, country):  # noqa: F811
    vintage = publish_homicides(country)

    body = client.get(MAP).json()

    assert body["vintage"] == vintage.pk and body["period"]["code"] == "2024" and body["period"]["provisional"] is False
    assert (body["period"]["first_month"], body["period"]["last_month"]) == ("2024-01", "2024-12")
    assert body["topology"]["type"] == "Topology" and body["topology"]["arcs"]
    assert body["classification"]["method"] == "quantiles"
    assert [item["units"] for item in body["classification"]["classes"]] == [1, 1]
    units = _units(body)
    assert set(units) == {"0108", "0115", "0503"}
    assert units["0108"]["count"] == 36 and units["0108"]["class"] == 1 and units["0115"]["class"] == 0
    assert units["0503"]["no_data"] is True and units["0503"]["rate"] is None


def test_a_twelve_month_period_and_an_earlier_year_can_be_asked_for(client, country):  # noqa: F811
    publish_homicides(country)

    twelve_months = client.get(MAP, {"period": "2024-06"}).json()
    earlier = client.get(MAP, {"period": "2023"}).json()

    assert (twelve_months["period"]["first_month"], twelve_months["period"]["last_month"]) == ("2023-07", "2024-06")
    assert _units(twelve_months)["0108"]["count"] == 6 * 2 + 6 * 3
    assert _units(earlier)["0108"]["count"] == 24


def test_a_malformed_or_unpublished_period_is_refused_in_the_reader_s_language(client, country):  # noqa: F811
    publish_homicides(country)

    malformed = client.get(MAP, {"period": "last year"})
    unpublished = client.get(MAP, {"period": "2019"})
    client.cookies["django_language"] = "en"
    in_english = client.get(MAP, {"period": "last year"})

    assert malformed.status_code == 400
    assert malformed.json()["message"] == "period: Escriba un año (2023) o un año y un mes (2024-10)."
    assert unpublished.status_code == 400 and unpublished.json()["code"] == "no_such_period"
    assert in_english.json()["message"] == "period: Write a year (2023) or a year and month (2024-10)."


def test_without_a_publication_the_map_says_so(client, country):  # noqa: F811
    response = client.get(MAP)

    assert response.status_code == 404
    assert response.json()["message"] == "Todavía no se han publicado cifras."


def test_the_map_of_guatemala_s_340_municipalities_is_one_response_under_300_kb(client):
    demo_geography_load()
    mixco = AdminUnit.objects.get(level=Level.MUNICIPALITY, code="0108")
    for month in range(1, 13):
        victim(record(source="police", on=date(2024, month, 2), municipality=mixco))
    record(source="police", on=date(2025, 3, 1), municipality=mixco, category="theft")
    vintage_now(kind=Vintage.Kind.FULL)

    response = client.get(MAP, {"period": "2024"})
    compressed = client.get(MAP, {"period": "2024"}, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert len(response.content) < 300_000
    assert len(_units(response.json())) == 340
    assert sum(not unit["no_data"] for unit in _units(response.json()).values()) == 1
    assert compressed["Content-Encoding"] == "gzip" and len(compressed.content) < 100_000
    assert gzip.decompress(compressed.content) == response.content
