"""Processing a file, or stored rows, into SourceRecords: read, normalise and load chunk by chunk.

Apart from services so that pandas, Arrow and shapely are imported only by a process that processes something;
starting Django (and recognising a re-sent file) does without them.
"""

import dataclasses
import queue
import threading
import time
import typing
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from observatory.jobs.locks import SOURCE_LOAD_LOCK_NAMESPACE
from observatory.jobs.services import job_progress, job_progress_connection
from observatory.records.coverage import records_outside_declared_coverage
from observatory.records.rows import row_as_sent
from observatory.records.signals import records_changed

from . import loading
from .chunk_reading import read_chunks
from .models import ImportRun, RowIssue
from .normalising import ChunkNormaliser, NormalisedChunk, content_hashes
from .places import PlaceResolver
from .profile_config import ProfileConfig, profile_config_parse
from .reading import FileLayout, RawChunk, inspect_file
from .row_lines import compared_values, sent_and_compared_rows
from .storage import raw_file_path

READING_SHARE_OF_PROGRESS = 0.9  # the issues and the commit take the rest of the progress bar
SOURCE_LOCK_POLL_SECONDS = 1.0


def _progress(run: ImportRun, share: float, *, rows_read: int) -> None:
    """The share of the work done, the rows read so far (the other counts are known at the commit), and a sign of
    life for the stalled-run check."""
    job_progress(job=run, fraction=share, rows_read=rows_read, heartbeat_at=timezone.now())


def import_run_file_process(*, run: ImportRun) -> None:
    """Read, normalise and load the run's file in one transaction; FileRefused if it cannot be read at all."""
    config = profile_config_parse(run.profile.config)
    layout = inspect_file(path=raw_file_path(run.sha256), config=config, display_name=run.original_filename)
    ImportRun.objects.filter(pk=run.pk).update(
        encoding=layout.encoding, separator=layout.separator, header=layout.header
    )
    normaliser = ChunkNormaliser(
        config=config,
        profile_version=run.profile.version,
        layout=layout,
        places=PlaceResolver(),
        today=timezone.localdate(),
    )
    with job_progress_connection(), transaction.atomic(), connection.cursor() as cursor:
        _commit_without_waiting(cursor)
        _one_run_per_source(cursor, source_code=run.source_id, waiting=lambda: _progress(run, 0.0, rows_read=0))
        totals, counts = _load(run, layout, normaliser, cursor)
        if not totals["read"]:
            layout.notes.append(_("%(file)s: the file holds a header but no rows.") % {"file": layout.display_name})
        _finish(run, cursor, totals, counts, notes=layout.reading_notes())


def _one_run_per_source(cursor, *, source_code: str, waiting: Callable[[], None]) -> None:
    """Two runs of one source loading at once would both create the records their files share, and the second
    would fail on the first's as soon as that one commits (two files dropped together, two workers). A run waits,
    in its transaction, for the other's to end; `waiting` is called every second meanwhile (a sign of life)."""
    while True:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [SOURCE_LOAD_LOCK_NAMESPACE, source_code])
        if cursor.fetchone()[0]:
            return
        waiting()
        time.sleep(SOURCE_LOCK_POLL_SECONDS)


def _commit_without_waiting(cursor) -> None:
    """The load's commit does not wait for its WAL to reach the disk. Safe: a crash before that loses the whole
    run, never part of it (one transaction), and the run is started over as after a killed worker."""
    cursor.execute("SET LOCAL synchronous_commit = off")


def _load(run: ImportRun, layout: FileLayout, normaliser: ChunkNormaliser, cursor) -> tuple[dict, loading.MergeCounts]:
    totals = {"read": 0, "rejected": 0}
    loader = loading.RecordLoader(cursor, source_code=run.source_id, run_id=run.pk, profile_version=run.profile.version)
    # Three stages at once: one thread reads and normalises, one encodes for COPY, this one loads.
    normalised_chunks = _read_ahead(
        lambda: (
            (normaliser.normalise(chunk), chunk.bytes_done)
            for chunk in read_chunks(layout=layout, chunk_rows=settings.INGEST_CHUNK_ROWS)
        )
    )
    chunks = _read_ahead(lambda: _prepared_chunks(normalised_chunks, loader))
    for rows, normalised, bytes_done in chunks:
        loader.load(rows)
        loading.issues_copy(cursor, run_id=run.pk, issues=normalised.issues)
        totals["read"] += normalised.rows_read
        totals["rejected"] += normalised.rows_rejected
        _progress(run, READING_SHARE_OF_PROGRESS * bytes_done / max(layout.size_bytes, 1), rows_read=totals["read"])
    return totals, _loading_finished(loader, run)


