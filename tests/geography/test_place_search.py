"""Finding a unit by what a reader types: official names and aliases, accents and case aside, from the first
letters on, the level named by the words before the name, police jurisdictions too, and the neighbours of a unit."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.geography.models import Level, PoliceJurisdiction
from observatory.geography.neighbours import unit_neighbours
from observatory.geography.place_search import place_search
from observatory.geography.services.boundaries import place_name_add
from observatory.geography.services.demo import ALIASES
from tests.factories import AdminUnitFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def gazetteer(small_hierarchy):
    """The small hierarchy, the municipality of Guatemala with the demo's aliases, and Palín."""
    units = dict(small_hierarchy)
    units["city"] = AdminUnitFactory(
        level=Level.MUNICIPALITY,
        code="0101",
        name="Guatemala",
        parent=units["department"],
        boundary=square(-90.6, 14.6),
    )
    units["palin"] = AdminUnitFactory(
        level=Level.MUNICIPALITY, code="0503", name="Palín", parent=units["department"], boundary=square(-91, 14)
    )
    for alias in ALIASES[("municipality", "0101")]:
        place_name_add(unit=units["city"], name=alias)
    return units


def _found(text: str) -> list[tuple[str, str]]:
    return [(match.level, match.code) for match in place_search(text=text)]


def test_ciudad_de_guatemala_finds_the_municipality_before_the_country_and_the_department(gazetteer):
    assert _found("Ciudad de Guatemala")[:3] == [("municipality", "0101"), ("country", "GT"), ("department", "01")]
    assert _found("Departamento de Guatemala")[0] == ("department", "01")
    assert _found("Guatemala")[:3] == [("country", "GT"), ("department", "01"), ("municipality", "0101")]


def test_an_alias_leads_to_its_unit_and_says_which_alias_matched(gazetteer):
    (match,) = place_search(text="ciudad capital")
    assert (match.level, match.code, match.name, match.alias, match.parent_name) == (
        "municipality",
        "0101",
        "Guatemala",
        "Ciudad Capital",
        "Guatemala",
    )


@pytest.mark.parametrize("typed", ["Mixco", "MIXCO", "mixco", "Mix", "  mi", "Municipio de Mixco"])
def test_a_name_is_found_whatever_its_case_from_its_first_letters(gazetteer, typed):
    assert _found(typed) == [("municipality", "0108")]


def test_accents_are_folded_both_ways(gazetteer):
    assert _found("Palin") == [("municipality", "0503")]
    assert _found("PALÍN") == [("municipality", "0503")]
    assert _found("nueva") == [("municipality", "0115")]  # a word of the name, not only its beginning


def test_police_jurisdictions_are_found_by_name(gazetteer):
    PoliceJurisdiction.objects.create(code="DEMO-01", name="Distrito policial Zona Norte", boundary=square(-90, 14))
    assert _found("zona norte") == [("jurisdiction", "DEMO-01")]
    assert _found("xyz") == []
    assert _found("") == []


def test_neighbours_share_a_boundary_and_are_computed_once_per_level(small_hierarchy):
    department = small_hierarchy["department"]
    west, east, far = (
        AdminUnitFactory(level=Level.MUNICIPALITY, code=code, name=name, parent=department, boundary=square(x, 10, 0.5))
        for code, name, x in (("0901", "Oeste", -80.0), ("0902", "Este", -79.5), ("0903", "Lejos", -70.0))
    )
    cache.clear()

    assert [(other.code, other.name) for other in unit_neighbours(level=Level.MUNICIPALITY, unit_id=west.pk)] == [
        ("0902", "Este")
    ]
    with CaptureQueriesContext(connection) as queries:
        assert [other.code for other in unit_neighbours(level=Level.MUNICIPALITY, unit_id=east.pk)] == ["0901"]
    assert len(queries) == 1  # the boundaries' version; the neighbours come from the cache
    assert unit_neighbours(level=Level.MUNICIPALITY, unit_id=far.pk) == []
    assert unit_neighbours(level=Level.DEPARTMENT, unit_id=department.pk) == []
