"""The records as the linkage model sees them: one row per source record, with the derived columns its
comparisons and blocking rules use (sorted name tokens, the interval of days the event can lie in, ...)."""

import json
from collections.abc import Collection
from operator import itemgetter

import numpy as np
import pandas as pd
import pyarrow as pa
from django.conf import settings
from django.db import connection

from observatory.geography.folding import NOT_A_PLACE_NAME, place_words
from observatory.geography.selectors import colonias_named_in
from observatory.records.terms import PlaceType

from .candidates import MAX_INTERVAL_DAYS, TIME_WINDOW_DAYS
from .phonetic import spanish_sound
from .vocabulary import (
    ADDRESS_WORDS,
    CATEGORY_FAMILIES,
    DEATH_CATEGORIES,
    FACILITY_GENERIC_WORDS,
    ICD10_FOURTH_CHARACTER_NOT_A_PLACE,
    ICD10_MECHANISMS,
    ICD10_PLACE_OF_OCCURRENCE_CAUSES,
    ICD10_PLACES_OF_OCCURRENCE,
    MISSING_CATEGORIES,
    PLACEHOLDER_NAME_PARTS,
    RECOVERY_LAG_DAYS,
)

# Computed in PostgreSQL, set-based: a full run reads the whole table, an incremental one the records it names
# ({where}).
_RECORDS_SQL = """
    SELECT r.id AS unique_id, r.source_id AS source, NULLIF(r.incident_id, '') AS incident_id, r.content_hash,
           CASE WHEN NOT r.is_unidentified THEN r.name_folded ELSE '' END AS name_folded,
           NULLIF(r.id_number, '') AS id_number,
           CASE WHEN r.sex IN ('M', 'F') THEN r.sex END AS sex,
           r.age_years::float8 AS age,
           (%(families)s::jsonb) ->> r.category AS family,
           r.category = ANY(%(missing)s) AS is_missing_report,
           (r.outcome = 'died' OR r.category = ANY(%(deaths)s)) AS died,
           CASE WHEN r.weapon NOT IN ('', 'unknown', 'other') THEN r.weapon ELSE {mechanism} END AS weapon,
           r.municipality_id, r.colonia_id,
           CASE WHEN r.colonia_id IS NULL AND r.municipality_id IS NOT NULL THEN NULLIF(r.address, '') END
               AS place_text,
           -- What the place is called, to compare by its words: the colonia's name, or the address given.
           coalesce(colonia.name, NULLIF(r.address, '')) AS place_description,
           -- A body recovered from a hospital: its place is the hospital's, not where the person was hurt.
           r.place_type = %(hospital)s AS at_hospital,
           CASE WHEN r.place_type IN ('', %(hospital)s, %(other_place)s) THEN {place_of_occurrence}
                ELSE r.place_type END AS place_kind,
           -- The health facility the person was in: the hospital that admitted them, the hospital a body was
           -- recovered from.
           NULLIF(CASE WHEN r.source_id = ANY(%(facility_sources)s) THEN r.reporting_unit
                       WHEN r.place_type = %(hospital)s THEN r.address END, '') AS facility_text,
           s.first_day, s.last_day,
           (r.event_date - DATE '1970-01-01') * 1440 + (EXTRACT(EPOCH FROM r.event_time) / 60)::int AS event_minute,
           r.source_id = ANY(%(one_per_victim)s) AS one_per_victim
    FROM records_sourcerecord r CROSS JOIN LATERAL (
        -- The days the event can lie on: from the event (assault, admission) to the death or the recovery of the
        -- body; a discharge counts only when the patient died; an unknown death date lies in the days before
        -- the recovery.
        SELECT LEAST(event_day, death_day, recovery_day, discharge_day,
                     CASE WHEN death_day IS NULL THEN recovery_day - %(lag)s END) AS first_day,
               GREATEST(event_day, death_day, recovery_day, discharge_day) AS last_day
        FROM (SELECT r.event_date - DATE '1970-01-01' AS event_day, r.death_date - DATE '1970-01-01' AS death_day,
                     r.recovery_date - DATE '1970-01-01' AS recovery_day,
                     CASE WHEN r.outcome = 'died' THEN r.discharge_date - DATE '1970-01-01' END AS discharge_day) d
    ) s
    LEFT JOIN geography_adminunit colonia ON colonia.id = r.colonia_id
    {where}
    ORDER BY r.id
"""
# The other records a candidate rule could pair with some records, by the keys the last runs stored
# (LinkageKey): those sharing an ID number or a name (its parts in any order) with one, and those whose blocked
# days (the first and the last MAX_INTERVAL_DAYS of their interval, as candidates.py blocks them) overlap the
# given ranges of days. A range test on either end of the interval, so that the indexes on both serve it.
_NEAR_SQL = """
    SELECT record_id FROM reconciliation_linkagekey
    WHERE id_number IN (SELECT unnest(%(id_numbers)s::text[])) AND id_number <> ''
    UNION
    SELECT record_id FROM reconciliation_linkagekey
    WHERE name_sorted IN (SELECT unnest(%(names)s::text[])) AND name_sorted <> ''
    UNION
    SELECT k.record_id FROM unnest(%(starts)s::int[], %(ends)s::int[]) AS w(s, e)
    JOIN reconciliation_linkagekey k ON k.first_day BETWEEN w.s - %(interval)s AND w.e
    WHERE least(k.last_day, k.first_day + %(interval)s) >= w.s
    UNION
    SELECT k.record_id FROM unnest(%(starts)s::int[], %(ends)s::int[]) AS w(s, e)
    JOIN reconciliation_linkagekey k ON k.last_day BETWEEN w.s AND w.e + %(interval)s
    WHERE k.last_day - k.first_day > %(interval)s
      AND greatest(k.first_day + %(interval)s + 1, k.last_day - %(interval)s) <= w.e
"""
# How many records other than %(records)s hold each of %(names)s, and (name NULL) how many hold a name at all.
_NAME_COUNTS_SQL = """
    SELECT name_sorted, count(*) FROM reconciliation_linkagekey
    WHERE name_sorted IN (SELECT unnest(%(names)s::text[])) AND name_sorted <> ''
      AND record_id NOT IN (SELECT unnest(%(records)s::bigint[]))
    GROUP BY 1
    UNION ALL
    SELECT NULL, count(*) FROM reconciliation_linkagekey
    WHERE name_sorted <> '' AND record_id NOT IN (SELECT unnest(%(records)s::bigint[]))
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


def _place_of_occurrence_sql() -> str:
    """The kind of place the record's ICD-10 external cause names by its fourth character (a hospital admission
    coded X95.4: a street), in SQL; NULL when it names none that the other sources' place types can be told by."""
    (first, last), (other_first, other_last) = ICD10_PLACE_OF_OCCURRENCE_CAUSES, ICD10_FOURTH_CHARACTER_NOT_A_PLACE
    whens = " ".join(
        f"WHEN '{character}' THEN '{place.value}'" for character, place in ICD10_PLACES_OF_OCCURRENCE.items()
    )
    return (
        f"CASE WHEN left(icd10_cause, 3) BETWEEN '{first}' AND '{last}' "
        f"AND left(icd10_cause, 3) NOT BETWEEN '{other_first}' AND '{other_last}' "
        f"THEN CASE substr(icd10_cause, 4, 1) {whens} END END"
    )


