"""A unit's page's figures: its complete years with the rate's exact interval, the sources side by side with their
discrepancy in words, withheld counts never computed back, the undercount of the unit above it, its neighbours and
parent; and the ranking of a level's units by rate, ties sharing a rank, units without data last."""

from datetime import date

import numpy as np
import pytest
from django.utils import translation
from scipy.stats import gamma

from observatory.geography.neighbours import Neighbour
from observatory.indicators.models import MonthlySeries, UndercountEstimate, Vintage
from observatory.indicators.portal import Period
from observatory.indicators.rankings import NO_DATA, RATED, rate_ranking
from observatory.indicators.services import vintage_now
from observatory.indicators.unit_pages import unit_chart_frame, unit_comparison, unit_of, unit_page

from .conftest import record, victim
from .unit_data import CORONER_ONLY_2024, MIXCO_POLICE, publish_two_sources

pytestmark = pytest.mark.django_db


def _mixco_page(vintage, **options):
    return unit_page(vintage=vintage, unit=unit_of(level="municipality", code="0108"), **options)


def test_a_municipalitys_years_give_the_reconciled_count_and_the_rate_with_its_exact_interval(country):
    vintage = publish_two_sources(country)

    page = _mixco_page(vintage, category="homicide")

    victims = MIXCO_POLICE[2024] + CORONER_ONLY_2024
    series = MonthlySeries.objects.get(
        valid_to=None,
        level="municipality",
        unit_id=country["mixco"].pk,
        series="homicide",
        basis="reconciled",
        sex="",
        age_band="",
    )
    start = (2024 - series.first_month.year) * 12
    population = np.mean(series.populations[start : start + 12])
    assert page.year == 2024 and page.years == [2024, 2023]
    year = page.year_figures
    assert (year["count"], year["status"], year["unstable"]) == (victims, "final", False)
    assert year["rate"] == pytest.approx(victims / population * 100_000)
    assert year["rate_low"] == pytest.approx(gamma.ppf(0.025, victims) / population * 100_000)
    assert year["rate_high"] == pytest.approx(gamma.ppf(0.975, victims + 1) / population * 100_000)
    assert page.rolling["month"] == date(2024, 12, 1) and page.rolling["rate"] == pytest.approx(year["rate"])
    assert [row["count"] for row in page.annual] == [victims, MIXCO_POLICE[2023]]
    assert len(page.months) == 24 and page.months[-1]["month"] == "2024-12"


def test_the_sources_side_by_side_with_their_discrepancy_in_the_readers_language(country):
    vintage = publish_two_sources(country)

    with translation.override("en"):
        english = _mixco_page(vintage, category="homicide")
    with translation.override("es"):
        spanish = _mixco_page(vintage, category="homicide", year=2023)

    assert english.bases == [("police", "Police"), ("coroner", "Coroner"), ("reconciled", "Reconciled victims")]
    assert english.source_years == [{"year": 2024, "counts": [36, 52, 52]}, {"year": 2023, "counts": [24, 24, 24]}]
    assert english.sentences[0] == "The coroner recorded 16 more intentional homicide cases than the police in 2024."
    assert spanish.year == 2023
    assert spanish.sentences[0] == (
        "La policía y medicina forense registraron el mismo número de casos de homicidio intencional en 2023: 24."
    )
    january = english.source_chart["months"].index("2024-01")
    chart = english.source_chart["values"]
    assert (chart["police"][january], chart["coroner"][january]) == (3, 5)  # the coroner alone: 2 more


def test_a_withheld_count_stays_withheld_and_no_difference_is_computed_from_it(country):
    for day in (1, 2):
        victim(
            record(source="police", on=date(2024, 3, day), municipality=country["mixco"], category="sexual_violence"),
            record(source="coroner", on=date(2024, 3, day), municipality=country["mixco"], category="sexual_violence"),
            category="sexual_violence",
        )
    victim(
        record(source="coroner", on=date(2024, 3, 3), municipality=country["mixco"], category="sexual_violence"),
        category="sexual_violence",
    )
    vintage = publish_two_sources(country)

    with translation.override("en"):
        page = _mixco_page(vintage, category="sexual_violence", year=2024)

    year = page.year_figures
    assert year["count"] in ("<5", "x") and year["rate"] is None and year["rate_low"] is None
    assert all(count in ("<5", "x") for count in page.source_years[0]["counts"])
    assert page.sentences == [
        "The difference between the police and the coroner in 2024 cannot be stated: one of the counts is withheld "
        "to protect a small number of victims."
    ]
    assert set(unit_chart_frame(page, "sources")["count"].map(str)) <= {"0", "<5", "x"}


