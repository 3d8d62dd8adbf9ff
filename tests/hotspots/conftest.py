"""A police jurisdiction of about 5.5 km a side in Guatemala City with sixteen colonias, and twelve months of police
records: uniform background incidents plus a cluster around one point that grows month by month."""

import itertools
from datetime import date

import numpy as np
import pytest
from django.contrib.gis.geos import Point

from observatory.geography.models import Level, PoliceJurisdiction
from observatory.records.models import SourceRecord
from tests.factories import AdminUnitFactory, PopulationFactory, square

WEST, SOUTH, SIDE = -90.55, 14.60, 0.05
CLUSTER = (-90.53125, 14.61875)  # the centre of colonia 11 (second row, second column)
_numbers = itertools.count(1)


def police_record(*, on: date, longitude: float, latitude: float, category: str = "robbery", **values) -> SourceRecord:
    number = next(_numbers)
    return SourceRecord(
        source_id="police",
        record_id=f"PNC-{number}",
        incident_id=f"INC-{number:06d}",
        content_hash=number,
        first_run_id=1,
        last_run_id=1,
        raw=str(number),
        profile_version=1,
        event_date=on,
        category=category,
        point=Point(longitude, latitude, srid=4326),
        **values,
    )


@pytest.fixture
def hotspot_settings(settings):
    settings.HOTSPOTS_PERMUTATIONS = 199  # the fewest with which 99% confidence can be reached
    settings.HOTSPOTS_THREADS = 1
    settings.HOTSPOTS_GRID_SRID = 0
    return settings


@pytest.fixture
def jurisdiction(small_hierarchy):
    """The jurisdiction and its 4 x 4 colonias of Mixco, each of 5,000 people but the two of the south-west."""
    jurisdiction = PoliceJurisdiction.objects.create(
        code="DIST-1", name="Distrito 1", boundary=square(WEST, SOUTH, SIDE)
    )
    step = SIDE / 4
    for row, col in itertools.product(range(4), range(4)):
        colonia = AdminUnitFactory(
            level=Level.COLONIA,
            code=f"0108-{row}{col}",
            name=f"Colonia {row}{col}",
            parent=small_hierarchy["mixco"],
            boundary=square(WEST + col * step, SOUTH + row * step, step),
        )
        PopulationFactory(unit=colonia, year=2024, population=1_500 if (row, col) in ((0, 0), (0, 1)) else 5_000)
    return jurisdiction


@pytest.fixture
def police_year(jurisdiction):
    """2024: each month 60 incidents spread over the jurisdiction and 4 + 2 x month within 100 m of CLUSTER."""
    rng = np.random.default_rng(11)
    records = []
    for month in range(1, 13):
        for _ in range(60):
            longitude, latitude = WEST + rng.uniform(0, SIDE), SOUTH + rng.uniform(0, SIDE)
            records.append(
                police_record(on=date(2024, month, 1 + int(rng.integers(28))), longitude=longitude, latitude=latitude)
            )
        for _ in range(4 + 2 * month):
            offset = rng.uniform(-0.0009, 0.0009, size=2)
            records.append(
                police_record(
                    on=date(2024, month, 15), longitude=CLUSTER[0] + offset[0], latitude=CLUSTER[1] + offset[1]
                )
            )
    SourceRecord.objects.bulk_create(records)
    return records
