"""Loading normalised chunks into SourceRecord, chunk by chunk, inside the caller's transaction.

New records are copied straight into the records table; changed ones go through a small staging table that
keeps their revisions; unchanged ones are not written at all. Until the transaction commits nothing of the
file is visible, so a worker killed mid-run leaves no partial records behind.

Rows travel as Arrow record batches in the records table's own types, and pgpq (compiled) lays them out in
PostgreSQL's binary COPY format: PostgreSQL then parses nothing, and Python loops over no row.
"""
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from pgpq import ArrowToPostgresBinaryEncoder
from pgpq.encoders import LargeStringEncoderBuilder
from pgpq.schema import Jsonb

from .normalising import STAGED_COLUMNS

RECORDS_TABLE = "records_sourcerecord"
STAGING_TABLE = "ingestion_staging"
RUN_ROWS_TABLE = "ingestion_staging_rows"
# Written as they are from a normalised chunk to SourceRecord (text columns empty rather than NULL).
COPIED_COLUMNS = [column for column in STAGED_COLUMNS if column not in ("row_number", "point_latitude", "point_longitude")]
TEXT_COLUMNS = ["status", "incident_id", "category", "outcome", "manner", "intent", "weapon", "place_type",
                "icd10_cause", "icd10_injury", "identification", "sex", "reporting_unit", "full_name", "name_folded",
                "id_number", "address", "geo_method", "geo_note"]
RECORD_COLUMNS = ["source_id", "first_run_id", "last_run_id", "revision", "created_at", "updated_at",
                  "profile_version", "raw", "point", *COPIED_COLUMNS]
# The Arrow type each column travels as; its PostgreSQL type is the one pgpq writes for it (binary for
# PostGIS's EWKB, a JSON string for jsonb).
RECORD_TYPES = {
    "source_id": pa.large_string(), "first_run_id": pa.int64(), "last_run_id": pa.int64(), "revision": pa.int32(),
    "created_at": pa.timestamp("us", tz="UTC"), "updated_at": pa.timestamp("us", tz="UTC"),
    "profile_version": pa.int32(), "raw": pa.large_list(pa.large_string()), "point": pa.binary(),
    "record_id": pa.large_string(), "unmapped": pa.large_string(), "event_date": pa.date32(),
    "event_time": pa.time64("us"), "death_date": pa.date32(), "recovery_date": pa.date32(),
    "discharge_date": pa.date32(), "is_femicide": pa.bool_(), "age_years": pa.decimal128(5, 2),
    "is_unidentified": pa.bool_(), "municipality_id": pa.int64(), "colonia_id": pa.int64(),
    "jurisdiction_id": pa.int64(), "content_hash": pa.int64(),
    **{column: pa.large_string() for column in TEXT_COLUMNS},
}
RECORD_SCHEMA = pa.schema([(column, RECORD_TYPES[column]) for column in RECORD_COLUMNS])
JSONB_COLUMNS = ("unmapped",)
RUN_ROWS_SCHEMA = pa.schema([("record_id", pa.large_string()), ("row_number", pa.int32())])
# A 2D point with SRID 4326 as little-endian EWKB: byte order, type with the SRID flag, SRID; then x and y.
EWKB_POINT_PREFIX = np.frombuffer(bytes.fromhex("0101000020E6100000"), dtype=np.uint8)


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: list[tuple[int, str, int]] = field(default_factory=list)  # (row, record id, the row that replaced it)


def _points(longitudes: np.ndarray, latitudes: np.ndarray) -> pa.Array:
    """EWKB points (exact doubles), NULL where there is no point."""
    wkb = np.empty((len(longitudes), 25), dtype=np.uint8)
    wkb[:, :9] = EWKB_POINT_PREFIX
    wkb[:, 9:17] = longitudes.astype("<f8").view(np.uint8).reshape(-1, 8)
    wkb[:, 17:] = latitudes.astype("<f8").view(np.uint8).reshape(-1, 8)
    valid = ~(np.isnan(longitudes) | np.isnan(latitudes))
    points = pa.FixedSizeBinaryArray.from_buffers(pa.binary(25), len(wkb), [None, pa.py_buffer(wkb.tobytes())])
    return pc.if_else(pa.array(valid), points.cast(pa.binary()), pa.scalar(None, pa.binary()))


