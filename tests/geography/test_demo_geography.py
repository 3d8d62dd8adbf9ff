import pytest

from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction, Population
from observatory.geography.selectors import gazetteer_match, population_for_month
from observatory.geography.services.demo import DEMO_CITY, demo_geography_load

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
    assert any(line.endswith("created=0 updated=0 unchanged=340 repaired=1 rejected=0 excluded=3") for line in report.lines)
