"""Loading normalised chunks: COPY into a staging table, then one set-based merge into SourceRecord.

The merge is a single transaction: until it commits, nothing of the file is visible, so a worker
killed mid-run leaves no partial records behind.
"""
import io
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .normalising import STAGED_COLUMNS

STAGING_TABLE = "ingestion_staging"
STAGED_TYPES = {
    "row_number": "integer", "record_id": "text", "status": "text", "unmapped": "jsonb", "incident_id": "text",
    "event_date": "date", "event_time": "time", "death_date": "date", "recovery_date": "date",
    "discharge_date": "date", "category": "text", "is_femicide": "boolean", "outcome": "text", "manner": "text",
    "intent": "text", "weapon": "text", "place_type": "text", "icd10_cause": "text", "icd10_injury": "text",
    "identification": "text", "sex": "text", "age_years": "numeric(5,2)", "reporting_unit": "text",
    "full_name": "text", "name_folded": "text", "is_unidentified": "boolean", "id_number": "text", "address": "text",
    "municipality_id": "bigint", "colonia_id": "bigint", "jurisdiction_id": "bigint",
    "point_latitude": "double precision", "point_longitude": "double precision", "geo_method": "text",
    "geo_note": "text", "content_hash": "bigint",
}
# Copied as they are from staging to SourceRecord (text columns empty rather than NULL).
COPIED_COLUMNS = [column for column in STAGED_COLUMNS if column not in ("row_number", "point_latitude", "point_longitude")]
TEXT_COLUMNS = {column for column, kind in STAGED_TYPES.items() if kind == "text"} - {"record_id"}


@dataclass
class MergeCounts:
    created: int
    updated: int
    unchanged: int
    superseded: list[tuple[int, str, int]]  # (row, record id, the later row that replaced it)


def staging_create(cursor, *, raw_column_count: int) -> None:
    columns = [f"{name} {kind}" for name, kind in STAGED_TYPES.items()]
    columns += [f"raw_{index} text" for index in range(raw_column_count)]
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
    cursor.execute(f"CREATE TEMPORARY TABLE {STAGING_TABLE} ({', '.join(columns)})")


def staging_drop(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")


def _as_csv(frame: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return buffer.getvalue()


def staging_copy(cursor, *, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    prepared = frame.copy()
    prepared["age_years"] = pd.to_numeric(prepared["age_years"], errors="coerce")
    for column in TEXT_COLUMNS:
        prepared[column] = prepared[column].fillna("").astype(str)
    columns = ", ".join(prepared.columns)
    with cursor.copy(f"COPY {STAGING_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(_as_csv(prepared))


def staging_merge(cursor, *, source_code: str, run_id: int, profile_version: int, header: list[str]) -> MergeCounts:
    """Upsert the staged rows into SourceRecord: revisions kept for changed rows, unchanged rows untouched."""
    superseded: dict[int, tuple[int, str, int]] = {}
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {STAGING_TABLE} GROUP BY record_id HAVING count(*) > 1)")
    if cursor.fetchone()[0]:
        cursor.execute(f"""
            DELETE FROM {STAGING_TABLE} earlier USING {STAGING_TABLE} later
            WHERE earlier.record_id = later.record_id AND earlier.row_number < later.row_number
            RETURNING earlier.row_number, earlier.record_id, later.row_number
        """)
        for row_number, record_id, later_row in cursor.fetchall():
            if later_row > superseded.get(row_number, (0, "", 0))[2]:
                superseded[row_number] = (row_number, record_id, later_row)

    raw_row = "ARRAY[" + ", ".join(f"s.raw_{index}" for index in range(len(header))) + "]::text[]"
    cursor.execute(f"""
        INSERT INTO records_sourcerecordrevision (record_id, revision, replaced_by_run_id, replaced_at, raw, normalised)
        SELECT r.id, r.revision, %s, now(), jsonb_object(writer.header::text[], r.raw),
               to_jsonb(r) - 'raw' - 'id' - 'source_id' - 'record_id' - 'first_run_id' - 'last_run_id'
        FROM records_sourcerecord r
        JOIN {STAGING_TABLE} s ON r.record_id = s.record_id
        JOIN ingestion_importrun writer ON writer.id = r.last_run_id
        WHERE r.source_id = %s AND r.content_hash <> s.content_hash
    """, [run_id, source_code])

    point = ("CASE WHEN s.point_longitude IS NULL THEN NULL "
             "ELSE ST_SetSRID(ST_MakePoint(s.point_longitude, s.point_latitude), 4326) END")
    assignments = ", ".join(f"{column} = s.{column}" for column in COPIED_COLUMNS if column != "record_id")
    cursor.execute(f"""
        UPDATE records_sourcerecord r SET {assignments}, raw = {raw_row}, point = {point}, last_run_id = %s,
            profile_version = %s, revision = r.revision + 1, updated_at = now()
        FROM {STAGING_TABLE} s
        WHERE r.source_id = %s AND r.record_id = s.record_id AND r.content_hash <> s.content_hash
    """, [run_id, profile_version, source_code])
    updated = cursor.rowcount
    copied = ", ".join(f"s.{column}" for column in COPIED_COLUMNS)
    cursor.execute(f"""
        INSERT INTO records_sourcerecord (source_id, first_run_id, last_run_id, revision, created_at, updated_at,
            profile_version, raw, point, {", ".join(COPIED_COLUMNS)})
        SELECT %s, %s, %s, 1, now(), now(), %s, {raw_row}, {point}, {copied}
        FROM {STAGING_TABLE} s
        WHERE NOT EXISTS (SELECT 1 FROM records_sourcerecord r WHERE r.source_id = %s AND r.record_id = s.record_id)
    """, [source_code, run_id, run_id, profile_version, source_code])
    created = cursor.rowcount
    cursor.execute(f"SELECT count(*) FROM {STAGING_TABLE}")
    staged = cursor.fetchone()[0]
    return MergeCounts(created=created, updated=updated, unchanged=staged - created - updated,
                       superseded=sorted(superseded.values()))


ISSUES_TABLE = "ingestion_staging_issues"
ISSUE_COLUMNS = ["row_number", "column", "value", "reason", "severity", "record_id", "raw_row"]


def issues_staging_create(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {ISSUES_TABLE}")
    cursor.execute(f"""CREATE TEMPORARY TABLE {ISSUES_TABLE} (row_number integer, "column" text, value text,
                       reason text, severity text, record_id text, raw_row jsonb)""")


def issues_staging_copy(cursor, *, issues: list[dict]) -> None:
    if not issues:
        return
    frame = pd.DataFrame(issues, columns=ISSUE_COLUMNS)
    with cursor.copy(f'COPY {ISSUES_TABLE} (row_number, "column", value, reason, severity, record_id, raw_row) '
                     "FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(_as_csv(frame))


def issues_merge(cursor, *, run_id: int) -> None:
    cursor.execute(f"""
        INSERT INTO ingestion_rowissue (run_id, row_number, "column", value, reason, severity, record_id, raw_row)
        SELECT %s, row_number, coalesce("column", ''), coalesce(value, ''), reason, severity,
               coalesce(record_id, ''), raw_row
        FROM {ISSUES_TABLE} ORDER BY row_number
    """, [run_id])
    cursor.execute(f"DROP TABLE IF EXISTS {ISSUES_TABLE}")