def _dates(values: pd.Series) -> pa.Array:
    """ISO dates (or None); each distinct date is read once."""
    codes, distinct = pd.factorize(values)
    distinct_days = pd.to_datetime(distinct, format="%Y-%m-%d").to_numpy(dtype="datetime64[D]")
    days = np.append(distinct_days, np.datetime64("NaT", "D"))[codes]  # code -1 (no date) takes the NaT
    return pa.array(days, type=pa.date32(), from_pandas=True)


def _times(values: pd.Series) -> pa.Array:
    """ISO times of day (or None); each distinct time is read once."""
    codes, distinct = pd.factorize(values)
    since_midnight = pd.to_timedelta(distinct).to_numpy(dtype="timedelta64[us]").astype(np.int64)
    return pa.array(np.append(since_midnight, 0)[codes], type=pa.time64("us"), mask=codes < 0)


def _ages(values: pd.Series) -> pa.Array:
    """Ages in years, rounded to hundredths (numeric(5,2))."""
    years = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return pc.round(pa.array(years, from_pandas=True), 2).cast(pa.decimal128(5, 2))


def _column(frame: pd.DataFrame, column: str, raw_columns: list[str]) -> pa.Array:
    """One of SourceRecord's columns from a normalised chunk, in its Arrow type (RECORD_TYPES)."""
    kind = RECORD_TYPES[column]
    if column == "raw":
        return _row_as_sent([pa.array(frame[name], type=pa.large_string(), from_pandas=True) for name in raw_columns])
    if column == "point":
        return _points(frame["point_longitude"].to_numpy(dtype=float), frame["point_latitude"].to_numpy(dtype=float))
    if kind == pa.large_string():
        return pc.fill_null(pa.array(frame[column], type=kind, from_pandas=True), "")
    if kind == pa.date32():
        return _dates(frame[column])
    if kind == pa.time64("us"):
        return _times(frame[column])
    if kind == pa.decimal128(5, 2):
        return _ages(frame[column])
    if kind == pa.bool_():
        return pa.array(frame[column].to_numpy(dtype=bool))
    values = frame[column]  # int8, nullable
    return pa.array(values.fillna(0).to_numpy(dtype=np.int64), mask=values.isna().to_numpy())


def _row_as_sent(columns: list[pa.Array]) -> pa.Array:
    """The row's values (none NULL) as one text[] per row, in the order of the file's header."""
    rows, width = len(columns[0]), len(columns)
    # The values column by column, then taken row by row: row r's values are r, r + rows, r + 2 * rows...
    by_row = (np.arange(width, dtype=np.int64)[None, :] * rows + np.arange(rows, dtype=np.int64)[:, None]).ravel()
    values = pc.take(pa.concat_arrays([pc.fill_null(column, "") for column in columns]), pa.array(by_row))
    return pa.LargeListArray.from_arrays(pa.array(np.arange(0, rows * width + 1, width, dtype=np.int64)), values)


def _record_batch(frame: pd.DataFrame, *, raw_columns: list[str], constants: dict[str, pa.Scalar]
                  ) -> pa.RecordBatch:
    rows = len(frame)
    return pa.RecordBatch.from_arrays(
        [pa.repeat(constants[column], rows) if column in constants else _column(frame, column, raw_columns)
         for column in RECORD_COLUMNS], schema=RECORD_SCHEMA)


def _copy_encoder(schema: pa.Schema) -> ArrowToPostgresBinaryEncoder:
    jsonb = {name: LargeStringEncoderBuilder.new_with_output(schema.field(name), Jsonb())
             for name in JSONB_COLUMNS if name in schema.names}
    builders = {name: jsonb.get(name) or ArrowToPostgresBinaryEncoder.infer_encoder(schema.field(name))
                for name in schema.names}
    return ArrowToPostgresBinaryEncoder.new_with_encoders(schema, builders)


@dataclass
class PreparedRows:
    """A chunk's rows in SourceRecord's columns (RECORD_COLUMNS), ready to copy."""
    batch: pa.RecordBatch
    row_numbers: np.ndarray
    record_ids: np.ndarray
    id_hashes: np.ndarray  # of the record ids, to tell ids met before in the run
    content_hashes: np.ndarray

    def subset(self, mask: np.ndarray) -> "PreparedRows":
        return PreparedRows(batch=self.batch.filter(pa.array(mask)), row_numbers=self.row_numbers[mask],
                            record_ids=self.record_ids[mask], id_hashes=self.id_hashes[mask],
                            content_hashes=self.content_hashes[mask])


