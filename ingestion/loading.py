"""Loading normalised chunks into SourceRecord, chunk by chunk, inside the caller's transaction.

New records are copied straight into the records table; changed ones go through a small staging table that
keeps their revisions; unchanged ones are not written at all. Until the transaction commits nothing of the
file is visible, so a worker killed mid-run leaves no partial records behind.
"""
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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
# A 2D point with SRID 4326 as little-endian EWKB: byte order, type with the SRID flag, SRID; then x and y.
EWKB_POINT_PREFIX = np.frombuffer(bytes.fromhex("0101000020E6100000"), dtype=np.uint8)
HEX_DIGITS = np.array([f"{byte:02X}".encode() for byte in range(256)], dtype="S2")


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: list[tuple[int, str, int]] = field(default_factory=list)  # (row, record id, the row that replaced it)


def _points_as_ewkb(longitudes: np.ndarray, latitudes: np.ndarray) -> pa.Array:
    """Hex EWKB of each point (exact doubles), null where there is no point."""
    has_point = ~(np.isnan(longitudes) | np.isnan(latitudes))
    wkb = np.empty((len(longitudes), 25), dtype=np.uint8)
    wkb[:, :9] = EWKB_POINT_PREFIX
    wkb[:, 9:17] = longitudes.astype("<f8").view(np.uint8).reshape(-1, 8)
    wkb[:, 17:] = latitudes.astype("<f8").view(np.uint8).reshape(-1, 8)
    hexed = HEX_DIGITS[wkb].view("S50").reshape(-1)
    return pa.array(hexed, type=pa.binary(), mask=~has_point).cast(pa.string())


def _array_literal(columns: list[pa.Array]) -> pa.Array:
    """The row as sent as a PostgreSQL text[] literal: {"v1","v2",...} with quotes and backslashes escaped."""
    quoted = []
    for values in columns:
        if pc.any(pc.match_substring(values, '"')).as_py() or pc.any(pc.match_substring(values, "\\")).as_py():
            values = pc.replace_substring_regex(values, r'(["\\])', r"\\\1")
        quoted.append(values)
    if not quoted:
        return pa.repeat("{}", 0)
    return pc.binary_join_element_wise("{\"", pc.binary_join_element_wise(*quoted, "\",\""), "\"}", "")


@dataclass
class PreparedRows:
    """A chunk's rows in SourceRecord's layout (RECORD_COLUMNS), ready to be copied."""
    table: pa.Table
    row_numbers: np.ndarray
    record_ids: np.ndarray
    id_hashes: np.ndarray  # of the record ids, to tell ids met before in the run
    csv: bytes | None  # the whole table as CSV, copied as it is in the usual case where every row is new

    def subset(self, mask: np.ndarray) -> "PreparedRows":
        return PreparedRows(table=self.table.filter(pa.array(mask)), row_numbers=self.row_numbers[mask],
                            record_ids=self.record_ids[mask], id_hashes=self.id_hashes[mask], csv=None)


def _record_table(frame: pd.DataFrame, *, raw_columns: list[str], source_code: str, run_id: int,
                  profile_version: int) -> pa.Table:
    rows = len(frame)
    constant = {"source_id": source_code, "first_run_id": run_id, "last_run_id": run_id, "revision": 1,
                "created_at": "now", "updated_at": "now", "profile_version": profile_version}
    arrays = {name: pa.repeat(value, rows) for name, value in constant.items()}
    arrays["raw"] = _array_literal([pa.array(frame[column], type=pa.string(), from_pandas=True)
                                    for column in raw_columns])
    arrays["point"] = _points_as_ewkb(frame["point_longitude"].to_numpy(dtype=float),
                                      frame["point_latitude"].to_numpy(dtype=float))
    for column in COPIED_COLUMNS:
        values = frame[column]
        if column in TEXT_COLUMNS:
            arrays[column] = pc.fill_null(pa.array(values, type=pa.string(), from_pandas=True), "")
        elif column == "age_years":
            arrays[column] = pa.array(pd.to_numeric(values, errors="coerce"), type=pa.float64(), from_pandas=True)
        else:
            arrays[column] = pa.array(values, from_pandas=True)
    return pa.table([arrays[name] for name in RECORD_COLUMNS], names=RECORD_COLUMNS)


