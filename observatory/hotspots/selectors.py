"""Reading what a hotspot analysis needs (the police source's records, study areas, colonias) and what it stored.

Incidents leave here as coordinates, months and colonias only: never a name, an ID number or an address."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.db.models import Count, QuerySet

from observatory.geography.models import Level, PoliceJurisdiction

from .measures import weighted_displacement_quotient
from .models import HotspotAnalysis, HotspotArea
from .terms import HOTSPOT_MIN_CONFIDENCE, AreaKind, DisplacementReading


def records_data_version(*, source: str) -> str:
    """The version of a source's records: its latest change and its number of records (a deletion changes it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT max(updated_at), count(*) FROM records_sourcerecord WHERE source_id = %s AND point IS NOT NULL",
            [source],
        )
        latest, count = cursor.fetchone()
    return f"{latest.isoformat() if latest else '-'}/{count}"


def records_cutoff(*, source: str) -> date | None:
    """The day of the source's latest event with a point: the analyses' periods end there, not today."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT max(event_date) FROM records_sourcerecord WHERE source_id = %s AND point IS NOT NULL", [source]
        )
        return cursor.fetchone()[0]


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _record_filter(*, analysis: HotspotAnalysis) -> tuple[str, list]:
    """The WHERE clause of the records an analysis counts (alias r), and its parameters."""
    clauses = ["r.source_id = %s", "r.point IS NOT NULL", "r.event_date BETWEEN %s AND %s"]
    parameters: list = [settings.HOTSPOTS_SOURCE, analysis.first_month, _month_end(analysis.last_month)]
    if analysis.category:
        clauses.append("r.category = %s")
        parameters.append(analysis.category)
    if analysis.jurisdiction_id:
        clauses.append("ST_Intersects(r.point, (SELECT boundary FROM geography_policejurisdiction WHERE id = %s))")
        parameters.append(analysis.jurisdiction_id)
    return " AND ".join(clauses), parameters


@dataclass(frozen=True)
class Incidents:
    """The analysis' incidents: coordinates in the grid's projection and month (0 the first)."""

    x: np.ndarray
    y: np.ndarray
    month: np.ndarray


def incidents_of(*, analysis: HotspotAnalysis, srid: int) -> Incidents:
    where, parameters = _record_filter(analysis=analysis)
    first = analysis.first_month.year * 12 + analysis.first_month.month - 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT ST_X(p), ST_Y(p), extract(year FROM r.event_date)::int * 12
                       + extract(month FROM r.event_date)::int - 1 - %s
                FROM records_sourcerecord r, ST_Transform(r.point, %s) AS p WHERE {where}""",
            [first, srid, *parameters],
        )
        rows = np.array(cursor.fetchall(), dtype=float).reshape(-1, 3)
    return Incidents(x=rows[:, 0], y=rows[:, 1], month=rows[:, 2].astype(int))


def incidents_centre(*, analysis: HotspotAnalysis) -> tuple[float, float] | None:
    """(longitude, latitude) of the centre of the analysis' incidents, or of its jurisdiction; None without either."""
    where, parameters = _record_filter(analysis=analysis)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT avg(ST_X(r.point)), avg(ST_Y(r.point)) FROM records_sourcerecord r WHERE {where}", parameters
        )
        longitude, latitude = cursor.fetchone()
    if longitude is None and analysis.jurisdiction_id:
        centre = PoliceJurisdiction.objects.get(pk=analysis.jurisdiction_id).boundary.centroid
        return centre.x, centre.y
    return None if longitude is None else (longitude, latitude)


def study_area(*, analysis: HotspotAnalysis, srid: int, margin_metres: float) -> shapely.Geometry:
    """The jurisdiction's boundary; without one, the convex hull of the incidents widened by `margin_metres`."""
    if analysis.jurisdiction_id:
        sql, parameters = (
            "SELECT ST_AsBinary(ST_Transform(boundary, %s)) FROM geography_policejurisdiction WHERE id = %s",
            [srid, analysis.jurisdiction_id],
        )
    else:
        where, parameters = _record_filter(analysis=analysis)
        sql = (
            "SELECT ST_AsBinary(ST_Buffer(ST_ConvexHull(ST_Collect(ST_Transform(r.point, %s))), %s)) "
            f"FROM records_sourcerecord r WHERE {where}"
        )
        parameters = [srid, margin_metres, *parameters]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return shapely.from_wkb(bytes(cursor.fetchone()[0]))


@dataclass(frozen=True)
class Colonias:
    """The colonias meeting the study area: ids, codes, names, boundaries (in the grid's projection), populations of
    the year nearest the analysis' last (0 where none is known)."""

    ids: np.ndarray
    codes: list[str]
    names: list[str]
    boundaries: list
    population: np.ndarray


