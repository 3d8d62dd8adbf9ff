"""The public aggregates answer with an ETag and Last-Modified per vintage, 304 to a client that has the answer,
serve the cached answer until a new vintage is published, and a new vintage changes the ETag."""

import gzip
import json
from datetime import date

import pytest
from django.utils.http import http_date

from observatory.accounts.roles import Role
from observatory.indicators.models import MonthlySeries, Vintage
from observatory.indicators.services import vintage_now
from tests.factories import PopulationFactory
from tests.indicators.conftest import country, record  # noqa: F401
from tests.indicators.portal_data import publish_homicides

pytestmark = pytest.mark.django_db
MONTHLY = "/api/v1/indicators/monthly/"
MIXCO = {"level": "municipality", "unit": "0108", "category": "homicide", "basis": "police"}
AGGREGATES = [
    (MONTHLY, MIXCO),
    ("/api/v1/indicators/map/", {}),
    ("/api/v1/indicators/discrepancies/", {"unit": "0108"}),
    ("/api/v1/indicators/hidden-violence/", {"unit": "0108"}),
    ("/api/v1/indicators/coverage/", {}),
    ("/api/v1/indicators/sdmx/", {"unit": "0108"}),
    (MONTHLY, {**MIXCO, "format": "csv"}),
]


def _homicides(country, *days: int) -> Vintage:  # noqa: F811
    for day in days:
        record(source="police", on=date(2024, 1, day), municipality=country["mixco"])
    return vintage_now(kind=Vintage.Kind.FULL)


@pytest.mark.parametrize(("path", "query"), AGGREGATES)
def test_an_unchanged_vintage_answers_304_to_a_client_that_has_the_answer(client, country, path, query):  # noqa: F811
    vintage = publish_homicides(country)
    first = client.get(path, query)
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert first["Last-Modified"] == http_date(vintage.finished_at.timestamp())
    again = client.get(path, query, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    assert client.get(path, query, HTTP_IF_NONE_MATCH='"another"').status_code == 200
    assert client.get(path, {**query, "vintage": vintage.pk})["ETag"] != first["ETag"]


def test_the_answer_is_cached_until_a_new_vintage_is_published_which_changes_the_etag(client, country):  # noqa: F811
    _homicides(country, 3, 9, 21)
    first = client.get(MONTHLY, MIXCO)
    assert first.json()["results"][0]["months"][0]["count"] == 3
    MonthlySeries.objects.all().delete()  # not a publication: the cached answer stands
    assert client.get(MONTHLY, MIXCO).content == first.content
    _homicides(country, 25, 26)
    second = client.get(MONTHLY, MIXCO, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert second.json()["results"][0]["months"][0]["count"] == 5


def test_each_language_and_audience_has_its_own_answer(client, country, user_with_role):  # noqa: F811
    record(source="police", on=date(2024, 1, 3), municipality=country["palin"], category="sexual_violence")
    vintage_now(kind=Vintage.Kind.FULL)
    query = {"level": "municipality", "unit": "0503", "category": "sexual_violence", "basis": "police"}
    public = client.get(MONTHLY, query)
    assert public.json()["results"][0]["months"][0]["count"] == "<5"
    client.cookies["django_language"] = "en"
    assert client.get(MONTHLY, query)["ETag"] != public["ETag"]
    client.cookies["django_language"] = "es"
    client.force_login(user_with_role(Role.ANALYST))
    analyst = client.get(MONTHLY, query)
    assert analyst.json()["results"][0]["months"][0]["count"] == 1 and analyst["ETag"] != public["ETag"]


@pytest.mark.parametrize("path", ["/api/v1/geography/units/", "/api/v1/geography/populations/"])
def test_the_geography_s_answers_are_kept_until_a_unit_or_a_population_changes(client, country, path):  # noqa: F811
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    PopulationFactory(unit=country["palin"], year=2031, population=51_234)

    renewed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert renewed.status_code == 200 and renewed["ETag"] != first["ETag"]
    assert (b"51234" in renewed.content) and (b"51234" not in first.content)


def test_a_client_that_accepts_gzip_gets_the_kept_answer_compressed_and_the_same_figures(client, country):  # noqa: F811
    publish_homicides(country)
    plain = client.get(MONTHLY, {"level": "municipality", "category": "homicide"})

    compressed = client.get(MONTHLY, {"level": "municipality", "category": "homicide"}, HTTP_ACCEPT_ENCODING="gzip")

    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) and "Content-Encoding" not in plain
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    assert compressed["ETag"] == f"W/{plain['ETag']}"
    again = client.get(
        MONTHLY,
        {"level": "municipality", "category": "homicide"},
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=compressed["ETag"],
    )
    assert again.status_code == 304
