"""The public figures a publication's first readers ask for, computed into the cache by a worker as soon as the
vintage is published, so that no reader waits while a web process computes them (the map of municipalities took
9 s on the first request at 1,000,000 records: loading mapclassify and drawing the topology) and no web process
loads the libraries they need. Everything else is computed on its first request and cached as before."""

import logging
import time

from observatory.geography.topology import unit_topology

from .models import Vintage
from .portal import choropleth, default_period, headline_figures, map_periods
from .rankings import level_figures
from .terms import RECONCILED, Series, UnitLevel

logger = logging.getLogger(__name__)

# The levels of the home page's map, and those whose units are ranked or compared on the unit pages.
MAP_LEVELS = (UnitLevel.MUNICIPALITY, UnitLevel.DEPARTMENT, UnitLevel.COLONIA)
COMPARED_LEVELS = tuple(UnitLevel)


def public_figures_warm(*, vintage_id: int) -> dict[str, float]:
    """Seconds each group of figures took (nothing when the vintage is not published); safe to run twice."""
    vintage = Vintage.objects.filter(pk=vintage_id, status=Vintage.Status.DONE).first()
    if vintage is None:
        return {}
    seconds = {}

    def timed(name: str, work) -> None:
        started = time.perf_counter()
        work()
        seconds[name] = round(time.perf_counter() - started, 3)

    timed("headline", lambda: headline_figures(vintage=vintage))
    options = map_periods(vintage=vintage, category=Series.HOMICIDE, basis=RECONCILED)
    period = default_period(options)
    if period is None:
        return seconds
    for level in MAP_LEVELS:
        timed(f"topology {level}", lambda level=level: unit_topology(level=level))
        timed(f"map {level}", lambda level=level: choropleth(vintage=vintage, period=period, level=level))
    # A unit page compares the unit's latest final year (the default period, when a year) or its latest year.
    latest_year = next((option.period for option in options if option.period.is_year), None)
    for year in {period, latest_year} - {None}:
        for level in COMPARED_LEVELS if year.is_year else ():
            timed(
                f"rates {level} {year.code}",
                lambda level=level, year=year: level_figures(
                    vintage=vintage, level=level, category=Series.HOMICIDE, period=year
                ),
            )
    logger.info("public figures of vintage %s in the cache: %s", vintage_id, seconds)
    return seconds
