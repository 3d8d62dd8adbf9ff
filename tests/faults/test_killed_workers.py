"""A worker process killed (SIGKILL) in the middle of an import, a linkage run and an indicator computation: the
job is taken up again and ends once, with what an uninterrupted job gives; nothing of the killed attempt shows."""

import hashlib
from collections.abc import Callable

import pytest

from ingestion.models import ImportRun
from ingestion.services import import_run_process
from ingestion.storage import raw_file_path
from observatory.indicators.models import DiscrepancySeries, MonthlySeries, Vintage
from observatory.indicators.services import vintage_create, vintage_now
from observatory.jobs.models import Job
from observatory.reconciliation.models import LinkageRun, Victim, VictimRecord
from observatory.reconciliation.services import linkage_run_create, linkage_run_now
from observatory.records.models import SourceRecord

from .conftest import a_write_waits_on, job_ended, police_file, table_held, upload, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PEOPLE = 150
SERIES = (MonthlySeries, DiscrepancySeries)


def victims_as_records() -> set[frozenset[str]]:
    """Who was linked with whom: each victim as the set of its records, whatever the victims' ids."""
    grouped: dict[int, set[str]] = {}
    for victim_id, record_id in VictimRecord.objects.values_list("victim_id", "record__record_id"):
        grouped.setdefault(victim_id, set()).add(record_id)
    return {frozenset(records) for records in grouped.values()}


def published_series() -> list[tuple]:
    """The monthly series as the public reads them (the current version of each row), without the vintages' ids."""
    return sorted(
        MonthlySeries.objects.filter(valid_to__isnull=True).values_list(
            "level", "unit_id", "series", "basis", "sex", "age_band", "first_month", "counts", "suppression"
        )
    )


def killed_while_writing(fault_stack, *, table: str, queue: Callable[[], Job]) -> Job:
    """Queue a job with `table` held, SIGKILL the worker process once the job waits to write to it, let it go, and
    return the job once it has ended."""
    with table_held(table):
        job = queue()
        wait_for(lambda: a_write_waits_on(table), what=f"the job to reach its writes to {table}")
        fault_stack.kill_the_busy_worker_process()
    wait_for(job_ended(type(job), job.pk), what="the job taken up again to end")
    job.refresh_from_db()
    return job


def records_imported(content: bytes) -> ImportRun:
    run = import_run_process(run_id=upload(content, enqueue=False).pk)
    assert (run.status, run.rows_rejected) == (ImportRun.Status.DONE, 0), run.error
    return run


def test_an_import_whose_worker_is_killed_while_loading_is_loaded_once_when_taken_up_again(
    fault_stack, small_hierarchy
):
    content = police_file(PEOPLE)
    fault_stack.worker.start()
    run = killed_while_writing(fault_stack, table="records_sourcerecord", queue=lambda: upload(content))

    assert (run.status, run.attempts, run.rows_created, run.rows_rejected) == (ImportRun.Status.DONE, 2, 300, 0)
    records = SourceRecord.objects.filter(source_id="police")
    assert records.count() == records.values("record_id").distinct().count() == 2 * PEOPLE
    assert run.sha256 == hashlib.sha256(content).hexdigest()
    assert hashlib.sha256(raw_file_path(run.sha256).read_bytes()).hexdigest() == run.sha256


def test_a_linkage_run_whose_worker_is_killed_while_storing_ends_as_an_uninterrupted_run_would(
    fault_stack, small_hierarchy
):
    records_imported(police_file(PEOPLE))
    fault_stack.queue_empty()
    fault_stack.worker.start()
    run = killed_while_writing(
        fault_stack,
        table="reconciliation_linkagekey",
        queue=lambda: linkage_run_create(kind=LinkageRun.Kind.FULL),
    )

    assert (run.status, run.attempts, run.error) == (LinkageRun.Status.DONE, 2, "")
    linked = victims_as_records()
    assert VictimRecord.objects.count() == SourceRecord.objects.count() == 2 * PEOPLE
    assert not Victim.objects.filter(merged_into__isnull=True, record_links__isnull=True).exists()
    linkage_run_now(kind=LinkageRun.Kind.FULL)
    assert victims_as_records() == linked


def test_a_vintage_whose_worker_is_killed_while_publishing_publishes_once_and_whole(fault_stack, small_hierarchy):
    records_imported(police_file(PEOPLE))
    linkage_run_now(kind=LinkageRun.Kind.FULL)
    fault_stack.queue_empty()
    fault_stack.worker.start()
    vintage = killed_while_writing(
        fault_stack,
        table="indicators_monthlyseries",
        queue=lambda: vintage_create(kind=Vintage.Kind.FULL),
    )

    assert (vintage.status, vintage.attempts, vintage.error) == (Vintage.Status.DONE, 2, "")
    assert sum(model.objects.filter(valid_from=vintage).count() for model in SERIES) == vintage.rows_added > 0
    assert not any(model.objects.exclude(valid_from__status=Vintage.Status.DONE).exists() for model in SERIES)
    published = published_series()
    reference = vintage_now(kind=Vintage.Kind.FULL)
    assert (reference.rows_added, reference.rows_retired) == (0, 0)
    assert published_series() == published
