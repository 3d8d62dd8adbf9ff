"""Loading normalised chunks into SourceRecord, chunk by chunk, inside the caller's transaction.

New records are copied straight into the records table; changed ones go through a small staging table that
keeps their revisions; unchanged ones are not written at all. Until the transaction commits nothing of the
file is visible, so a worker killed mid-run leaves no partial records behind.
"""

import io
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from observatory.database.binary_copy import (
    binary_copy_write,
    field_count,
    sized_fields,
    text_fields,
    timestamp_value,
    tuples_joined,
)
from observatory.records.rows import row_as_sent

from .record_tuples import COPIED_COLUMNS, RECORD_COLUMNS, record_tuples

RECORDS_TABLE = "records_sourcerecord"
STAGING_TABLE = "ingestion_staging"
RUN_ROWS_TABLE = "ingestion_staging_rows"
REPLACED_ROWS_TABLE = "ingestion_staging_replaced"


@dataclass
class MergeCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class PreparedRows:
    """A chunk's rows as tuples of SourceRecord's columns (RECORD_COLUMNS) in binary COPY format."""

    tuples: pa.Array
    row_numbers: np.ndarray
    record_ids: np.ndarray
    id_hashes: np.ndarray  # of the record ids, to tell ids met before in the run
    content_hashes: np.ndarray

    def subset(self, mask: np.ndarray) -> "PreparedRows":
        return PreparedRows(
            tuples=self.tuples.filter(pa.array(mask)),
            row_numbers=self.row_numbers[mask],
            record_ids=self.record_ids[mask],
            id_hashes=self.id_hashes[mask],
            content_hashes=self.content_hashes[mask],
        )


class SeenIds:
    """The record ids a run has loaded, as hashes: which ids of a chunk an earlier chunk loaded already (two ids
    of one file sharing a 64-bit hash is too unlikely to matter: at worst a count is off by one).

    The hashes are kept sorted in buckets by their first bits: a chunk's hashes are inserted into their buckets'
    small arrays, not into one array of every hash seen, whose copy on each insertion doubled its memory at the
    end of a long file (16 bytes a row, not 8: 160 MB more for 10,000,000 rows)."""

    BUCKET_BITS = 6

    def __init__(self):
        self.buckets = [np.empty(0, dtype=np.uint64) for _ in range(1 << self.BUCKET_BITS)]

    def met_then_add(self, hashes: np.ndarray) -> np.ndarray:
        """Which of `hashes` (a chunk's, each id once) were added before; then all of them are."""
        met = np.zeros(len(hashes), dtype=bool)
        bucket_of = (hashes >> np.uint64(64 - self.BUCKET_BITS)).astype(np.intp)
        order = np.argsort(bucket_of, kind="stable")
        bounds = np.searchsorted(bucket_of[order], np.arange(len(self.buckets) + 1))
        for bucket in np.flatnonzero(np.diff(bounds)):
            positions = order[bounds[bucket] : bounds[bucket + 1]]
            stored, added = self.buckets[bucket], np.sort(hashes[positions])
            at = np.searchsorted(stored, hashes[positions])
            found = at < len(stored)
            found[found] = stored[at[found]] == hashes[positions][found]
            met[positions] = found
            self.buckets[bucket] = np.insert(stored, np.searchsorted(stored, added), added)
        return met


