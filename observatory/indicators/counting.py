"""Counting events month by month: source records by their source, reconciled victims, at every geography level.

One set-based SQL query per basis kind counts at the finest grain (month, municipality, colonia, jurisdiction,
category, flags, sex, age band); pandas then adds the series that are subsets (femicide, unidentified bodies,
clandestine graves) and rolls the counts up the hierarchy. A month's date is the event date, or the date of
death where the event date is unknown.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection

from observatory.geography.models import AdminUnit, Level
from observatory.records.terms import Category

from .figures import month_date
from .terms import (
    AGE_BAND_OPEN_FROM,
    AGE_BAND_WIDTH,
    ALL,
    DEATH_CATEGORIES,
    INTENT_CLASS,
    RECONCILED,
    UNKNOWN_AGE_BAND,
    Series,
    UnitLevel,
    age_band_label,
)

KEY = ["level", "unit_id", "series", "basis", "sex", "age_band"]

_MONTH = "(extract(year from {d}) * 12 + extract(month from {d}) - 1)::int"
# -1: age unknown; -2: a category not broken down by sex and age (sex is then left blank).
_AGE_LOWER = (
    "CASE WHEN NOT ({broken_down}) THEN -2 WHEN {age} IS NULL THEN -1 "
    f"ELSE least(floor({{age}} / {AGE_BAND_WIDTH}) * {AGE_BAND_WIDTH}, {AGE_BAND_OPEN_FROM})::int END"
)


def _month_filter(day: str, months: list[int] | None) -> str:
    """`day` within one of the months, as ranges of days: the day's index finds them (a month number does not)."""
    if months is None:
        return ""
    ranges = []
    for month in sorted(set(months)):
        if ranges and ranges[-1][1] == month:
            ranges[-1][1] = month + 1
        else:
            ranges.append([month, month + 1])
    days = " OR ".join(f"({day} >= '{month_date(start)}' AND {day} < '{month_date(end)}')" for start, end in ranges)
    return f"AND ({days})"


def _records_sql(months: list[int] | None) -> str:
    day = "coalesce(r.event_date, r.death_date)"
    month = _MONTH.format(d=day)
    broken_down = "r.category = ANY(%(breakdown)s)"
    return f"""
        SELECT r.source_id AS basis, {month} AS month, r.municipality_id, r.colonia_id, r.jurisdiction_id,
               r.category, r.is_femicide,
               r.is_unidentified AND (r.category = ANY(%(deaths)s) OR r.outcome = 'died') AS unidentified_body,
               coalesce(r.place_type = 'clandestine_grave', false) AS in_grave,
               CASE WHEN {broken_down} THEN r.sex ELSE '' END AS sex,
               {_AGE_LOWER.format(broken_down=broken_down, age="r.age_years")} AS age_lower,
               count(*)::int AS n
        FROM records_sourcerecord r
        WHERE {day} IS NOT NULL AND r.category <> '' {_month_filter(day, months)}
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    """


def _victims_sql(months: list[int] | None) -> str:
    day = "coalesce(v.event_date, v.death_date)"
    month = _MONTH.format(d=day)
    intent = (
        "CASE r.category "
        + " ".join(f"WHEN '{category}' THEN '{kind}'" for category, kind in INTENT_CLASS.items())
        + " END"
    )
    broken_down = "v.category = ANY(%(breakdown)s)"
    return f"""
        WITH chosen AS (
            SELECT v.* FROM reconciliation_victim v
            WHERE v.retired_at IS NULL AND v.category <> '' AND {day} IS NOT NULL {_month_filter(day, months)}
        ), per_victim AS (
            SELECT vr.victim_id,
                   max(r.jurisdiction_id) AS jurisdiction_id,
                   coalesce(bool_or(r.place_type = 'clandestine_grave'), false) AS in_grave,
                   min({intent}) <> max({intent}) AS class_conflict,
                   coalesce(max(r.event_date) FILTER (WHERE r.category <> 'disappearance')
                            - min(r.event_date) FILTER (WHERE r.category <> 'disappearance'), 0)
                       > %(date_conflict_days)s AS date_conflict,
                   min(r.municipality_id) FILTER (WHERE r.category <> 'disappearance')
                       <> max(r.municipality_id) FILTER (WHERE r.category <> 'disappearance') AS place_conflict
            FROM reconciliation_victimrecord vr JOIN records_sourcerecord r ON r.id = vr.record_id
            WHERE vr.victim_id IN (SELECT id FROM chosen)
            GROUP BY vr.victim_id
        )
        SELECT '{RECONCILED}' AS basis, {month} AS month, v.municipality_id, v.colonia_id, p.jurisdiction_id,
               v.category, v.is_femicide,
               v.is_unidentified AND (v.died OR v.category = ANY(%(deaths)s)) AS unidentified_body,
               coalesce(p.in_grave, false) AS in_grave,
               CASE WHEN {broken_down} THEN v.sex ELSE '' END AS sex,
               {_AGE_LOWER.format(broken_down=broken_down, age="v.age_years")} AS age_lower,
               array_to_string(v.sources, '+') AS pattern,  -- kept sorted by the reconciliation
               coalesce(p.class_conflict, false) AS class_conflict,
               coalesce(p.date_conflict, false) AS date_conflict,
               coalesce(p.place_conflict, false) AS place_conflict,
               count(*)::int AS n
        FROM chosen v LEFT JOIN per_victim p ON p.victim_id = v.id
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    """


