"""Reads of the incident copy: the CompStat table, the map's cells and points, the time patterns."""

import json
import math
from dataclasses import replace
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction
from observatory.records.terms import Category

from .filters import IncidentFilter
from .models import DataVersion, Incident, JurisdictionPopulation, WeeklyReport
from .periods import Span, compstat_periods, period_span
from .statistics import poisson_change

EARTH_RADIUS = 6378137.0
WORLD_WIDTH = 2 * math.pi * EARTH_RADIUS
# Map cells are about this many screen pixels wide at every zoom level.
CELL_PIXELS = 32


def data_version_latest() -> DataVersion | None:
    return DataVersion.objects.filter(status=DataVersion.Status.DONE).order_by("-pk").first()


def jurisdiction_choices() -> QuerySet[PoliceJurisdiction]:
    return PoliceJurisdiction.objects.order_by("name").only("id", "code", "name")


def colonia_choices(*, jurisdiction: int | None) -> QuerySet[AdminUnit]:
    colonias = AdminUnit.objects.filter(level=Level.COLONIA).order_by("name").only("id", "code", "name")
    if jurisdiction:
        boundary = PoliceJurisdiction.objects.filter(pk=jurisdiction).values("boundary")
        colonias = colonias.filter(boundary__intersects=boundary[:1])
    return colonias


def jurisdiction_population(*, jurisdiction: int | None, year: int) -> int | None:
    """The area-weighted estimate for a jurisdiction, or the sum over all when `jurisdiction` is None."""
    rows = JurisdictionPopulation.objects.filter(year=year)
    if jurisdiction:
        rows = rows.filter(jurisdiction_id=jurisdiction)
    populations = list(rows.values_list("population", flat=True))
    return sum(populations) if populations else None


def _counts_by_category(*, spans: list[Span], filters: IncidentFilter) -> dict[str, list[int]]:
    where, params = filters.sql()
    columns = ", ".join(
        f"count(*) FILTER (WHERE i.day BETWEEN %(first_{n})s AND %(last_{n})s)" for n in range(len(spans))
    )
    for n, span in enumerate(spans):
        params |= {f"first_{n}": span.first, f"last_{n}": span.last}
    params |= {"from": min(span.first for span in spans), "to": max(span.last for span in spans)}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.category, {columns} FROM compstat_incident i "
            f"WHERE i.day BETWEEN %(from)s AND %(to)s{where} GROUP BY i.category",
            params,
        )
        return {row[0]: list(row[1:]) for row in cursor.fetchall()}


def _change(current: int, earlier: int, current_span: Span, earlier_span: Span) -> dict:
    change = poisson_change(
        current=current,
        earlier=earlier,
        current_days=current_span.days,
        earlier_days=earlier_span.days,
        alpha=settings.COMPSTAT_SIGNIFICANCE,
    )
    return {"count": earlier, "percent": change.percent, "p_value": change.p_value, "significant": change.significant}


def compstat_table(*, end: date, filters: IncidentFilter) -> dict:
    """Per period and category: the count, its rate per 100,000 (estimated population) and both comparisons."""
    periods = compstat_periods(end=end)
    spans = [span for period in periods for span in (period.current, period.previous, period.last_year)]
    counts = _counts_by_category(spans=spans, filters=filters)
    categories = [value for value in Category.values if value in counts]
    counts["_total"] = [sum(counts[category][n] for category in categories) for n in range(len(spans))]
    population = jurisdiction_population(jurisdiction=filters.jurisdiction, year=end.year)
    table = []
    for index, period in enumerate(periods):
        rows = []
        for category in [*categories, "_total"]:
            current, previous, last_year = counts[category][3 * index : 3 * index + 3]
            rows.append(
                {
                    "category": category,
                    "count": current,
                    "rate": round(100_000 * current / population, 2) if population else None,
                    "previous": _change(current, previous, period.current, period.previous),
                    "last_year": _change(current, last_year, period.current, period.last_year),
                }
            )
        table.append(
            {
                "code": period.code,
                "spans": {
                    name: [span.first.isoformat(), span.last.isoformat()]
                    for name, span in (
                        ("current", period.current),
                        ("previous", period.previous),
                        ("last_year", period.last_year),
                    )
                },
                "rows": rows,
            }
        )
    return {"end": end.isoformat(), "population": population, "periods": table}


def time_patterns(*, span: Span, end: date, filters: IncidentFilter) -> dict:
    """A weekday × hour table of the span's incidents, and the daily counts of the year to `end` with their
    trailing 28-day mean."""
    where, params = filters.sql()
    first_day = end - timedelta(days=364)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.weekday, i.hour, count(*) FROM compstat_incident i "
            f"WHERE i.day BETWEEN %(first)s AND %(last)s AND i.hour IS NOT NULL{where} GROUP BY 1, 2",
            params | {"first": span.first, "last": span.last},
        )
        heat = [[0] * 24 for _ in range(7)]
        for weekday, hour, count in cursor.fetchall():
            heat[weekday - 1][hour] = count
        cursor.execute(
            f"SELECT i.day, count(*) FROM compstat_incident i WHERE i.day BETWEEN %(first)s AND %(last)s{where} "
            "GROUP BY 1",
            params | {"first": first_day - timedelta(days=27), "last": end},
        )
        by_day = dict(cursor.fetchall())
    days = [first_day + timedelta(days=n) for n in range(-27, (end - first_day).days + 1)]
    counts = [by_day.get(day, 0) for day in days]
    mean = [round(sum(counts[n - 27 : n + 1]) / 28, 2) for n in range(27, len(counts))]
    return {
        "heat": heat,
        "heat_max": max(max(row) for row in heat),
        "days": [day.isoformat() for day in days[27:]],
        "daily": counts[27:],
        "mean_28": mean,
    }


