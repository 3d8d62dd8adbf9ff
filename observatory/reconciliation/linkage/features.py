"""The records as the linkage model sees them: one row per source record, with the derived columns its
comparisons and blocking rules use (sorted name tokens, the interval of days the event can lie in, ...)."""
import json

import pandas as pd
import pyarrow as pa
from django.conf import settings
from django.db import connection

from observatory.geography.folding import place_words
from observatory.geography.selectors import colonias_named_in
from observatory.records.terms import PlaceType

from .vocabulary import (CATEGORY_FAMILIES, DEATH_CATEGORIES, FACILITY_GENERIC_WORDS, ICD10_MECHANISMS,
                         MISSING_CATEGORIES, PLACEHOLDER_NAME_PARTS, RECOVERY_LAG_DAYS)

# Computed in PostgreSQL, set-based: the whole table is read at every run.
_RECORDS_SQL = """
    WITH base AS (
        SELECT r.*, (r.event_date - DATE '1970-01-01') AS event_day, (r.death_date - DATE '1970-01-01') AS death_day,
               (r.recovery_date - DATE '1970-01-01') AS recovery_day,
               CASE WHEN r.outcome = 'died' THEN r.discharge_date - DATE '1970-01-01' END AS discharge_day
        FROM records_sourcerecord r
    )
    SELECT id AS unique_id, source_id AS source, NULLIF(incident_id, '') AS incident_id, content_hash,
           CASE WHEN NOT is_unidentified THEN name_folded ELSE '' END AS name_folded,
           NULLIF(id_number, '') AS id_number,
           CASE WHEN sex IN ('M', 'F') THEN sex END AS sex,
           age_years::float8 AS age,
           (%(families)s::jsonb) ->> category AS family,
           category = ANY(%(missing)s) AS is_missing_report,
           (outcome = 'died' OR category = ANY(%(deaths)s)) AS died,
           CASE WHEN weapon NOT IN ('', 'unknown', 'other') THEN weapon ELSE {mechanism} END AS weapon,
           municipality_id, colonia_id,
           CASE WHEN colonia_id IS NULL AND municipality_id IS NOT NULL THEN NULLIF(address, '') END AS place_text,
           -- The health facility the person was in: the hospital that admitted them, the hospital a body was
           -- recovered from.
           NULLIF(CASE WHEN source_id = ANY(%(facility_sources)s) THEN reporting_unit
                       WHEN place_type = %(hospital)s THEN address END, '') AS facility_text,
           -- The days the event can lie on: from the event (assault, admission) to the death or the recovery
           -- of the body; a discharge counts only when the patient died; an unknown death date lies in the
           -- days before the recovery.
           LEAST(event_day, death_day, recovery_day, discharge_day,
                 CASE WHEN death_day IS NULL THEN recovery_day - %(lag)s END) AS first_day,
           GREATEST(event_day, death_day, recovery_day, discharge_day) AS last_day,
           event_day * 1440 + (EXTRACT(EPOCH FROM event_time) / 60)::int AS event_minute,
           source_id = ANY(%(one_per_victim)s) AS one_per_victim
    FROM base ORDER BY id
"""


def _mechanism_sql() -> str:
    """The weapon the record's ICD-10 external cause names, in SQL (NULL when it names none)."""
    code = "left(icd10_cause, 3)"
    whens = []
    for weapon, ranges in ICD10_MECHANISMS.items():
        for codes in ranges:
            first, _dash, last = codes.partition("-")
            whens.append(f"WHEN {code} BETWEEN '{first}' AND '{last or first}' THEN '{weapon.value}'")
    return f"CASE {' '.join(whens)} END"

