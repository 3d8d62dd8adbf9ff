"""A publication's public figures are put in the cache by a worker before the first reader asks: the map of each
level and the rates the unit pages compare, read afterwards without reading a figure from the database (the only
queries left are the boundaries' version stamps in the cache keys)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.indicators.cache_warming import public_figures_warm
from observatory.indicators.models import Vintage
from observatory.indicators.portal import Period, choropleth
from observatory.indicators.queueing import PUBLIC_FIGURES_WARM
from observatory.indicators.rankings import level_figures
from observatory.indicators.receivers import warm_public_figures_after_publication
from tests.broker import latest_task_drop, queued_task_arguments

from .portal_data import publish_homicides

pytestmark = pytest.mark.django_db
LATEST_FINAL_YEAR = Period(end=date(2024, 12, 1), is_year=True)


def _figure_queries(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "indicators_" in query["sql"]]


def test_after_warming_the_maps_and_the_compared_rates_are_read_without_reading_a_figure(country):
    vintage = publish_homicides(country)

    warmed = public_figures_warm(vintage_id=vintage.pk)

    assert {"headline", "map municipality", "map department", "rates municipality 2024", "rates country 2024"} <= set(
        warmed
    )
    with CaptureQueriesContext(connection) as queries:
        for level in ("municipality", "department", "colonia"):
            choropleth(vintage=vintage, period=LATEST_FINAL_YEAR, level=level)
        for level in ("country", "department", "municipality", "colonia", "jurisdiction"):
            level_figures(vintage=vintage, level=level, category="homicide", period=LATEST_FINAL_YEAR)
    assert _figure_queries(queries) == []


def test_without_warming_the_map_reads_its_figures_on_its_first_request(country):
    vintage = publish_homicides(country)

    with CaptureQueriesContext(connection) as queries:
        choropleth(vintage=vintage, period=LATEST_FINAL_YEAR)

    assert _figure_queries(queries) != []


def test_a_vintage_not_published_is_not_warmed(country):
    vintage = Vintage.objects.create(kind=Vintage.Kind.FULL, reason_code=Vintage.Reason.SCHEDULE)

    assert public_figures_warm(vintage_id=vintage.pk) == {}


def test_a_publication_queues_the_warming_of_its_figures(db, django_capture_on_commit_callbacks):
    before = queued_task_arguments(PUBLIC_FIGURES_WARM)

    with django_capture_on_commit_callbacks(execute=True):
        warm_public_figures_after_publication(sender=Vintage, vintage_id=4321)

    assert queued_task_arguments(PUBLIC_FIGURES_WARM) == ["(4321,)", *before]
    latest_task_drop()