def _to_lon_lat(x: float, y: float) -> tuple[float, float]:
    lon = math.degrees(x / EARTH_RADIUS)
    lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)
    return round(lon, 6), round(lat, 6)


def _to_mercator(lon: float, lat: float) -> tuple[float, float]:
    lat = max(min(lat, 85.0), -85.0)
    return EARTH_RADIUS * math.radians(lon), EARTH_RADIUS * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def cell_size(zoom: int) -> float:
    """Metres (Web Mercator) of a map cell about CELL_PIXELS wide at this zoom."""
    return WORLD_WIDTH / (2**zoom) / 256 * CELL_PIXELS


def incident_map(*, bbox: tuple[float, float, float, float], zoom: int, span: Span, filters: IncidentFilter) -> dict:
    """The incidents in a viewport (west, south, east, north in degrees): each point when there are at most
    COMPSTAT_MAP_POINTS_MAX of them, else their counts in square cells of `cell_size(zoom)`."""
    west, south = _to_mercator(bbox[0], bbox[1])
    east, north = _to_mercator(bbox[2], bbox[3])
    where, params = filters.sql()
    params |= {"west": west, "south": south, "east": east, "north": north, "first": span.first, "last": span.last}
    in_period = f"i.day BETWEEN %(first)s AND %(last)s{where}"
    limit = settings.COMPSTAT_MAP_POINTS_MAX
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.record_id, i.x, i.y, i.category FROM compstat_incident i "
            f"WHERE i.point && ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 3857) AND {in_period} "
            f"LIMIT {limit + 1}",
            params,
        )
        points = cursor.fetchall()
        if len(points) <= limit:
            return {
                "mode": "points",
                "points": [
                    {"id": pk, "lon_lat": _to_lon_lat(x, y), "category": category} for pk, x, y, category in points
                ],
            }
        size = cell_size(zoom)
        cursor.execute(
            "SELECT floor(i.x / %(size)s)::int, floor(i.y / %(size)s)::int, count(*) FROM compstat_incident i "
            f"WHERE i.x BETWEEN %(west)s AND %(east)s AND i.y BETWEEN %(south)s AND %(north)s AND {in_period} "
            "GROUP BY 1, 2",
            params | {"size": size},
        )
        cells = cursor.fetchall()
    return {
        "mode": "cells",
        "cell_metres": round(size, 1),
        "cells": [
            {"bounds": [*_to_lon_lat(gx * size, gy * size), *_to_lon_lat((gx + 1) * size, (gy + 1) * size)], "count": n}
            for gx, gy, n in cells
        ],
    }


def incident_list() -> QuerySet[Incident]:
    """The incidents a commander may open one by one (the fields the model holds are all they may see)."""
    return Incident.objects.order_by("-day", "record_id")


def weekly_report_list() -> QuerySet[WeeklyReport]:
    return WeeklyReport.objects.select_related("jurisdiction", "requested_by").order_by("-queued_at", "-pk")


def jurisdiction_outlines(*, jurisdiction: int | None) -> dict:
    """The jurisdiction's boundary (all of them when None), simplified, as GeoJSON for the map's frame."""
    condition, params = ("WHERE id = %(pk)s", {"pk": jurisdiction}) if jurisdiction else ("", {})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(boundary, 0.0002), 5) "
            f"FROM geography_policejurisdiction {condition} ORDER BY id",
            params,
        )
        rows = cursor.fetchall()
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": pk, "properties": {"name": name}, "geometry": json.loads(geometry)}
            for pk, name, geometry in rows
        ],
    }


def jurisdiction_rates(*, end: date, filters: IncidentFilter) -> list[dict]:
    """Every jurisdiction's count and rate per 100,000 (estimated population) in the last 28 days and the year to
    date, with the filters (but for the jurisdiction)."""
    month, year = period_span(code="28d", end=end), period_span(code="ytd", end=end)
    where, params = replace(filters, jurisdiction=None).sql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT j.id, j.name, p.population, "
            "count(i.record_id) FILTER (WHERE i.day >= %(month)s), count(i.record_id) FILTER (WHERE i.day >= %(year)s) "
            "FROM geography_policejurisdiction j "
            "LEFT JOIN compstat_jurisdictionpopulation p ON p.jurisdiction_id = j.id AND p.year = %(year_number)s "
            f"LEFT JOIN compstat_incident i ON i.jurisdiction_id = j.id AND i.day BETWEEN %(first)s AND %(end)s{where} "
            "GROUP BY j.id, j.name, p.population ORDER BY j.name",
            params
            | {"month": month.first, "year": year.first, "year_number": end.year}
            | {"first": min(month.first, year.first), "end": end},
        )
        rows = cursor.fetchall()
    return [
        {
            "id": pk,
            "name": name,
            "population": population,
            "month": month_count,
            "month_rate": round(100_000 * month_count / population, 2) if population else None,
            "year": year_count,
            "year_rate": round(100_000 * year_count / population, 2) if population else None,
        }
        for pk, name, population, month_count, year_count in rows
    ]
