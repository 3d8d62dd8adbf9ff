"""A small city with two police jurisdictions, colonia and municipality populations, and police records with
points, names and ID numbers (which no commander may ever receive)."""

import itertools
from datetime import date, time, timedelta

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from observatory.compstat.models import DataVersion
from observatory.compstat.services import data_version_build
from observatory.geography.models import Level, PoliceJurisdiction
from observatory.records.models import SourceRecord
from tests.factories import AdminUnitFactory, PopulationFactory

CUTOFF = date(2024, 3, 6)  # a Wednesday in a leap year
SECRET_NAME = "Fulgencio Secretísimo Anónimo"
SECRET_ID = "2987654320101"
SECRET_ADDRESS = "Callejón Confidencial 13"
_numbers = itertools.count(1)


def rectangle(west: float, south: float, east: float, north: float) -> MultiPolygon:
    ring = ((west, south), (east, south), (east, north), (west, north), (west, south))
    return MultiPolygon(Polygon(ring), srid=4326)


def police_record(*, on: date, at: time | None, where: tuple[float, float], category: str, jurisdiction, **values):
    number = next(_numbers)
    return SourceRecord.objects.create(
        source_id="police",
        record_id=f"PNC-{number}",
        content_hash=number,
        first_run_id=1,
        last_run_id=1,
        raw=str(number),
        profile_version=1,
        incident_id=f"INC-2024-{number:05d}",
        event_date=on,
        event_time=at,
        category=category,
        point=Point(*where, srid=4326),
        jurisdiction=jurisdiction,
        full_name=SECRET_NAME,
        id_number=SECRET_ID,
        address=SECRET_ADDRESS,
        **values,
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Reports are written to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def city(small_hierarchy):
    """Ciudad (-90.6..-90.5) split into two colonias with figures (10,000 west, 30,000 east; its own 99,999 must not
    count twice), Pueblo (-90.5..-90.4, 20,000, no colonia figures); jurisdiction Norte covers -90.6..-90.525 and
    Sur -90.525..-90.45, so Norte holds 10,000 + 15,000 and Sur 15,000 + 10,000 people in 2024."""
    department = small_hierarchy["department"]
    ciudad = AdminUnitFactory(
        level=Level.MUNICIPALITY,
        code="0199",
        name="Ciudad",
        parent=department,
        boundary=rectangle(-90.6, 14.6, -90.5, 14.7),
    )
    pueblo = AdminUnitFactory(
        level=Level.MUNICIPALITY,
        code="0198",
        name="Pueblo",
        parent=department,
        boundary=rectangle(-90.5, 14.6, -90.4, 14.7),
    )
    west = AdminUnitFactory(
        level=Level.COLONIA, code="0199-001", name="Oeste", parent=ciudad, boundary=rectangle(-90.6, 14.6, -90.55, 14.7)
    )
    east = AdminUnitFactory(
        level=Level.COLONIA, code="0199-002", name="Este", parent=ciudad, boundary=rectangle(-90.55, 14.6, -90.5, 14.7)
    )
    for unit, population in ((ciudad, 99_999), (pueblo, 20_000), (west, 10_000), (east, 30_000)):
        PopulationFactory(unit=unit, year=2024, population=population)
    norte = PoliceJurisdiction.objects.create(code="J-N", name="Norte", boundary=rectangle(-90.6, 14.6, -90.525, 14.7))
    sur = PoliceJurisdiction.objects.create(code="J-S", name="Sur", boundary=rectangle(-90.525, 14.6, -90.45, 14.7))
    return {"ciudad": ciudad, "pueblo": pueblo, "west": west, "east": east, "norte": norte, "sur": sur}


@pytest.fixture
def incidents(city):
    """Robberies at night in Norte: 10 in the last 7 days, 2 in the 7 before; homicides by day in Sur; one
    robbery a year earlier; one record after the cut-off dated in the future is left out of it."""
    norte, sur, west = city["norte"], city["sur"], city["west"]
    for n in range(10):
        police_record(
            on=CUTOFF - timedelta(days=n % 7),
            at=time(21, n),
            where=(-90.58 + n * 0.001, 14.65),
            category="robbery",
            jurisdiction=norte,
            colonia=west,
            weapon="firearm",
            place_type="public_road",
        )
    for n in range(2):
        police_record(
            on=CUTOFF - timedelta(days=8 + n),
            at=time(22, 0),
            where=(-90.57, 14.66),
            category="robbery",
            jurisdiction=norte,
            colonia=west,
            weapon="sharp_object",
        )
    for n in range(4):
        police_record(
            on=CUTOFF - timedelta(days=3 * n),
            at=time(10, 0),
            where=(-90.51, 14.62 + n * 0.01),
            category="homicide",
            jurisdiction=sur,
            weapon="firearm",
            place_type="home",
        )
    police_record(
        on=CUTOFF - timedelta(days=364),
        at=time(23, 0),
        where=(-90.58, 14.65),
        category="robbery",
        jurisdiction=norte,
        colonia=west,
    )
    police_record(
        on=date.today() + timedelta(days=30), at=None, where=(-90.58, 14.65), category="theft", jurisdiction=norte
    )
    return city


@pytest.fixture
def built(incidents, django_capture_on_commit_callbacks):
    version = data_version_build(version_id=DataVersion.objects.create().pk)
    assert version.status == DataVersion.Status.DONE, version.error
    return incidents | {"version": version}