# The table DuckDB and Splink read, typed even where a column holds no value at all.
SPLINK_SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("source", pa.string()),
        ("incident_id", pa.string()),
        ("name_sorted", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
        ("name_sounds", pa.list_(pa.string())),
        ("id_number", pa.string()),
        ("sex", pa.string()),
        ("age", pa.float64()),
        ("family", pa.string()),
        ("is_missing_report", pa.bool_()),
        ("died", pa.bool_()),
        ("weapon", pa.string()),
        ("municipality_id", pa.int64()),
        ("colonia_id", pa.int64()),
        ("place_words", pa.list_(pa.string())),
        ("first_day", pa.int64()),
        ("last_day", pa.int64()),
        ("event_minute", pa.int64()),
        ("one_per_victim", pa.bool_()),
        ("facility", pa.list_(pa.string())),
        ("facility_initials", pa.string()),
        ("place_kind", pa.string()),
        ("at_hospital", pa.bool_()),
        ("is_new", pa.bool_()),
    ]
)


def records_frame() -> pd.DataFrame:
    """Every source record with the columns the linkage compares, ordered by id."""
    return _frame(*_rows(records=None))


def records_near(*, records: Collection[int]) -> tuple[pd.DataFrame, pd.Series]:
    """The records a candidate rule could pair with `records` (them included), as records_frame gives them, and
    the share of all named records that hold each name of `records` (`name_sorted`): the names' term frequencies.

    The other records are found, and counted, by their LinkageKey: every record linked has one."""
    columns, rows = _rows(records=records)
    new = pd.DataFrame(rows, columns=columns)
    names = [" ".join(parts) for name in new["name_folded"].unique() if (parts := _name_parts(name))]
    starts, ends = _day_ranges(new[["first_day", "last_day"]].dropna().astype("int64"))
    with connection.cursor() as cursor:
        cursor.execute(
            _NEAR_SQL,
            {
                "id_numbers": new["id_number"].dropna().unique().tolist(),
                "names": names,
                "starts": starts,
                "ends": ends,
                "interval": MAX_INTERVAL_DAYS,
            },
        )
        near = {row[0] for row in cursor.fetchall()}.difference(records)
    rows += _rows(records=near)[1]
    rows.sort(key=itemgetter(0))  # by id, as records_frame
    frame = _frame(columns, rows)
    return frame, _name_shares(frame=frame, records=records)


def _day_ranges(days: pd.DataFrame) -> tuple[list[int], list[int]]:
    """The blocked days of these intervals (their first and last MAX_INTERVAL_DAYS, as candidates.py blocks them)
    widened by TIME_WINDOW_DAYS each way, merged into ranges: (starts, ends)."""
    first, last = days["first_day"].to_numpy(), days["last_day"].to_numpy()
    long = last - first > MAX_INTERVAL_DAYS
    starts = np.concatenate([first, np.maximum(first + MAX_INTERVAL_DAYS + 1, last - MAX_INTERVAL_DAYS)[long]])
    ends = np.concatenate([np.minimum(last, first + MAX_INTERVAL_DAYS), last[long]])
    order = np.argsort(starts, kind="stable")
    merged: list[list[int]] = []
    for start, end in zip(
        (starts[order] - TIME_WINDOW_DAYS).tolist(), (ends[order] + TIME_WINDOW_DAYS).tolist(), strict=False
    ):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [start for start, _end in merged], [end for _start, end in merged]