def _breakdown_categories() -> list[str]:
    """Categories whose records are counted by sex and age band (femicide is a subset of homicide)."""
    chosen = set(settings.INDICATORS_BREAKDOWN_SERIES)
    return sorted({Category.HOMICIDE.value if series == Series.FEMICIDE else series for series in chosen})


def _query(sql: str) -> pd.DataFrame:
    parameters = {
        "deaths": sorted(DEATH_CATEGORIES),
        "breakdown": _breakdown_categories(),
        "date_conflict_days": settings.INDICATORS_DATE_CONFLICT_DAYS,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        columns = [column.name for column in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=columns)


def events_count(*, months: list[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts at the finest grain: (source records, reconciled victims), for every month or only these."""
    return _query(_records_sql(months)), _query(_victims_sql(months))


def _with_subset_series(events: pd.DataFrame) -> pd.DataFrame:
    """One row per series an event belongs to: its category, and femicide, unidentified body, clandestine grave."""
    parts = [events.assign(series=events["category"])]
    for flag, series in (
        ("is_femicide", Series.FEMICIDE),
        ("unidentified_body", Series.UNIDENTIFIED_BODY),
        ("in_grave", Series.CLANDESTINE_GRAVE),
    ):
        chosen = events[events[flag].astype(bool)]
        if len(chosen):
            parts.append(chosen.assign(series=series.value))
    return pd.concat(parts, ignore_index=True)


@dataclass
class Hierarchy:
    """Which department and country each municipality belongs to."""

    department_of: dict[int, int]
    country_of_department: dict[int, int]
    only_country: int | None

    @classmethod
    def load(cls) -> "Hierarchy":
        units = list(
            AdminUnit.objects.filter(level__in=[Level.COUNTRY, Level.DEPARTMENT, Level.MUNICIPALITY]).values_list(
                "id", "level", "parent_id"
            )
        )
        countries = [unit for unit, level, _ in units if level == Level.COUNTRY]
        return cls(
            department_of={unit: parent for unit, level, parent in units if level == Level.MUNICIPALITY},
            country_of_department={unit: parent for unit, level, parent in units if level == Level.DEPARTMENT},
            only_country=countries[0] if len(countries) == 1 else None,
        )

    def units_at(self, level: str, events: pd.DataFrame) -> pd.Series:
        """The unit of each event at a level; NaN where the event's place does not reach that level. An event with
        no municipality still happened in the country, when the observatory covers one country."""
        municipality = events["municipality_id"]
        if level == UnitLevel.MUNICIPALITY:
            return municipality
        if level == UnitLevel.COLONIA:
            return events["colonia_id"]
        if level == UnitLevel.JURISDICTION:
            return events["jurisdiction_id"]
        department = municipality.map(self.department_of)
        if level == UnitLevel.DEPARTMENT:
            return department
        country = department.map(self.country_of_department)
        return country.fillna(self.only_country) if self.only_country is not None else country


def _sex_and_band(events: pd.DataFrame) -> pd.DataFrame:
    lower = events["age_lower"].to_numpy()
    labels = {
        value: (ALL if value == -2 else UNKNOWN_AGE_BAND if value == -1 else age_band_label(int(value)))
        for value in np.unique(lower)
    }
    return events.assign(age_band=events["age_lower"].map(labels), sex=events["sex"].fillna(""))


def rolled_up(*, events: pd.DataFrame, hierarchy: Hierarchy, extra: list[str] = ()) -> pd.DataFrame:
    """Counts per KEY and month at every level; sex and age band only for the configured series and levels, with
    their margins (by sex alone, by age band alone) beside the totals. `extra` columns are kept in the key."""
    if events.empty:
        return pd.DataFrame(columns=[*KEY, *extra, "month", "n"])
    events = _sex_and_band(_with_subset_series(events))
    breakdown_series = set(settings.INDICATORS_BREAKDOWN_SERIES)
    breakdown_levels = set(settings.INDICATORS_BREAKDOWN_LEVELS)
    parts = []
    for level in UnitLevel.values:
        units = hierarchy.units_at(level, events)
        placed = events.assign(level=level, unit_id=units)[units.notna()]
        totals = placed.assign(sex=ALL, age_band=ALL)
        parts.append(totals)
        if level in breakdown_levels:
            detailed = placed[placed["series"].isin(breakdown_series) & (placed["age_band"] != ALL)]
            parts += [detailed, detailed.assign(age_band=ALL), detailed.assign(sex=ALL)]
    combined = pd.concat(parts, ignore_index=True)
    combined["unit_id"] = combined["unit_id"].astype(np.int64)
    return combined.groupby([*KEY, *extra, "month"], as_index=False, sort=False)["n"].sum()