class RecordLoader:
    """Merges a run's chunks into SourceRecord: new rows created, changed rows updated with a revision of what
    they replaced, unchanged rows (same content hash) left alone. A record id met again later in the file
    replaces the earlier row, which is reported as superseded."""

    def __init__(self, cursor, *, source_code: str, run_id: int, profile_version: int, rows_rewritten: bool = False):
        """`rows_rewritten`: the rows are stored ones normalised again, written out in another column order, so a
        record whose normalised values stay the same is unchanged, whatever its row's text."""
        self.cursor = cursor
        compared = [
            column
            for column in ["raw", "point", *COPIED_COLUMNS]
            if column not in ("record_id", "content_hash") and not (rows_rewritten and column == "raw")
        ]
        self.same_values = (
            f"({', '.join(f'r.{column}' for column in compared)}) IS NOT DISTINCT FROM "
            f"({', '.join(f's.{column}' for column in compared)})"
        )
        self.source_code = source_code
        self.run_id = run_id
        self.counts = MergeCounts()
        self.seen = SeenIds()
        self.ids_repeated = False  # a record id met twice in the file: its earlier rows are superseded
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {RECORDS_TABLE} WHERE source_id = %s), "
            "(EXTRACT(EPOCH FROM now()) * 1000000)::bigint",
            [source_code],
        )
        self.source_had_records, unix_microseconds = cursor.fetchone()
        now = timestamp_value(unix_microseconds)  # the transaction's now()
        self.constants = {
            "source_id": source_code.encode(),
            "first_run_id": run_id.to_bytes(8, "big"),
            "last_run_id": run_id.to_bytes(8, "big"),
            "revision": (1).to_bytes(4, "big"),
            "created_at": now,
            "updated_at": now,
            "profile_version": profile_version.to_bytes(4, "big"),
        }
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING_TABLE} AS "
            f"SELECT {', '.join(RECORD_COLUMNS)} FROM {RECORDS_TABLE} WITH NO DATA"
        )
        cursor.execute(f"DROP TABLE IF EXISTS {RUN_ROWS_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {RUN_ROWS_TABLE} (record_id text, row_number integer)")
        cursor.execute(f"DROP TABLE IF EXISTS {REPLACED_ROWS_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {REPLACED_ROWS_TABLE} (record_id bigint, raw jsonb)")

    def prepare(self, frame: pd.DataFrame, raw_lines: pa.Array) -> PreparedRows:
        """The conversion to SourceRecord's binary layout. It needs no database, so the read-ahead thread does it
        while this loader's connection copies the previous chunk."""
        record_ids = frame["record_id"].to_numpy(dtype=object)
        return PreparedRows(
            tuples=record_tuples(frame, raw_lines=raw_lines, constants=self.constants),
            row_numbers=frame["row_number"].to_numpy(),
            record_ids=record_ids,
            id_hashes=pd.util.hash_array(record_ids, categorize=False),  # ids are mostly distinct
            content_hashes=frame["content_hash"].to_numpy(dtype=np.int64),
        )

    def load(self, rows: PreparedRows) -> None:
        """The chunk's rows merged: new records copied in, changed ones updated, the counts kept. A record id met
        again (later in the chunk, or in a later chunk) replaces the earlier row."""
        if not len(rows.record_ids):
            return
        self._run_rows_copy(rows)
        earlier = pd.Index(rows.record_ids).duplicated(keep="last")
        if earlier.any():
            self.ids_repeated = True
            rows = rows.subset(~earlier)
        met_before = self.seen.met_then_add(rows.id_hashes)
        self.ids_repeated |= bool(met_before.any())

        exists, stored_hash, stored_run = self._stored(rows, met_before=met_before)
        changed = exists & (stored_hash != rows.content_hashes)
        by_this_run = stored_run == self.run_id
        self.counts.created += int((~exists).sum())
        self.counts.updated += int((changed & ~by_this_run).sum())
        self.counts.unchanged += int((exists & ~changed & ~met_before).sum())
        # An earlier row of this file found its record unchanged; this later row changes it after all.
        self.counts.unchanged -= int((changed & ~by_this_run & met_before).sum())

        if (~exists).any():
            new = rows.tuples if not exists.any() else rows.tuples.filter(pa.array(~exists))
            binary_copy_write(self.cursor, table=RECORDS_TABLE, columns=", ".join(RECORD_COLUMNS), tuples=new)
        if changed.any():
            # A row whose content hash differs but whose values are the ones stored (the profile's version changed,
            # and with it the hash): unchanged after all.
            same_after_all = self._update(rows.tuples.filter(pa.array(changed)))
            self.counts.updated -= same_after_all
            self.counts.unchanged += same_after_all

    def _run_rows_copy(self, rows: PreparedRows) -> None:
        """Each row's record id and row number, for the rows a later row of the same id replaces (finish)."""
        binary_copy_write(
            self.cursor,
            table=RUN_ROWS_TABLE,
            columns="record_id, row_number",
            tuples=tuples_joined(
                [
                    field_count(2),
                    *text_fields(pa.array(rows.record_ids, type=pa.large_string())),
                    sized_fields(rows.row_numbers, ">i4"),
                ]
            ),
        )

    def _stored(self, rows: PreparedRows, *, met_before: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which rows' records are stored already, with their content hash and the run that last wrote them. A
        source without records before this run has only the records of its earlier chunks (`met_before`)."""
        lookup = rows.record_ids if self.source_had_records else rows.record_ids[met_before]
        stored_hash = np.zeros(len(rows.record_ids), dtype=np.int64)
        stored_run = np.zeros(len(rows.record_ids), dtype=np.int64)
        exists = np.zeros(len(rows.record_ids), dtype=bool)
        if len(lookup):
            self.cursor.execute(
                f"SELECT record_id, content_hash, last_run_id FROM {RECORDS_TABLE} "
                "WHERE source_id = %s AND record_id = ANY(%s)",
                [self.source_code, list(lookup)],
            )
            found = self.cursor.fetchall()
            if found:
                positions = pd.Index([row[0] for row in found]).get_indexer(rows.record_ids)
                exists = positions >= 0
                stored_hash[exists] = np.array([row[1] for row in found], dtype=np.int64)[positions[exists]]
                stored_run[exists] = np.array([row[2] for row in found], dtype=np.int64)[positions[exists]]
        return exists, stored_hash, stored_run

    def finish(self, *, record_id_column: str, superseded_reason: str) -> MergeCounts:
        """The counts; the rows a later row of the same record id replaced go to the issues as warnings, worked
        out in the database however many there are. `superseded_reason` holds %(later)d, the replacing row."""
        if self.ids_repeated:
            before, _, after = superseded_reason.partition("%(later)d")
            self.cursor.execute(
                f"""
                INSERT INTO {ISSUES_TABLE} (run_id, row_number, "column", value, reason, severity, record_id)
                SELECT %s, row_number, %s, record_id, %s || later || %s, 'warning', record_id
                FROM (SELECT record_id, row_number, max(row_number) OVER (PARTITION BY record_id) AS later
                      FROM {RUN_ROWS_TABLE}) numbered
                WHERE row_number < later ORDER BY row_number
            """,
                [self.run_id, record_id_column, before, after],
            )
        staging_drop(self.cursor)
        return self.counts

    def _update(self, tuples: pa.Array) -> int:
        """Changed records: the values they had become a revision (once per run), then the new ones replace them.
        Records whose values are the same take the new content hash and profile version, and nothing else (no
        revision, no update time: linkage has nothing new to read); how many of those an earlier run wrote."""
        binary_copy_write(self.cursor, table=STAGING_TABLE, columns=", ".join(RECORD_COLUMNS), tuples=tuples)
        self.cursor.execute(
            f"""
            UPDATE {RECORDS_TABLE} r SET content_hash = s.content_hash, profile_version = s.profile_version
            FROM {STAGING_TABLE} s
            WHERE r.source_id = s.source_id AND r.record_id = s.record_id AND {self.same_values}
            RETURNING r.record_id, r.last_run_id <> %s
        """,
            [self.run_id],
        )
        same = self.cursor.fetchall()
        if same:
            self.cursor.execute(f"DELETE FROM {STAGING_TABLE} WHERE record_id = ANY(%s)", [[row[0] for row in same]])
        self._revisions_insert()
        assignments = ", ".join(
            f"{column} = s.{column}" for column in ["raw", "point", *COPIED_COLUMNS] if column != "record_id"
        )
        self.cursor.execute(f"""
            UPDATE {RECORDS_TABLE} r SET {assignments}, last_run_id = s.last_run_id,
                profile_version = s.profile_version, updated_at = now(),
                revision = CASE WHEN r.last_run_id = s.last_run_id THEN r.revision ELSE r.revision + 1 END
            FROM {STAGING_TABLE} s
            WHERE r.source_id = s.source_id AND r.record_id = s.record_id
        """)
        self.cursor.execute(f"TRUNCATE {STAGING_TABLE}")
        return sum(1 for _record_id, by_earlier_run in same if by_earlier_run)

    def _revisions_insert(self) -> None:
        """The staged records' stored values, where an earlier run wrote them, as revisions: the row as sent
        column by column (read with the header and separator of the run that wrote it), and the normalised values."""
        self.cursor.execute(
            f"""
            SELECT r.id, r.raw, r.last_run_id FROM {RECORDS_TABLE} r
            JOIN {STAGING_TABLE} s ON r.source_id = s.source_id AND r.record_id = s.record_id
            WHERE r.last_run_id <> %s
        """,
            [self.run_id],
        )
        replaced = self.cursor.fetchall()
        if not replaced:
            return
        self.cursor.execute(
            "SELECT id, header, separator FROM ingestion_importrun WHERE id = ANY(%s)",
            [list({writer for _, _, writer in replaced})],
        )
        writers = {writer: (header, separator) for writer, header, separator in self.cursor.fetchall()}
        rows = pa.table(
            {
                "record_id": [record for record, _, _ in replaced],
                "raw": [
                    json.dumps(row_as_sent(line, *writers[writer]), ensure_ascii=False) for _, line, writer in replaced
                ],
            }
        )
        with self.cursor.copy(f"COPY {REPLACED_ROWS_TABLE} (record_id, raw) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(_as_csv(rows))
        self.cursor.execute(
            f"""
            INSERT INTO records_sourcerecordrevision (record_id, revision, replaced_by_run_id, replaced_at, raw,
                normalised)
            SELECT r.id, r.revision, %s, now(), replaced.raw,
                   to_jsonb(r) - 'raw' - 'id' - 'source_id' - 'record_id' - 'first_run_id' - 'last_run_id'
            FROM {RECORDS_TABLE} r JOIN {REPLACED_ROWS_TABLE} replaced ON replaced.record_id = r.id
        """,
            [self.run_id],
        )
        self.cursor.execute(f"TRUNCATE {REPLACED_ROWS_TABLE}")


def _as_csv(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return buffer.getvalue()


def staging_drop(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
    cursor.execute(f"DROP TABLE IF EXISTS {RUN_ROWS_TABLE}")
    cursor.execute(f"DROP TABLE IF EXISTS {REPLACED_ROWS_TABLE}")


ISSUES_TABLE = "ingestion_rowissue"
ISSUE_COLUMNS = ["row_number", "column", "value", "reason", "severity", "record_id", "raw_row"]


def issues_copy(cursor, *, run_id: int, issues: list[dict]) -> None:
    """A chunk's issues, in the order of their rows, straight into the run's issues: they become visible with
    the rest of the run, when its transaction commits."""
    if not issues:
        return
    frame = pd.DataFrame(issues, columns=ISSUE_COLUMNS).sort_values("row_number", kind="stable")
    frame.insert(0, "run_id", run_id)
    texts = ", ".join(f'"{column}"' for column in ISSUE_COLUMNS if column not in ("row_number", "raw_row"))
    columns = ", ".join(f'"{column}"' for column in ["run_id", *ISSUE_COLUMNS])
    with cursor.copy(f"COPY {ISSUES_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({texts}))") as copy:
        copy.write(_as_csv(pa.Table.from_pandas(frame, preserve_index=False)))