class RecordLoader:
    """Merges a run's chunks into SourceRecord: new rows created, changed rows updated with a revision of what
    they replaced, unchanged rows (same content hash) left alone. A record id met again later in the file
    replaces the earlier row, which is reported as superseded."""

    def __init__(self, cursor, *, source_code: str, run_id: int, profile_version: int, raw_column_count: int):
        self.cursor = cursor
        self.source_code = source_code
        self.run_id = run_id
        self.raw_columns = [f"raw_{index}" for index in range(raw_column_count)]
        self.counts = MergeCounts()
        self.seen_hashes = np.empty(0, dtype=np.uint64)  # sorted hashes of the record ids loaded so far
        self.replaced_rows: dict[str, list[int]] = {}  # record id -> its earlier rows in the file
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {RECORDS_TABLE} WHERE source_id = %s), now()", [source_code])
        self.source_had_records, now = cursor.fetchone()  # now(): the transaction's time
        self.constants = {
            column: pa.scalar(value, type=RECORD_TYPES[column]) for column, value in [
                ("source_id", source_code), ("first_run_id", run_id), ("last_run_id", run_id), ("revision", 1),
                ("created_at", now), ("updated_at", now), ("profile_version", profile_version)]
        }
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING_TABLE} AS "
                       f"SELECT {', '.join(RECORD_COLUMNS)} FROM {RECORDS_TABLE} WITH NO DATA")
        cursor.execute(f"DROP TABLE IF EXISTS {RUN_ROWS_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {RUN_ROWS_TABLE} (record_id text, row_number integer)")

    def prepare(self, frame: pd.DataFrame) -> PreparedRows:
        """The conversion to SourceRecord's binary layout. It needs no database, so the read-ahead thread does it
        while this loader's connection copies the previous chunk."""
        record_ids = frame["record_id"].to_numpy(dtype=object)
        return PreparedRows(batch=_record_batch(frame, raw_columns=self.raw_columns, constants=self.constants),
                            row_numbers=frame["row_number"].to_numpy(), record_ids=record_ids,
                            id_hashes=pd.util.hash_array(record_ids, categorize=False),  # ids are mostly distinct
                            content_hashes=frame["content_hash"].to_numpy(dtype=np.int64))

    def load(self, rows: PreparedRows) -> None:
        if not len(rows.record_ids):
            return
        earlier = pd.Index(rows.record_ids).duplicated(keep="last")
        if earlier.any():
            for record_id, row in zip(rows.record_ids[earlier], rows.row_numbers[earlier]):
                self.replaced_rows.setdefault(record_id, []).append(int(row))
            rows = rows.subset(~earlier)
        met_before = self._met_before(rows.record_ids, rows.id_hashes)
        self._copy(RUN_ROWS_TABLE, pa.RecordBatch.from_arrays(
            [pa.array(rows.record_ids, type=pa.large_string()), pa.array(rows.row_numbers, type=pa.int32())],
            schema=RUN_ROWS_SCHEMA))

        lookup = rows.record_ids if self.source_had_records else rows.record_ids[met_before]
        stored_hash = np.zeros(len(rows.record_ids), dtype=np.int64)
        stored_run = np.zeros(len(rows.record_ids), dtype=np.int64)
        exists = np.zeros(len(rows.record_ids), dtype=bool)
        if len(lookup):
            self.cursor.execute(f"SELECT record_id, content_hash, last_run_id FROM {RECORDS_TABLE} "
                                "WHERE source_id = %s AND record_id = ANY(%s)", [self.source_code, list(lookup)])
            found = self.cursor.fetchall()
            if found:
                positions = pd.Index([row[0] for row in found]).get_indexer(rows.record_ids)
                exists = positions >= 0
                stored_hash[exists] = np.array([row[1] for row in found], dtype=np.int64)[positions[exists]]
                stored_run[exists] = np.array([row[2] for row in found], dtype=np.int64)[positions[exists]]
        changed = exists & (stored_hash != rows.content_hashes)
        by_this_run = stored_run == self.run_id
        self.counts.created += int((~exists).sum())
        self.counts.updated += int((changed & ~by_this_run).sum())
        self.counts.unchanged += int((exists & ~changed & ~met_before).sum())
        # An earlier row of this file found its record unchanged; this later row changes it after all.
        self.counts.unchanged -= int((changed & ~by_this_run & met_before).sum())

        if (~exists).any():
            self._copy(RECORDS_TABLE, rows.batch if not exists.any() else rows.batch.filter(pa.array(~exists)))
        if changed.any():
            self._update(rows.batch.filter(pa.array(changed)))

    def finish(self) -> MergeCounts:
        if self.replaced_rows:
            self.cursor.execute(f"SELECT record_id, max(row_number) FROM {RUN_ROWS_TABLE} WHERE record_id = ANY(%s) "
                                "GROUP BY record_id", [list(self.replaced_rows)])
            last_rows = dict(self.cursor.fetchall())
            self.counts.superseded = sorted((row, record_id, last_rows[record_id])
                                            for record_id, rows in self.replaced_rows.items() for row in rows)
        staging_drop(self.cursor)
        return self.counts

    def _met_before(self, record_ids: np.ndarray, hashes: np.ndarray) -> np.ndarray:
        """Which ids an earlier chunk of this run loaded already; their earlier rows are noted as replaced."""
        positions = np.searchsorted(self.seen_hashes, hashes)
        maybe = positions < len(self.seen_hashes)
        maybe[maybe] = self.seen_hashes[positions[maybe]] == hashes[maybe]
        new_hashes = np.sort(hashes)
        self.seen_hashes = np.insert(self.seen_hashes, np.searchsorted(self.seen_hashes, new_hashes), new_hashes)
        if not maybe.any():
            return maybe
        self.cursor.execute(f"SELECT record_id, max(row_number) FROM {RUN_ROWS_TABLE} WHERE record_id = ANY(%s) "
                            "GROUP BY record_id", [list(record_ids[maybe])])
        earlier_rows = dict(self.cursor.fetchall())
        for record_id, row in earlier_rows.items():
            self.replaced_rows.setdefault(record_id, []).append(row)
        return pd.Index(list(earlier_rows), dtype=object).get_indexer(record_ids) >= 0

    def _copy(self, table: str, batch: pa.RecordBatch) -> None:
        """COPY in binary format, into the columns of the batch's names."""
        encoder = _copy_encoder(batch.schema)
        with self.cursor.copy(f"COPY {table} ({', '.join(batch.schema.names)}) FROM STDIN WITH (FORMAT binary)"
                              ) as copy:
            copy.write(encoder.write_header())
            copy.write(encoder.write_batch(batch))
            copy.write(encoder.finish())

    def _update(self, batch: pa.RecordBatch) -> None:
        """Changed records: the values they had become a revision (once per run), then the new ones replace them."""
        self._copy(STAGING_TABLE, batch)
        self.cursor.execute(f"""
            INSERT INTO records_sourcerecordrevision (record_id, revision, replaced_by_run_id, replaced_at, raw,
                normalised)
            SELECT r.id, r.revision, %s, now(), jsonb_object(writer.header::text[], r.raw),
                   to_jsonb(r) - 'raw' - 'id' - 'source_id' - 'record_id' - 'first_run_id' - 'last_run_id'
            FROM {RECORDS_TABLE} r
            JOIN {STAGING_TABLE} s ON r.source_id = s.source_id AND r.record_id = s.record_id
            JOIN ingestion_importrun writer ON writer.id = r.last_run_id
            WHERE r.last_run_id <> %s
        """, [self.run_id, self.run_id])
        assignments = ", ".join(f"{column} = s.{column}" for column in ["raw", "point", *COPIED_COLUMNS]
                                if column != "record_id")
        self.cursor.execute(f"""
            UPDATE {RECORDS_TABLE} r SET {assignments}, last_run_id = s.last_run_id,
                profile_version = s.profile_version, updated_at = now(),
                revision = CASE WHEN r.last_run_id = s.last_run_id THEN r.revision ELSE r.revision + 1 END
            FROM {STAGING_TABLE} s
            WHERE r.source_id = s.source_id AND r.record_id = s.record_id
        """)
        self.cursor.execute(f"TRUNCATE {STAGING_TABLE}")


def _as_csv(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return buffer.getvalue()


def staging_drop(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
    cursor.execute(f"DROP TABLE IF EXISTS {RUN_ROWS_TABLE}")


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
        copy.write(_as_csv(pa.Table.from_pandas(frame, preserve_index=False)))


def issues_merge(cursor, *, run_id: int) -> None:
    cursor.execute(f"""
        INSERT INTO ingestion_rowissue (run_id, row_number, "column", value, reason, severity, record_id, raw_row)
        SELECT %s, row_number, coalesce("column", ''), coalesce(value, ''), reason, severity,
               coalesce(record_id, ''), raw_row
        FROM {ISSUES_TABLE} ORDER BY row_number
    """, [run_id])
    cursor.execute(f"DROP TABLE IF EXISTS {ISSUES_TABLE}")