def _name_shares(*, frame: pd.DataFrame, records: Collection[int]) -> pd.Series:
    """Of all the named records, the share that holds each name of `records`: the others counted by their
    LinkageKey, `records` (in the frame) as they are now. Only these names are needed: a name's frequency weighs
    on a pair only when both records hold it, and every pair scored holds one of `records`."""
    names = frame.loc[frame["unique_id"].isin(records), "name_sorted"].dropna()
    with connection.cursor() as cursor:
        cursor.execute(_NAME_COUNTS_SQL, {"names": names.unique().tolist(), "records": list(records)})
        stored = dict(cursor.fetchall())
    named = stored.pop(None) + len(names)
    return names.value_counts().add(pd.Series(stored, dtype="int64"), fill_value=0) / named


def _rows(*, records: Collection[int] | None) -> tuple[list[str], list[tuple]]:
    """The columns and rows of _RECORDS_SQL: of every record, or of `records`."""
    sql = (
        _RECORDS_SQL.replace("{mechanism}", _mechanism_sql())
        .replace("{place_of_occurrence}", _place_of_occurrence_sql())
        .replace("{where}", "WHERE r.id IN (SELECT unnest(%(records)s::bigint[]))" if records is not None else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "families": json.dumps(CATEGORY_FAMILIES),
                "missing": list(MISSING_CATEGORIES),
                "deaths": list(DEATH_CATEGORIES),
                "lag": RECOVERY_LAG_DAYS,
                "one_per_victim": list(settings.RECONCILIATION_ONE_RECORD_PER_VICTIM_SOURCES),
                "facility_sources": list(settings.RECONCILIATION_FACILITY_SOURCES),
                "hospital": PlaceType.HOSPITAL.value,
                "other_place": PlaceType.OTHER.value,
                "records": list(records or ()),
            },
        )
        return [column.name for column in cursor.description], cursor.fetchall()


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    _colonias_from_place_text(frame)
    codes, facilities = pd.factorize(frame.pop("facility_text"))
    for column, describe in (("facility", _facility_words), ("facility_initials", _facility_initials)):
        values = pd.Series([describe(text) for text in facilities], dtype=object)
        frame[column] = values.reindex(codes).to_numpy()  # code -1 (no facility): None
    # Once per distinct name: the same person's name recurs across sources.
    codes, names = pd.factorize(frame.pop("name_folded"))
    parts = [_name_parts(name) for name in names]
    frame["name_sorted"] = pd.Series([" ".join(found) if found else None for found in parts], dtype=object)[
        codes
    ].to_numpy()
    # Initials ("J NELSON ESTRADA") match any name they could stand for: only whole names are counted.
    whole = pd.Series([[part for part in found if len(part) > 1] if found else None for found in parts], dtype=object)
    frame["name_tokens"] = whole[codes].to_numpy()
    sounds = pd.Series(
        [sorted({spanish_sound(part) for part in found} - {""}) or None if found else None for found in whole],
        dtype=object,
    )
    frame["name_sounds"] = sounds[codes].to_numpy()
    codes, descriptions = pd.factorize(frame.pop("place_description"))
    words = pd.Series([_place_name_words(text) for text in descriptions], dtype=object)
    frame["place_words"] = words.reindex(codes).to_numpy()  # code -1 (no description): None
    return frame


def _place_name_words(text: str) -> list[str] | None:
    """The words that name a place ("Barranco de la Col. El Zapote": barranco, zapote), without the generic
    ones, the words of directions, articles and numbers, to compare places fuzzily."""
    words = {word for word in place_words(text) if len(word) > 2 and not word.isdigit()}
    words = sorted(words - NOT_A_PLACE_NAME - ADDRESS_WORDS)
    return words or None


def _colonias_from_place_text(frame: pd.DataFrame) -> None:
    """A record without a colonia whose place description names one ("Barranco de la Col. El Zapote": a body's
    place of recovery) is compared as being in that colonia."""
    text = frame.pop("place_text")
    described = text.notna()
    if not described.any():
        return
    codes, places = pd.factorize(
        pd.Series(list(zip(frame.loc[described, "municipality_id"], text[described], strict=False)))
    )
    colonias = pd.Series(colonias_named_in(places=list(places)), dtype="Int64")
    frame.loc[described, "colonia_id"] = colonias.to_numpy()[codes]


def _facility_initials(text: str) -> str | None:
    """The initials of a facility's name of several words, against which a name written as its initials is
    compared ("HOSPITAL GENERAL SAN JUAN DE DIOS": hgsjdd)."""
    words = place_words(text)
    return "".join(word[0] for word in words) if len(words) > 1 else None


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
