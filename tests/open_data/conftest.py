"""A published country (the indicators' fixture) whose open data is built here and now, into a folder of the test."""

import pytest
from django.db import connection

from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from observatory.open_data.services import open_data_release_now
from tests.indicators.conftest import country, record, victim  # noqa: F401


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    return settings.OPEN_DATA_ROOT


def publish():
    """A full computation of the indicators, then its open data release, as a worker would run them."""
    vintage = vintage_now(kind=Vintage.Kind.FULL)
    return open_data_release_now(vintage_id=vintage.pk)


def cell_centre(longitude: float, latitude: float, *, metres: int = 250, srid: int = 32615) -> tuple[float, float]:
    """The centre (WGS84) of the grid cell a point falls in, computed here apart from the service's SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_X(c), ST_Y(c) FROM (
                SELECT ST_Transform(
                    ST_SetSRID(
                        ST_MakePoint((floor(ST_X(p) / %(m)s) + 0.5) * %(m)s, (floor(ST_Y(p) / %(m)s) + 0.5) * %(m)s),
                        %(srid)s
                    ),
                    4326
                ) AS c
                FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 4326), %(srid)s) AS p) AS projected
            ) AS centre
            """,
            {"m": float(metres), "srid": srid, "x": longitude, "y": latitude},
        )
        return cursor.fetchone()


def metres_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, "
            "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)",
            [*a, *b],
        )
        return cursor.fetchone()[0]