def test_a_municipality_reads_the_undercount_of_the_nearest_unit_above_it_that_has_one(country):
    vintage = publish_two_sources(country)
    estimates = UndercountEstimate.objects.filter(vintage=vintage, series="homicide", year=2024)
    department = estimates.get(level="department", unit_id=country["department"].pk)
    assert estimates.filter(level="country").exists()  # farther up: not the one read

    page = _mixco_page(vintage, category="homicide")

    assert (page.undercount, page.undercount_unit.code) == (department, "01")
    assert page.undercount.observed == MIXCO_POLICE[2024] + CORONER_ONLY_2024 + 6  # Villa Nueva's 6 too
    department.delete()
    assert _mixco_page(vintage, category="homicide").undercount_unit.code == "GT"


def test_a_unit_beside_its_department_and_neighbours_on_one_scale(country):
    vintage = publish_two_sources(country)
    unit = unit_of(level="municipality", code="0108")
    neighbours = [
        Neighbour(country["villa_nueva"].pk, "0115", "Villa Nueva"),
        Neighbour(country["palin"].pk, "0503", "Palín"),
    ]

    rows = unit_comparison(vintage=vintage, unit=unit, neighbours=neighbours, category="homicide", year=2024)

    assert [(row.code, row.role, row.kind) for row in rows] == [
        ("0108", "self", RATED),
        ("01", "parent", RATED),
        ("0115", "neighbour", RATED),
        ("0503", "neighbour", NO_DATA),
    ]
    assert max(row.whisker_from + row.whisker_width for row in rows if row.kind == RATED) == pytest.approx(100)
    assert rows[2].unstable  # Villa Nueva's 6 homicides


def test_the_ranking_orders_by_rate_with_ties_sharing_a_rank_and_lists_units_without_data_last(country):
    vintage = publish_two_sources(country)
    year_2023, year_2024 = (Period(end=date(year, 12, 1), is_year=True) for year in (2023, 2024))

    tied = rate_ranking(vintage=vintage, level="municipality", category="homicide", period=year_2023)
    ordered = rate_ranking(vintage=vintage, level="municipality", category="homicide", period=year_2024)

    # 24 victims in Mixco and 12 in Villa Nueva, half its population, month by month: the same rate.
    assert [(unit.code, unit.rank, unit.kind) for unit in tied] == [
        ("0108", 1, RATED),
        ("0115", 1, RATED),
        ("0503", None, NO_DATA),
    ]
    assert (
        tied[0].rate == pytest.approx(tied[1].rate) and tied[0].rate_high < tied[1].rate_high
    )  # fewer victims, wider interval
    assert [(unit.code, unit.rank) for unit in ordered] == [("0108", 1), ("0115", 2), ("0503", None)]
    assert ordered[0].rate > ordered[1].rate and ordered[1].unstable
    within = rate_ranking(vintage=vintage, level="municipality", category="homicide", period=year_2024, within="05")
    assert [(unit.code, unit.kind) for unit in within] == [("0503", NO_DATA)]


def test_the_latest_vintage_is_what_a_page_reads(country):
    publish_two_sources(country)
    record(source="police", on=date(2024, 6, 15), municipality=country["mixco"])
    victim(record(source="police", on=date(2024, 6, 16), municipality=country["mixco"]))
    vintage = vintage_now(kind=Vintage.Kind.FULL)

    assert _mixco_page(vintage, category="homicide").year_figures["count"] == MIXCO_POLICE[2024] + CORONER_ONLY_2024 + 1