# The table DuckDB and Splink read, typed even where a column holds no value at all.
SPLINK_SCHEMA = pa.schema([
    ("unique_id", pa.int64()), ("source", pa.string()), ("incident_id", pa.string()), ("name_sorted", pa.string()),
    ("name_tokens", pa.list_(pa.string())), ("id_number", pa.string()), ("sex", pa.string()), ("age", pa.float64()),
    ("family", pa.string()), ("is_missing_report", pa.bool_()), ("died", pa.bool_()), ("weapon", pa.string()),
    ("municipality_id", pa.int64()), ("colonia_id", pa.int64()), ("first_day", pa.int64()), ("last_day", pa.int64()),
    ("event_minute", pa.int64()), ("one_per_victim", pa.bool_()), ("facility", pa.list_(pa.string())),
    ("is_new", pa.bool_()),
])


def records_frame() -> pd.DataFrame:
    """Every source record with the columns the linkage compares, ordered by id."""
    with connection.cursor() as cursor:
        cursor.execute(_RECORDS_SQL.replace("{mechanism}", _mechanism_sql()), {
            "families": json.dumps(CATEGORY_FAMILIES), "missing": list(MISSING_CATEGORIES),
            "deaths": list(DEATH_CATEGORIES), "lag": RECOVERY_LAG_DAYS,
            "one_per_victim": list(settings.RECONCILIATION_ONE_RECORD_PER_VICTIM_SOURCES),
            "facility_sources": list(settings.RECONCILIATION_FACILITY_SOURCES), "hospital": PlaceType.HOSPITAL.value})
        frame = pd.DataFrame(cursor.fetchall(), columns=[column.name for column in cursor.description])
    _colonias_from_place_text(frame)
    codes, facilities = pd.factorize(frame.pop("facility_text"))
    words = pd.Series([_facility_words(text) for text in facilities], dtype=object)
    frame["facility"] = words.reindex(codes).to_numpy()  # code -1 (no facility): None
    # Once per distinct name: the same person's name recurs across sources.
    codes, names = pd.factorize(frame.pop("name_folded"))
    parts = [_name_parts(name) for name in names]
    frame["name_sorted"] = pd.Series([" ".join(found) if found else None for found in parts], dtype=object)[codes].to_numpy()
    # Initials ("J NELSON ESTRADA") match any name they could stand for: only whole names are counted.
    whole = pd.Series([[part for part in found if len(part) > 1] if found else None for found in parts], dtype=object)
    frame["name_tokens"] = whole[codes].to_numpy()
    return frame


def _colonias_from_place_text(frame: pd.DataFrame) -> None:
    """A record without a colonia whose place description names one ("Barranco de la Col. El Zapote": a body's
    place of recovery) is compared as being in that colonia."""
    text = frame.pop("place_text")
    described = text.notna()
    if not described.any():
        return
    codes, places = pd.factorize(pd.Series(list(zip(frame.loc[described, "municipality_id"], text[described]))))
    colonias = pd.Series(colonias_named_in(places=list(places)), dtype="Int64")
    frame.loc[described, "colonia_id"] = colonias.to_numpy()[codes]


def _facility_words(text: str) -> list[str] | None:
    """The words that tell one health facility from another ("HOSP. ROOSEVELT", "Hospital Roosevelt": roosevelt)."""
    words = sorted(set(place_words(text)) - FACILITY_GENERIC_WORDS)
    return words or None


def _name_parts(name: str) -> list[str] | None:
    """Sorted distinct name parts; None when there is no name, or only placeholders and initials
    (PACIENTE DESCONOCIDO, NN, J X)."""
    parts = set(name.split())
    if not any(len(part) > 1 and part not in PLACEHOLDER_NAME_PARTS for part in parts):
        return None
    return sorted(parts)


def as_splink_input(frame: pd.DataFrame) -> pa.Table:
    """The records as a typed Arrow table (`is_new` false unless the frame says otherwise)."""
    if "is_new" not in frame:
        frame = frame.assign(is_new=False)
    return pa.Table.from_pandas(frame[SPLINK_SCHEMA.names], schema=SPLINK_SCHEMA, preserve_index=False)