def _prepared_chunks(
    chunks: Iterator[tuple[NormalisedChunk, int]], loader: loading.RecordLoader
) -> Iterator[tuple[loading.PreparedRows, NormalisedChunk, int]]:
    """Each normalised chunk made ready to copy; the normalised frame itself is let go."""
    for normalised, bytes_done in chunks:
        rows = loader.prepare(normalised.staged, normalised.raw_lines)
        yield rows, dataclasses.replace(normalised, staged=None, raw_lines=None), bytes_done


def _read_ahead(produce: Callable[[], Iterator]) -> Iterator:
    """The items of `produce()`, made in a thread one item ahead of the caller: the next chunk is read and
    normalised while PostgreSQL loads the previous one. The thread never touches the database.

    The thread starts on the next item only once the caller has taken the one before: a finished item never waits
    while another is made, so the import's stages hold three chunks at most, not five (peak memory grows with them)."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    taken = threading.Semaphore(0)
    stop = threading.Event()
    language = translation.get_language()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                break
            except queue.Full:
                continue
        while not stop.is_set():
            if taken.acquire(timeout=0.1):
                return True
        return False

    def work() -> None:
        try:
            with translation.override(language):
                for item in produce():
                    if not hand_over((item, None)):
                        return
        except BaseException as error:  # handed to the caller, which raises it
            hand_over((None, error))
            return
        hand_over((_END, None))

    thread = threading.Thread(target=work, name="ingestion-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = ready.get()
            taken.release()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        thread.join()


_END = object()


def _loading_finished(loader: loading.RecordLoader, run: ImportRun) -> loading.MergeCounts:
    return loader.finish(
        record_id_column=", ".join(_record_id_columns(run)),
        superseded_reason=_("the same record id appears again on row %(later)d, which replaces this row"),
    )


def _outside_coverage_warning(run: ImportRun, cursor) -> None:
    """One warning for the records of the run that lie outside what its source is declared to cover (a place or
    month the declaration leaves out), naming one of them: either the declaration or the data is wrong."""
    outside, example = records_outside_declared_coverage(cursor=cursor, source=run.source_id, run_id=run.pk)
    if not outside:
        return
    # Row 0: about the file as a whole (the rows' numbers are gone once the records are merged), with an example.
    RowIssue.objects.create(
        run=run,
        row_number=0,
        record_id=example,
        severity=RowIssue.Severity.WARNING,
        reason=_(
            "%(count)d record(s) of this file lie outside the municipalities and months "
            "the source is declared to cover, such as this one: check the source's "
            "coverage or the records."
        )
        % {"count": outside},
    )


def _finish(run: ImportRun, cursor, totals: dict, counts: loading.MergeCounts, *, notes: list[str]) -> None:
    _outside_coverage_warning(run, cursor)
    RowIssue.objects.bulk_create(
        RowIssue(run=run, row_number=0, reason=note.replace("\x00", ""), severity=RowIssue.Severity.FILE)
        for note in notes
    )  # notes may quote lines
    warnings = (
        RowIssue.objects.filter(run=run)
        .exclude(severity__in=[RowIssue.Severity.REJECTED, RowIssue.Severity.FILE])
        .count()
    )  # notes on the file apart
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE,
        rows_read=totals["read"],
        rows_rejected=totals["rejected"],
        rows_created=counts.created,
        rows_updated=counts.updated,
        rows_unchanged=counts.unchanged,
        warnings=warnings,
        progress=1.0,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    if counts.created or counts.updated:
        records_changed.send(sender=ImportRun, run_id=run.pk)


def import_run_stored_rows_process(
    *, run: ImportRun, records: QuerySet, writers: dict[int, tuple[list[str], str]], config: ProfileConfig
) -> None:
    """Normalise stored rows again into `run` (a re-normalisation), chunk by chunk, in one transaction. `writers`
    gives the header and separator of each run that wrote the records' rows as sent."""
    header = run.header
    layout = FileLayout(
        path=raw_file_path("0" * 64),
        display_name=run.original_filename,
        encoding="utf-8",
        separator=run.separator,
        header=header,
        header_line=0,
        size_bytes=0,
    )
    normaliser = ChunkNormaliser(
        config=config,
        profile_version=run.profile.version,
        layout=layout,
        places=PlaceResolver(),
        today=timezone.localdate(),
    )
    totals = {"read": 0, "rejected": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        _commit_without_waiting(cursor)
        _one_run_per_source(cursor, source_code=run.source_id, waiting=lambda: None)
        loader = loading.RecordLoader(
            cursor, source_code=run.source_id, run_id=run.pk, profile_version=run.profile.version, rows_rewritten=True
        )
        stored = records.order_by("id").values_list("record_id", "last_run_id", "raw").iterator(chunk_size=10_000)
        batch: list[StoredRow] = []
        for record_id, writer_id, line in stored:
            batch.append(StoredRow(record_id, writer_id, row_as_sent(line, *writers[writer_id])))
            if len(batch) >= settings.INGEST_CHUNK_ROWS:
                _load_stored_rows(cursor, loader, normaliser, batch, header, writers, totals)
                batch = []
        _load_stored_rows(cursor, loader, normaliser, batch, header, writers, totals)
        _finish(run, cursor, totals, _loading_finished(loader, run), notes=[])


class StoredRow(typing.NamedTuple):
    record_id: str
    writer_id: int  # the run that wrote the row as sent
    values: dict[str, str]


def _load_stored_rows(
    cursor,
    loader: loading.RecordLoader,
    normaliser: ChunkNormaliser,
    rows: list[StoredRow],
    header: list[str],
    writers: dict[int, tuple[list[str], str]],
    totals: dict,
) -> None:
    if not rows:
        return
    frame = pd.DataFrame(
        [[row.values.get(column, "") or "" for column in header] for row in rows], columns=header, dtype=object
    )
    start = totals["read"] + 1
    lines = sent_and_compared_rows(
        [pa.array(frame[column], type=pa.large_string()) for column in header], header, normaliser.layout.separator
    )
    chunk = RawChunk(frame=frame, row_numbers=np.arange(start, start + len(frame)), malformed=[], bytes_done=0, **lines)
    normalised = normaliser.normalise(chunk)
    kept = normalised.staged["row_number"].to_numpy() - start
    # A stored record keeps its id, even if the profile now builds ids another way (that applies to new files).
    normalised.staged["record_id"] = np.array([row.record_id for row in rows], dtype=object)[kept]
    normalised.staged["content_hash"] = _stored_rows_hashes(rows, writers, normaliser.profile_version)[kept]
    loader.load(loader.prepare(normalised.staged, normalised.raw_lines))
    loading.issues_copy(cursor, run_id=loader.run_id, issues=normalised.issues)
    totals["read"] += normalised.rows_read
    totals["rejected"] += normalised.rows_rejected


def _stored_rows_hashes(
    rows: list[StoredRow], writers: dict[int, tuple[list[str], str]], profile_version: int
) -> np.ndarray:
    """Each row's content hash over the columns of the file that sent it, not over the columns of all the files
    read again together: that file sent once more is then recognised as unchanged."""
    hashes = np.empty(len(rows), dtype=np.int64)
    by_writer: dict[int, list[int]] = {}
    for position, row in enumerate(rows):
        by_writer.setdefault(row.writer_id, []).append(position)
    for writer_id, positions in by_writer.items():
        names = writers[writer_id][0]
        columns = [
            pa.array([rows[position].values[name] for position in positions], type=pa.large_string()) for name in names
        ]
        hashes[positions] = content_hashes(
            compared=compared_values(columns, names), names=names, profile_version=profile_version
        )
    return hashes


def _record_id_columns(run: ImportRun) -> list[str]:
    return list((run.profile.config.get("record_id") or {}).get("columns") or [])
