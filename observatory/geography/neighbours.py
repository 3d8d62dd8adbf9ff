"""Which units share a boundary with which (PostGIS ST_Touches): computed once per level for all its units, and
cached until a boundary of the level changes."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max

from .models import AdminUnit, PoliceJurisdiction
from .place_search import JURISDICTION

_ADJACENCY_SQL = """
    SELECT unit.id, other.id, other.code, other.name
    FROM {table} unit JOIN {table} other
      ON other.id <> unit.id AND {same_level} ST_Touches(unit.boundary, other.boundary)
    {where}
    ORDER BY unit.id, other.name
"""


@dataclass(frozen=True)
class Neighbour:
    unit_id: int
    code: str
    name: str


def _boundaries_version(level: str) -> str:
    units = PoliceJurisdiction.objects.all() if level == JURISDICTION else AdminUnit.objects.filter(level=level)
    stamp = units.aggregate(changed=Max("updated_at"), units=Count("id"))
    return f"{stamp['changed'].timestamp() if stamp['changed'] else 0}:{stamp['units']}"


def _adjacency(level: str) -> dict[int, list[Neighbour]]:
    if level == JURISDICTION:
        sql = _ADJACENCY_SQL.format(table=PoliceJurisdiction._meta.db_table, same_level="", where="")
        parameters = []
    else:
        sql = _ADJACENCY_SQL.format(
            table=AdminUnit._meta.db_table, same_level="other.level = unit.level AND", where="WHERE unit.level = %s"
        )
        parameters = [level]
    adjacency: dict[int, list[Neighbour]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        for unit, other, code, name in cursor.fetchall():
            adjacency.setdefault(unit, []).append(Neighbour(unit_id=other, code=code, name=name))
    return adjacency


def unit_neighbours(*, level: str, unit_id: int) -> list[Neighbour]:
    """The units of the same level that share a boundary with this one, by name."""
    key = f"geography:neighbours:{level}:{_boundaries_version(level)}"
    return cache.get_or_set(key, lambda: _adjacency(level), timeout=None).get(unit_id, [])
