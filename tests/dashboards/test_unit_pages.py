"""The unit pages as a reader gets them: a municipality's page in Spanish and English with its rate, interval and
sources side by side, each chart's CSV, a handful of queries per page; the ranking; the search without JavaScript
and its suggestions from the API; the links from the home and figures pages."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.indicators.selectors import FIGURE_COLUMNS
from tests.indicators.conftest import country, timeline_event  # noqa: F401
from tests.indicators.unit_data import publish_two_sources

pytestmark = pytest.mark.django_db
MIXCO = "/units/municipality/0108/"
# The page reads the vintage, the unit, its series, their units' names, the vintages that wrote them, the sources'
# names, the undercount, the neighbours' boundaries version and the timeline's events (with their units and the
# unit's ancestors): a handful, whatever the number of records.
MAX_QUERIES = 16


def _text(response) -> str:
    html = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_municipalitys_page_gives_its_rate_interval_and_sources_in_spanish_and_english(client, country):  # noqa: F811
    publish_two_sources(country)

    spanish = _text(client.get(MIXCO))
    client.cookies["django_language"] = "en"
    english = _text(client.get(MIXCO))

    assert "Año 2024" in spanish and re.search(r"intervalo del 95 %: de \d+,\d a \d+,\d", spanish)
    assert "52 víctimas" in spanish and "Víctimas conciliadas" in spanish and "Medicina forense" in spanish
    assert "Medicina forense registró 16 casos de homicidio intencional más que la policía en 2024." in spanish
    assert "Year 2024" in english and re.search(r"95% interval: \d+\.\d to \d+\.\d", english)
    assert "The coroner recorded 16 more intentional homicide cases than the police in 2024." in english
    assert "Beside its neighbours in 2024" in english and "Guatemala (Department)" in english


def test_each_chart_downloads_the_figures_it_draws_as_csv(client, country):  # noqa: F811
    publish_two_sources(country)

    monthly = client.get(MIXCO, {"format": "csv", "chart": "monthly"})
    sources = client.get(MIXCO, {"format": "csv", "chart": "sources"})

    assert monthly["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(monthly.content.decode())))
    assert list(rows[0]) == FIGURE_COLUMNS
    assert {row["basis"] for row in rows} == {"reconciled"} and len(rows) == 24
    december = next(row for row in rows if row["month"] == "2024-12")
    assert (december["unit_code"], december["rolling_count"]) == ("0108", "52")
    assert {row["basis"] for row in csv.DictReader(io.StringIO(sources.content.decode()))} == {
        "police",
        "coroner",
        "reconciled",
    }
    assert client.get(MIXCO, {"format": "csv", "chart": "nothing"}).status_code == 404
    assert client.get("/units/municipality/9999/").status_code == 404
    assert client.get("/units/planet/0108/").status_code == 404


def test_a_page_makes_a_handful_of_queries_once_its_neighbours_and_comparisons_are_cached(client, country):  # noqa: F811
    publish_two_sources(country)
    cache.clear()
    client.get(MIXCO)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(MIXCO).status_code == 200

    assert len(queries) <= MAX_QUERIES, [query["sql"][:120] for query in queries]


def test_the_ranking_lists_rates_with_intervals_and_units_without_data_and_links_to_their_pages(client, country):  # noqa: F811
    publish_two_sources(country)

    response = client.get("/units/municipality/", {"period": "2024"})
    text = _text(response)

    assert re.search(r"1 Mixco Guatemala \d+,\d \(\d+,\d–\d+,\d\) · 52 víctimas", text)
    assert re.search(r"2 Villa Nueva Guatemala \d+,\d \(\d+,\d–\d+,\d\) · 6 víctimas inestable", text)
    assert "Palín Escuintla sin datos" in text
    assert 'href="/units/municipality/0108/"' in response.content.decode()
    assert client.get("/units/country/").status_code == 404


def test_the_ranking_downloads_as_csv_with_the_map_s_figures_and_links_to_the_api_call_returning_them(client, country):  # noqa: F811
    publish_two_sources(country)

    page = client.get("/units/municipality/", {"period": "2024"}).content.decode()
    download = client.get("/units/municipality/", {"period": "2024", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))

    assert "?category=homicide&amp;period=2024&amp;format=csv" in page
    assert (
        'href="/api/v1/indicators/map/?level=municipality&amp;category=homicide&amp;basis=reconciled&amp;period=2024"'
        in page
    )
    assert download["Content-Disposition"] == 'attachment; filename="homicide-municipality-ranking-2024.csv"'
    mixco = next(row for row in rows if row["code"] == "0108")
    assert (mixco["rank"], mixco["name"], mixco["count"], mixco["figure"]) == ("1", "Mixco", "52", "rated")
    api = client.get("/api/v1/indicators/map/", {"level": "municipality", "period": "2024"}).json()
    mapped = {
        unit["properties"]["code"]: unit["properties"] for unit in api["topology"]["objects"]["units"]["geometries"]
    }
    assert float(mixco["rate"]) == pytest.approx(mapped["0108"]["rate"], abs=0.005)
    assert next(row for row in rows if row["code"] == "0503")["figure"] == "no_data"


def test_the_home_page_links_its_figures_to_their_csv_and_api_calls(client, country):  # noqa: F811
    publish_two_sources(country)

    page = client.get("/").content.decode()

    for link in (
        "/api/v1/indicators/monthly/?level=country&amp;category=homicide&amp;basis=reconciled&amp;format=csv",
        "/units/municipality/?category=homicide&amp;period=2024&amp;format=csv",
        "/api/v1/indicators/map/?period=2024",
    ):
        assert f'href="{link}"' in page, link
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_the_search_works_without_javascript_and_suggests_through_the_api(client, country):  # noqa: F811
    response = client.get("/units/search/", {"q": "mixco"})
    assert response.status_code == 302 and response["Location"] == MIXCO

    several = _text(client.get("/units/search/", {"q": "guatemala"}))
    assert "Guatemala País" in several and "Guatemala Departamento" in several

    suggestions = client.get("/api/v1/geography/search/", {"q": "vil"}).json()
    assert suggestions == [
        {
            "level": "municipality",
            "level_name": "Municipio",
            "code": "0115",
            "name": "Villa Nueva",
            "parent_name": "Guatemala",
            "alias": "",
            "page": "/units/municipality/0115/",
        }
    ]
    assert client.get("/api/v1/geography/search/").status_code == 400


def test_the_home_and_figures_pages_lead_to_unit_pages(client, country):  # noqa: F811
    publish_two_sources(country)

    home = client.get("/").content.decode()
    figures = client.get(
        "/indicators/", {"level": "municipality", "unit": "0108", "category": "homicide", "basis": "reconciled"}
    ).content.decode()

    assert 'action="/units/search/"' in home and 'data-unit-url="/units/municipality/CODE/"' in home
    assert 'href="/units/municipality/?period=2024"' in home
    assert 'href="/units/municipality/0108/?category=homicide"' in figures


def test_a_units_page_lists_the_events_of_the_unit_and_of_its_department_for_its_charts(client, country):  # noqa: F811
    publish_two_sources(country)
    timeline_event(units=[country["department"]], title_es="Tregua entre pandillas", title_en="Gang truce")
    timeline_event(units=[country["villa_nueva"]], title_es="Operativo en Villa Nueva", start_date=date(2024, 5, 1))

    response = client.get(MIXCO)

    events = response.context["timeline_events"]
    assert [(event["number"], event["title"]) for event in events] == [(1, "Tregua entre pandillas")]
    assert 'data-chart="monthly-chart"' in response.content.decode() and "Eventos" in _text(response)
