"""Boundaries of a level as one TopoJSON topology: borders shared by two units are stored (and simplified) once,
so neighbours keep meeting exactly and 340 municipalities fit in a fraction of their GeoJSON's size."""

import json

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from .models import AdminUnit

TOPOLOGY_OBJECT = "units"


def topology_version(*, level: str) -> str:
    """Changes when a boundary of the level is imported again, or a unit is added or removed, or the map's
    simplification settings change."""
    stamp = AdminUnit.objects.filter(level=level).aggregate(changed=Max("updated_at"), units=Count("id"))
    changed = stamp["changed"].timestamp() if stamp["changed"] else 0
    return f"{changed}:{stamp['units']}:{settings.PORTAL_MAP_SIMPLIFY_TOLERANCE}:{settings.PORTAL_MAP_QUANTIZATION}"


def unit_topology(*, level: str) -> dict:
    """The TopoJSON of every unit of a level, each geometry's `id` the unit's id: simplified by
    PORTAL_MAP_SIMPLIFY_TOLERANCE (degrees) on the shared arcs and quantised to PORTAL_MAP_QUANTIZATION steps across
    the extent. Cached until topology_version changes."""
    key = f"geography:topology:{level}:{topology_version(level=level)}"
    return cache.get_or_set(key, lambda: _topology(level=level), timeout=None)


def _topology(*, level: str) -> dict:
    import topojson  # here, not above: only the first map after a boundary import needs it

    units = AdminUnit.objects.filter(level=level).order_by("code").values_list("id", "boundary")
    if not units:
        return {"type": "Topology", "objects": {TOPOLOGY_OBJECT: {"type": "GeometryCollection", "geometries": []}}}
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": unit, "properties": {}, "geometry": json.loads(boundary.json)}
            for unit, boundary in units
        ],
    }
    return topojson.Topology(
        collection,
        object_name=TOPOLOGY_OBJECT,
        prequantize=settings.PORTAL_MAP_QUANTIZATION,
        toposimplify=settings.PORTAL_MAP_SIMPLIFY_TOLERANCE,
    ).to_dict()
