"""The portal's selectors: the headline figures, the periods of the map, and the map's figures and classes."""

import json
from datetime import date

import mapclassify
import numpy as np
import pytest
from scipy.stats import chi2

from observatory.errors import ApplicationError
from observatory.indicators.models import MonthlySeries, Vintage
from observatory.indicators.portal import (
    FISHER_JENKS,
    QUANTILES,
    Period,
    choropleth,
    default_period,
    headline_figures,
    map_periods,
    rate_classes,
)
from observatory.indicators.services import vintage_now

from .conftest import record
from .portal_data import MIXCO_2023, MIXCO_2024, VILLA_NUEVA_YEAR, publish_homicides

pytestmark = pytest.mark.django_db


def _units(payload: dict) -> dict[str, dict]:
    return {geometry["properties"]["code"]: geometry["properties"] for geometry in _geometries(payload)}


def _geometries(payload: dict) -> list[dict]:
    return payload["topology"]["objects"]["units"]["geometries"]


def test_a_period_is_written_as_a_year_or_as_the_month_its_twelve_months_end_in():
    assert Period.parse("2023") == Period(end=date(2023, 12, 1), is_year=True)
    assert Period.parse("2024-10") == Period(end=date(2024, 10, 1), is_year=False)
    assert Period.parse("2024-10").start == date(2023, 11, 1)
    assert [Period.parse(code) for code in ("", "24", "2024-13", "2024-1", "abcd")] == [None] * 5


def test_the_map_offers_complete_years_then_twelve_month_spans_and_opens_on_the_latest_final_year(country):
    vintage = publish_homicides(country)

    options = map_periods(vintage=vintage)

    years = [(option.period.code, option.provisional) for option in options if option.period.is_year]
    spans = [(option.period.code, option.provisional) for option in options if not option.period.is_year]
    assert years == [("2024", False), ("2023", False)]
    assert spans[:3] == [("2025-02", True), ("2025-01", True), ("2024-12", False)]
    assert spans[-1] == ("2023-12", False)
    assert default_period(options) == Period(end=date(2024, 12, 1), is_year=True)


def test_each_municipality_gets_its_twelve_month_rate_with_the_exact_interval_and_its_class(country):
    vintage = publish_homicides(country)

    units = _units(choropleth(vintage=vintage, period=Period.parse("2024")))

    mixco = units["0108"]
    row = MonthlySeries.objects.get(
        valid_to__isnull=True, level="municipality", unit_id=country["mixco"].pk, series="homicide", basis="reconciled"
    )
    start = (2024 - row.first_month.year) * 12 - row.first_month.month + 1
    mean_population = np.mean(row.populations[start : start + 12])
    assert mixco["count"] == MIXCO_2024
    assert mixco["rate"] == pytest.approx(MIXCO_2024 / mean_population * 100_000, abs=0.01)
    # Garwood's exact interval from the chi-square quantiles, computed here independently of the gamma ones.
    low, high = chi2.ppf(0.025, 2 * MIXCO_2024) / 2, chi2.ppf(0.975, 2 * (MIXCO_2024 + 1)) / 2
    assert mixco["rate_low"] == pytest.approx(low / mean_population * 100_000, abs=0.01)
    assert mixco["rate_high"] == pytest.approx(high / mean_population * 100_000, abs=0.01)
    assert mixco["unstable"] is False and mixco["status"] == "final" and mixco["parent"] == "01"
    villa_nueva = units["0115"]
    assert villa_nueva["count"] == VILLA_NUEVA_YEAR and villa_nueva["unstable"] is True
    assert {mixco["class"], villa_nueva["class"]} == {0, 1}


def test_municipalities_no_source_covers_have_no_figure_rather_than_a_zero(country):
    vintage = publish_homicides(country)

    palin = _units(choropleth(vintage=vintage, period=Period.parse("2023")))["0503"]

    assert palin["no_data"] is True
    assert [palin[name] for name in ("count", "rate", "rate_low", "rate_high", "class", "status")] == [None] * 6