def colonias_meeting(*, area: shapely.Geometry, srid: int, year: int) -> Colonias:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT u.id, u.code, u.name, ST_AsBinary(ST_Transform(u.boundary, %(srid)s)), coalesce((
                       SELECT p.population FROM geography_population p
                       WHERE p.unit_id = u.id AND p.sex = '' AND p.age_band = ''
                       ORDER BY p.year > %(year)s, abs(p.year - %(year)s) LIMIT 1), 0)
               FROM geography_adminunit u
               WHERE u.level = %(level)s
                 AND ST_Intersects(u.boundary, ST_Transform(ST_GeomFromWKB(%(area)s, %(srid)s), 4326))
               ORDER BY u.code""",
            {"srid": srid, "year": year, "level": Level.COLONIA, "area": shapely.to_wkb(area)},
        )
        rows = cursor.fetchall()
    return Colonias(
        ids=np.array([row[0] for row in rows], dtype=np.int64),
        codes=[row[1] for row in rows],
        names=[row[2] for row in rows],
        boundaries=[shapely.from_wkb(bytes(row[3])) for row in rows],
        population=np.array([row[4] for row in rows], dtype=np.int64),
    )


def hotspot_area_list(
    *, analysis: HotspotAnalysis, kind: str = AreaKind.GRID, only_notable: bool = True
) -> QuerySet[HotspotArea]:
    """An analysis' areas of a kind; `only_notable` leaves out the cells with no incident, no significant Gi*, no
    emerging class and no local Moran cluster (what a map draws)."""
    areas = HotspotArea.objects.filter(analysis=analysis, kind=kind).order_by("code")
    if only_notable:
        areas = areas.exclude(count=0, confidence=0, emerging__in=["", "no_pattern"], moran_cluster="")
    return areas


def hotspot_list(*, analysis: HotspotAnalysis, kind: str = AreaKind.GRID) -> QuerySet[HotspotArea]:
    """The hot spots of an analysis (95% confidence or more after the false discovery rate correction), hottest
    first."""
    return HotspotArea.objects.filter(analysis=analysis, kind=kind, confidence__gte=HOTSPOT_MIN_CONFIDENCE).order_by(
        "-confidence", "-gi_z"
    )


@dataclass(frozen=True)
class Displacement:
    """Incidents in the area, the ring around it and the rest of the study area, (before, after) a day."""

    area: tuple[int, int]
    ring: tuple[int, int]
    rest: tuple[int, int]
    quotient: float | None
    reading: DisplacementReading


def displacement_check(
    *, area_geojson: str, ring_metres: int, on: date, days: int, category: str, jurisdiction_id: int | None
) -> Displacement:
    """Counts of the `days` before `on` and the `days` from it (the police source's records of a category, blank for
    all), and the weighted displacement quotient. The rest is the jurisdiction, or every record of the source."""
    clauses, parameters = (
        ["r.source_id = %s", "r.point IS NOT NULL", "r.event_date >= %s", "r.event_date < %s"],
        [
            settings.HOTSPOTS_SOURCE,
            on - timedelta(days=days),
            on + timedelta(days=days),
        ],
    )
    if category:
        clauses.append("r.category = %s")
        parameters.append(category)
    if jurisdiction_id:
        clauses.append("ST_Intersects(r.point, (SELECT boundary FROM geography_policejurisdiction WHERE id = %s))")
        parameters.append(jurisdiction_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH area AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326) AS shape),
                     ring AS (SELECT ST_Buffer(shape::geography, %s)::geometry AS shape FROM area)
                SELECT CASE WHEN ST_Intersects(r.point, area.shape) THEN 'area'
                            WHEN ST_Intersects(r.point, ring.shape) THEN 'ring' ELSE 'rest' END,
                       r.event_date >= %s, count(*)
                FROM records_sourcerecord r, area, ring WHERE {" AND ".join(clauses)} GROUP BY 1, 2""",
            [area_geojson, ring_metres, on, *parameters],
        )
        counts = {(zone, after): count for zone, after, count in cursor.fetchall()}
    zones = {zone: (counts.get((zone, False), 0), counts.get((zone, True), 0)) for zone in ("area", "ring", "rest")}
    quotient, reading = weighted_displacement_quotient(**zones)
    return Displacement(**zones, quotient=quotient, reading=reading)


def hotspot_analysis_list() -> QuerySet[HotspotAnalysis]:
    return HotspotAnalysis.objects.select_related("jurisdiction").order_by("-queued_at", "-pk")


def emerging_counts(*, analysis: HotspotAnalysis) -> dict[str, int]:
    """Cells per emerging class."""
    rows = (
        HotspotArea.objects.filter(analysis=analysis, kind=AreaKind.GRID)
        .values_list("emerging")
        .annotate(n=Count("pk"))
    )
    return dict(rows.order_by())


def hotspots_of_week(*, jurisdiction_id: int, week_end: date, category: str = "") -> QuerySet[HotspotArea] | None:
    """For a weekly report: the hot spots of the newest computed analysis of a jurisdiction whose last month holds
    `week_end`; None when none has been computed (hotspot_analysis_request queues one)."""
    analysis = (
        HotspotAnalysis.objects.filter(
            jurisdiction_id=jurisdiction_id,
            category=category,
            last_month=week_end.replace(day=1),
            status=HotspotAnalysis.Status.DONE,
        )
        .order_by("-finished_at")
        .first()
    )
    return hotspot_list(analysis=analysis) if analysis else None
