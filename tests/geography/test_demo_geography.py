from collections import defaultdict

import numpy as np
import pytest
from django.db.models import Sum

from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction, Population, PopulationKind
from observatory.geography.selectors import gazetteer_match, population_for_month
from observatory.geography.services.demo import DEMO_CITY, demo_geography_load, largest_remainder_split
from observatory.geography.terms import EVERYONE, POPULATION_AGE_BANDS

pytestmark = pytest.mark.django_db


def test_demo_geography_is_guatemala_with_official_codes_and_a_labelled_demo_city():
    report = demo_geography_load()

    assert AdminUnit.objects.filter(level=Level.COUNTRY).count() == 1
    assert AdminUnit.objects.filter(level=Level.DEPARTMENT).count() == 22
    assert AdminUnit.objects.filter(level=Level.MUNICIPALITY).count() == 340
    assert not AdminUnit.objects.filter(name__in=["Belice", "Lago de Atitlán", "Lago de Amatitlán"]).exists()
    assert not AdminUnit.objects.filter(level=Level.MUNICIPALITY, is_demo=True).exists()
    mixco = AdminUnit.objects.get(level=Level.MUNICIPALITY, code="0108")
    assert (mixco.name, mixco.parent.code, mixco.parent.name) == ("Mixco", "01", "Guatemala")
    # The INE catalogue's names win; the shapes' short names stay as aliases.
    assert gazetteer_match(name="Petapa", level=Level.MUNICIPALITY).unit.name == "San Miguel Petapa"
    assert gazetteer_match(name="SAN JOSE DEL GOLFO", level=Level.MUNICIPALITY).unit.code == "0104"
    assert any("Livingston" in line and line.startswith("repaired:") for line in report.lines)
    assert all(unit.boundary.valid for unit in AdminUnit.objects.filter(level=Level.MUNICIPALITY))

    colonias = AdminUnit.objects.filter(level=Level.COLONIA)
    assert colonias.count() == sum(DEMO_CITY.values())
    assert all(colonia.is_demo and colonia.parent.code in DEMO_CITY for colonia in colonias)
    assert PoliceJurisdiction.objects.filter(is_demo=True).exists()
    estimate = population_for_month(unit=mixco, year=2021, month=6)
    assert estimate.is_demo
    assert not Population.objects.exclude(kind="demo").exists()


def test_loading_the_demo_twice_changes_nothing():
    demo_geography_load()
    snapshot = sorted(AdminUnit.objects.values_list("level", "code", "name", "updated_at"))
    populations = Population.objects.count()

    report = demo_geography_load()

    assert sorted(AdminUnit.objects.values_list("level", "code", "name", "updated_at")) == snapshot
    assert Population.objects.count() == populations
    assert "demo colonias: unchanged=56" in report.lines
    assert any(
        line.endswith("created=0 updated=0 unchanged=340 repaired=1 rejected=0 excluded=3") for line in report.lines
    )


def test_demo_populations_by_sex_and_age_band_are_a_young_pyramid_that_adds_up_to_each_total():
    demo_geography_load()

    totals = {
        (unit, year): population
        for unit, year, population in Population.objects.filter(sex=EVERYONE, age_band=EVERYONE).values_list(
            "unit_id", "year", "population"
        )
    }
    groups = Population.objects.exclude(sex=EVERYONE).exclude(age_band=EVERYONE)
    sums = {
        (row["unit_id"], row["year"]): row["total"]
        for row in groups.values("unit_id", "year").annotate(total=Sum("population"))
    }
    assert sums == totals
    assert not Population.objects.exclude(kind=PopulationKind.DEMO).exists()
    assert set(groups.values_list("sex", flat=True)) == {"M", "F"}
    assert set(groups.values_list("age_band", flat=True)) == set(POPULATION_AGE_BANDS)

    country = AdminUnit.objects.get(level=Level.COUNTRY)
    by_group = defaultdict(
        int,
        {
            (sex, band): population
            for sex, band, population in groups.filter(unit=country, year=2020).values_list(
                "sex", "age_band", "population"
            )
        },
    )
    everyone = totals[(country.pk, 2020)]
    children = sum(by_group[(sex, band)] for sex in "MF" for band in ("00-04", "05-09", "10-14"))
    assert 0.30 < children / everyone < 0.36
    assert by_group[("F", "80+")] > by_group[("M", "80+")] * 1.2
    assert by_group[("M", "00-04")] > by_group[("F", "00-04")]
    # An upper level's group is its children's: Guatemala department's young men are its municipalities'.
    department = AdminUnit.objects.get(level=Level.DEPARTMENT, code="01")
    municipalities = groups.filter(unit__parent=department, year=2020, sex="M", age_band="15-19")
    assert (
        groups.get(unit=department, year=2020, sex="M", age_band="15-19").population
        == municipalities.aggregate(total=Sum("population"))["total"]
    )


def test_a_total_is_split_into_whole_people_by_largest_remainder():
    # 10 people in thirds: 3.33 each, the one left over goes to the first of the equal fractions.
    assert largest_remainder_split(totals=np.array([10]), weights=np.array([1, 1, 1])).tolist() == [[4, 3, 3]]
    # 7 people as 0.5 / 0.3 / 0.2: 3.5, 2.1, 1.4 -> 3, 2, 1 and the one left over to the largest fraction (0.5).
    assert largest_remainder_split(totals=np.array([7, 0]), weights=np.array([0.5, 0.3, 0.2])).tolist() == [
        [4, 2, 1],
        [0, 0, 0],
    ]