def test_a_hidden_count_stays_hidden_on_the_map_and_has_no_rate_nor_class(country):
    for day in (3, 4):
        record(source="police", on=date(2024, 3, day), municipality=country["mixco"], category="sexual_violence")
    for month in range(1, 13):
        record(source="police", on=date(2024, month, 9), municipality=country["villa_nueva"], category="theft")
    vintage = vintage_now(kind=Vintage.Kind.FULL)

    payload = choropleth(vintage=vintage, period=Period.parse("2024"), category="sexual_violence", basis="police")

    mixco = _units(payload)["0108"]
    assert mixco["count"] in ("<5", "x")
    assert (mixco["rate"], mixco["rate_low"], mixco["rate_high"], mixco["class"]) == (None, None, None, None)
    hidden = [unit for unit in _units(payload).values() if unit["count"] in ("<5", "x")]
    assert all(unit["rate"] is None and unit["class"] is None for unit in hidden)
    assert '"count": 2' not in json.dumps(payload)


def test_a_period_the_publication_does_not_hold_is_refused_with_the_periods_it_does(country):
    vintage = publish_homicides(country)

    with pytest.raises(ApplicationError) as refused:
        choropleth(vintage=vintage, period=Period.parse("2019"))

    assert refused.value.code == "no_such_period"
    assert "2023-12" in refused.value.message and "2025-02" in refused.value.message


def test_the_map_is_read_from_the_cache_until_a_new_vintage_publishes(country, django_assert_max_num_queries):
    vintage = publish_homicides(country)
    first = choropleth(vintage=vintage, period=Period.parse("2024"))

    with django_assert_max_num_queries(1):  # the boundaries' version; the figures come from the cache
        assert choropleth(vintage=vintage, period=Period.parse("2024")) == first

    record(source="police", on=date(2024, 6, 9), municipality=country["villa_nueva"])
    newer = vintage_now(kind=Vintage.Kind.FULL)
    assert _units(choropleth(vintage=newer, period=Period.parse("2024"), basis="police"))["0115"]["count"] == 5


@pytest.mark.filterwarnings("ignore:Numba not installed")
def test_classes_are_fisher_jenks_with_enough_units_and_quantiles_with_few_as_mapclassify_draws_them():
    rates = list(np.random.default_rng(7).gamma(2.0, 12.0, size=40))

    many = rate_classes(rates)
    few = rate_classes(rates[:6])

    assert many.method == FISHER_JENKS
    assert [high for _, high in many.bounds] == pytest.approx(list(mapclassify.FisherJenks(np.array(rates), k=5).bins))
    assert many.of == list(mapclassify.FisherJenks(np.array(rates), k=5).yb)
    assert few.method == QUANTILES and len(few.bounds) == 5
    assert few.bounds[0][0] == pytest.approx(min(rates[:6]))
    assert rate_classes([12.5, 12.5]).bounds == [(12.5, 12.5)]
    assert rate_classes([]).method is None


def test_the_headline_gives_the_latest_final_month_and_the_latest_complete_year_with_their_changes(country):
    vintage = publish_homicides(country)

    headline = headline_figures(vintage=vintage)

    year, month = headline["year"], headline["month"]
    assert headline["unit_name"] == "Guatemala"
    assert year["year"] == 2024 and year["count"] == MIXCO_2024 + VILLA_NUEVA_YEAR
    assert year["count_before"] == MIXCO_2023 + VILLA_NUEVA_YEAR
    assert year["change"] == pytest.approx((40 - 28) / 28 * 100)
    assert year["rate_low"] < year["rate"] < year["rate_high"]
    assert month["month"] == date(2024, 12, 1) and month["count"] == 3 and month["count_before"] == 2
    assert month["change"] == pytest.approx(50.0)
    # Mixco and Villa Nueva are covered, Palín is not: a share of the population that grows a little each month.
    low, high = year["coverage"]
    assert 75 < low <= high < 81
