"""Rates by sex and age band over the population of the same group, and no rate where the group has none."""

from datetime import date

import numpy as np
import pytest

from observatory.geography.terms import POPULATION_AGE_BANDS
from observatory.indicators.figures import month_number
from observatory.indicators.models import Vintage
from observatory.indicators.populations import monthly_populations
from observatory.indicators.services import vintage_now
from tests.factories import PopulationFactory

from .conftest import export, record, row_of

pytestmark = pytest.mark.django_db
MONTHLY = "/api/v1/indicators/monthly/"


@pytest.fixture
def young_men(country):
    """Men aged 20-24 in Mixco (6,000 in mid-2023, 6,600 in mid-2024) and Villa Nueva (3,000, then 3,360); no
    other group has figures."""
    for unit, figures in (("mixco", {2023: 6_000, 2024: 6_600}), ("villa_nueva", {2023: 3_000, 2024: 3_360})):
        for year, population in figures.items():
            PopulationFactory(unit=country[unit], year=year, sex="M", age_band="20-24", population=population)
    return country


def test_a_rate_by_sex_and_age_band_is_over_the_population_of_that_group_summed_over_the_municipalities(young_men):
    record(source="coroner", on=date(2024, 6, 5), municipality=young_men["mixco"], sex="M", age_years=23)
    record(source="coroner", on=date(2024, 6, 9), municipality=young_men["villa_nueva"], sex="M", age_years=21)
    assert vintage_now(kind=Vintage.Kind.FULL).status == Vintage.Status.DONE

    row = row_of(
        export(level="department", basis="coroner", category="homicide", sex="M", age_band="20-24"),
        unit="01",
        month="2024-06",
    )

    # Mid-June 2024 is 11.5 months after 1 July 2023: Mixco 6,000 + 600 x 11.5 / 12 = 6,575 men aged 20-24,
    # Villa Nueva 3,000 + 360 x 11.5 / 12 = 3,345; the department has no figures of its own: 9,920.
    assert (row["count"], row["population"]) == ("2", "9920")
    assert float(row["rate"]) == pytest.approx(2 / 9_920 * 100_000, abs=1e-4)


def test_a_group_without_its_own_population_has_a_count_and_no_rate_never_one_over_everyone(client, young_men):
    record(source="coroner", on=date(2024, 6, 5), municipality=young_men["mixco"], sex="M", age_years=23)
    record(source="coroner", on=date(2024, 6, 7), municipality=young_men["mixco"], sex="F", age_years=22)
    assert vintage_now(kind=Vintage.Kind.FULL).status == Vintage.Status.DONE

    women = row_of(
        export(level="department", basis="coroner", category="homicide", sex="F", age_band="20-24"),
        unit="01",
        month="2024-06",
    )
    # Men of every age: only one of their seventeen age bands has figures.
    men = row_of(export(level="department", basis="coroner", category="homicide", sex="M"), unit="01", month="2024-06")
    everyone = row_of(export(level="department", basis="coroner", category="homicide"), unit="01", month="2024-06")

    assert (women["count"], women["population"], women["rate"]) == ("1", "", "")
    assert (men["count"], men["population"], men["rate"]) == ("1", "", "")
    assert everyone["count"] == "2" and everyone["population"] == str(
        round(120_000 + 12_000 * 11.5 / 12) + round(60_000 + 6_000 * 11.5 / 12)
    )
    api = client.get(
        MONTHLY,
        {
            "level": "department",
            "unit": "01",
            "category": "homicide",
            "basis": "coroner",
            "sex": "F",
            "age_band": "20-24",
            "month_from": "2024-06",
            "month_to": "2024-06",
        },
    )
    june = api.json()["results"][0]["months"][0]
    assert (june["count"], june["population"], june["rate"]) == (1, None, None)


def test_a_sex_of_every_age_is_its_own_figure_or_the_sum_of_all_its_age_bands_and_an_age_band_is_men_and_women(country):
    for band in POPULATION_AGE_BANDS:
        PopulationFactory(unit=country["mixco"], year=2024, sex="M", age_band=band, population=1_000)
        PopulationFactory(unit=country["villa_nueva"], year=2024, sex="M", age_band=band, population=500)
    PopulationFactory(unit=country["villa_nueva"], year=2024, sex="M", age_band="", population=9_000)
    PopulationFactory(unit=country["mixco"], year=2024, sex="F", age_band="15-19", population=1_100)
    months = np.array([month_number(date(2024, 7, 1))])

    populations = monthly_populations(months=months)

    mixco, villa_nueva, department = country["mixco"].pk, country["villa_nueva"].pk, country["department"].pk
    assert populations[("municipality", mixco, "M", "")].tolist() == [17_000]
    assert populations[("municipality", villa_nueva, "M", "")].tolist() == [9_000]  # its own figure
    assert populations[("municipality", mixco, "", "15-19")].tolist() == [2_100]
    assert ("municipality", villa_nueva, "", "15-19") not in populations  # no women's figure
    assert ("municipality", mixco, "F", "") not in populations
    assert populations[("department", department, "M", "80+")].tolist() == [1_500]
    assert populations[("department", department, "M", "")].tolist() == [17_000 + 8_500]  # its bands' sum
    assert ("department", department, "", "15-19") not in populations
    assert populations[("department", department, "", "")].tolist() == [132_000 + 66_000]
    # Escuintla's Palín has no figures: neither has Escuintla, nor the country, for any group.
    assert not [key for key in populations if key[0] == "country"]
