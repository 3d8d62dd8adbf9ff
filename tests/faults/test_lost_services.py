"""What a job or an upload meets when a service goes away under it: the database connection cut mid-run (what a
restart of PostgreSQL does), Redis stopped while a file is uploaded, the raw-file store's disk full."""

import hashlib
import io
import subprocess

import pytest

from ingestion.models import ImportRun
from ingestion.storage import raw_file_path, raw_file_store
from ingestion.tasks import stalled_import_runs_requeue
from observatory.accounts.roles import Role
from observatory.reconciliation.models import LinkageRun
from observatory.reconciliation.services import linkage_run_create, linkage_run_now
from observatory.records.models import SourceRecord

from .conftest import a_write_waits_on, other_sessions_terminate, police_file, table_held, wait_for
from .test_killed_workers import PEOPLE, records_imported, victims_as_records

UPLOAD_URL = "/imports/new/"
STORE_FULL_SAID = "El servidor no tiene espacio para guardar este archivo"


def a_file(content: bytes) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = "pnc_2024.csv"
    return stream


def stored_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_a_linkage_run_whose_database_sessions_are_ended_fails_cleanly_and_is_tried_again(fault_stack, small_hierarchy):
    records_imported(police_file(PEOPLE))
    fault_stack.queue_empty()
    fault_stack.worker.start()
    with table_held("reconciliation_linkagekey") as holder:
        run = linkage_run_create(kind=LinkageRun.Kind.FULL)
        wait_for(lambda: a_write_waits_on("reconciliation_linkagekey"), what="the linkage run to reach its writes")
        assert other_sessions_terminate(spared=holder) >= 1
    wait_for(
        lambda: LinkageRun.objects.get(pk=run.pk).status == LinkageRun.Status.DONE, what="the run tried again to end"
    )

    run.refresh_from_db()
    assert (run.attempts, run.error) == (2, "")
    linked = victims_as_records()
    assert sum(len(victim) for victim in linked) == SourceRecord.objects.count() == 2 * PEOPLE
    linkage_run_now(kind=LinkageRun.Kind.FULL)
    assert victims_as_records() == linked


@pytest.mark.faults
@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_while_redis_is_down_is_accepted_kept_and_processed_once_redis_returns(
    fault_stack, small_hierarchy, client, user_with_role, settings
):
    content = police_file(10)
    fault_stack.worker.start()
    client.force_login(user_with_role(Role.SOURCE_UPLOADER))
    fault_stack.redis.stop()

    response = client.post(UPLOAD_URL, {"source": "police", "file": a_file(content)})

    run = ImportRun.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/imports/{run.pk}/")
    assert (run.status, run.sha256) == (ImportRun.Status.QUEUED, hashlib.sha256(content).hexdigest())
    assert hashlib.sha256(raw_file_path(run.sha256).read_bytes()).hexdigest() == run.sha256
    fault_stack.redis.start()
    settings.INGEST_STALLED_AFTER_SECONDS = 0
    assert stalled_import_runs_requeue() == 1
    wait_for(lambda: ImportRun.objects.get(pk=run.pk).is_finished, what="the run sent again to end")
    run.refresh_from_db()
    assert (run.status, run.attempts, run.rows_created) == (ImportRun.Status.DONE, 1, 20)
    assert SourceRecord.objects.filter(source_id="police").count() == 20


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs mounted as the raw-file store: a real disk that fills up."""
    root = tmp_path / "raw"
    root.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(root)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here (root is needed): {mounted.stderr.decode().strip()}")
    yield root
    subprocess.run(["umount", str(root)], check=True)


@pytest.mark.faults
@pytest.mark.django_db
def test_an_upload_to_a_full_raw_file_store_is_refused_clearly_and_nothing_is_corrupted(
    small_disk, settings, client, user_with_role, small_hierarchy
):
    settings.INGEST_RAW_ROOT = small_disk
    kept = raw_file_store(stream=io.BytesIO(police_file(5)))
    client.force_login(user_with_role(Role.SOURCE_UPLOADER))
    too_big = police_file(400)
    assert len(too_big) > 64 * 1024

    refused = client.post(UPLOAD_URL, {"source": "police", "file": a_file(too_big)})

    assert refused.status_code == 507
    assert STORE_FULL_SAID in refused.content.decode()
    assert not ImportRun.objects.exists()
    assert stored_files(small_disk) == [str(kept.path.relative_to(small_disk))]
    assert hashlib.sha256(kept.path.read_bytes()).hexdigest() == kept.sha256
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    accepted = client.post(UPLOAD_URL, {"source": "police", "file": a_file(too_big)})
    run = ImportRun.objects.get()
    assert (accepted.status_code, run.sha256) == (302, hashlib.sha256(too_big).hexdigest())
    assert hashlib.sha256(raw_file_path(run.sha256).read_bytes()).hexdigest() == run.sha256