class RecordLoader:
    """Merges a run's chunks into SourceRecord: new rows created, changed rows updated with a revision of what
    they replaced, unchanged rows (same content hash) left alone. A record id met again later in the file
    replaces the earlier row, which is reported as superseded."""

    def __init__(self, cursor, *, source_code: str, run_id: int, profile_version: int, raw_column_count: int):
        self.cursor = cursor
        self.source_code = source_code
        self.run_id = run_id
        self.profile_version = profile_version
        self.raw_columns = [f"raw_{index}" for index in range(raw_column_count)]
        self.counts = MergeCounts()
        self.seen_hashes = np.empty(0, dtype=np.uint64)  # sorted hashes of the record ids loaded so far
        self.replaced_rows: dict[str, list[int]] = {}  # record id -> its earlier rows in the file
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {RECORDS_TABLE} WHERE source_id = %s)", [source_code])
        self.source_had_records = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING_TABLE} AS "
                       f"SELECT {', '.join(RECORD_COLUMNS)} FROM {RECORDS_TABLE} WITH NO DATA")
        cursor.execute(f"DROP TABLE IF EXISTS {RUN_ROWS_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {RUN_ROWS_TABLE} (record_id text, row_number integer)")

    def prepare(self, frame: pd.DataFrame) -> PreparedRows:
        """The conversion to SourceRecord's layout and to CSV. It needs no database, so the read-ahead thread
        does it while this loader's connection copies the previous chunk."""
        table = _record_table(frame, raw_columns=self.raw_columns, source_code=self.source_code, run_id=self.run_id,
                              profile_version=self.profile_version)
        record_ids = frame["record_id"].to_numpy(dtype=object)
        return PreparedRows(table=table, row_numbers=frame["row_number"].to_numpy(), record_ids=record_ids,
                            id_hashes=pd.util.hash_array(record_ids), csv=pacsv_bytes(table))

    def load(self, rows: PreparedRows) -> None:
        if not len(rows.record_ids):
            return
        earlier = pd.Index(rows.record_ids).duplicated(keep="last")
        if earlier.any():
            for record_id, row in zip(rows.record_ids[earlier], rows.row_numbers[earlier]):
                self.replaced_rows.setdefault(record_id, []).append(int(row))
            rows = rows.subset(~earlier)
        met_before = self._met_before(rows.record_ids, rows.id_hashes)
        self._copy(RUN_ROWS_TABLE, "record_id, row_number",
                   pacsv_bytes(pa.table({"record_id": rows.table["record_id"],
                                         "row_number": pa.array(rows.row_numbers)})))

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
        changed = exists & (stored_hash != rows.table["content_hash"].to_numpy())
        by_this_run = stored_run == self.run_id
        self.counts.created += int((~exists).sum())
        self.counts.updated += int((changed & ~by_this_run).sum())
        self.counts.unchanged += int((exists & ~changed & ~met_before).sum())
        # An earlier row of this file found its record unchanged; this later row changes it after all.
        self.counts.unchanged -= int((changed & ~by_this_run & met_before).sum())

        if not exists.any() and rows.csv is not None:
            self._copy(RECORDS_TABLE, ", ".join(RECORD_COLUMNS), rows.csv)
        elif (~exists).any():
            self._copy(RECORDS_TABLE, ", ".join(RECORD_COLUMNS), pacsv_bytes(rows.table.filter(pa.array(~exists))))
        if changed.any():
            self._update(rows.table.filter(pa.array(changed)))

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

    def _copy(self, table: str, columns: str, payload: bytes) -> None:
        with self.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(payload)

    def _update(self, table: pa.Table) -> None:
        """Changed records: the values they had become a revision (once per run), then the new ones replace them."""
        self._copy(STAGING_TABLE, ", ".join(RECORD_COLUMNS), pacsv_bytes(table))
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


def pacsv_bytes(table: pa.Table) -> bytes:
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
        copy.write(pacsv_bytes(pa.Table.from_pandas(frame, preserve_index=False)))


def issues_merge(cursor, *, run_id: int) -> None:
    cursor.execute(f"""
        INSERT INTO ingestion_rowissue (run_id, row_number, "column", value, reason, severity, record_id, raw_row)
        SELECT %s, row_number, coalesce("column", ''), coalesce(value, ''), reason, severity,
               coalesce(record_id, ''), raw_row
        FROM {ISSUES_TABLE} ORDER BY row_number
    """, [run_id])
    cursor.execute(f"DROP TABLE IF EXISTS {ISSUES_TABLE}")
