"""Every channel (API, drop folder, command) goes through the same service and gives the same result."""

import io
import logging
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token

from ingestion import tasks
from ingestion.drop_folder import drop_folders_poll
from ingestion.models import ImportRun
from ingestion.services import default_profiles_ensure, import_run_create, import_run_process
from observatory.accounts.roles import Role
from observatory.jobs.locks import SOURCE_LOAD_LOCK_NAMESPACE
from observatory.records.models import Source, SourceRecord

from .conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db


def test_api_upload_with_an_institution_token_answers_202_with_the_run_to_poll(
    client, demo_city, user_with_role, django_capture_on_commit_callbacks
):
    uploader = user_with_role(Role.SOURCE_UPLOADER, source_code="police")
    token = Token.objects.create(user=uploader)
    upload = io.BytesIO(csv_bytes(POLICE_HEADER, [police_row(), police_row(correlativo_victima="2", fecha_hecho="x")]))
    upload.name = "pnc_2024-03.csv"

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            "/api/v1/imports/", {"source": "police", "file": upload}, HTTP_AUTHORIZATION=f"Token {token.key}"
        )

    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["channel"], body["submitted_by"]) == ("queued", "api", uploader.username)
    assert response["Location"] == body["url"]
    assert len(queued) == 1  # the processing task is sent once the run is committed
    with translation.override("en"):  # the request above left Spanish active in this thread
        import_run_process(run_id=body["id"])
    polled = client.get(body["url"], HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert (polled["status"], polled["rows_created"], polled["rows_rejected"], polled["progress"]) == (
        "done",
        1,
        1,
        1.0,
    )
    report = b"".join(
        client.get(
            polled["report_url"], HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT="text/csv"
        ).streaming_content
    )
    assert report.decode().splitlines()[1].startswith("3,fecha_hecho,x,'x' is not a valid date")
    missing = client.get(
        "/api/v1/imports/999999/report.csv/", HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT="text/csv"
    )
    assert missing.status_code == 404 and missing["Content-Type"].startswith("text/csv")


def test_an_uploader_cannot_upload_for_another_source_nor_read_its_runs(client, demo_city, user_with_role, run_file):
    uploader = user_with_role(Role.SOURCE_UPLOADER, source_code="police")
    token = Token.objects.create(user=uploader)
    coroner_run = run_file(b"numero_autopsia;fecha_levantamiento\nAUT-1;2024-01-02\n", source="coroner")
    upload = io.BytesIO(b"numero_autopsia;fecha_levantamiento\nAUT-2;2024-01-02\n")
    upload.name = "forense.csv"

    refused = client.post(
        "/api/v1/imports/", {"source": "coroner", "file": upload}, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    hidden = client.get(f"/api/v1/imports/{coroner_run.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    listed = client.get("/api/v1/imports/", HTTP_AUTHORIZATION=f"Token {token.key}").json()

    assert refused.status_code == 403
    assert refused.json()["message"] == "Esta cuenta envía archivos para la fuente «police», no para «coroner»."
    assert hidden.status_code == 404
    assert listed["count"] == 0
    assert ImportRun.objects.filter(source_id="coroner").count() == 1


def test_an_api_upload_refused_for_its_fields_says_why_in_its_message(client, demo_city, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    upload = io.BytesIO(csv_bytes(POLICE_HEADER, [police_row()]))
    upload.name = "x.csv"

    refused = client.post("/api/v1/imports/", {"source": "bomberos", "file": upload}).json()

    assert refused["message"] == "source: Fuente desconocida «bomberos» (conocidas: coroner, hospital, police)."
    assert refused["extra"]["fields"]["source"] == [
        "Fuente desconocida «bomberos» (conocidas: coroner, hospital, police)."
    ]


def test_a_commander_cannot_upload(client, demo_city, user_with_role):
    client.force_login(user_with_role(Role.COMMANDER))
    upload = io.BytesIO(csv_bytes(POLICE_HEADER, [police_row()]))
    upload.name = "x.csv"

    assert client.post("/api/v1/imports/", {"source": "police", "file": upload}).status_code == 403


def test_drop_folder_file_is_imported_then_moved_with_its_report(demo_city, settings):
    folder = Path(settings.INGEST_DROP_DIR) / "police"
    folder.mkdir(parents=True)
    (folder / "noche_2024-03-15.csv").write_bytes(
        csv_bytes(POLICE_HEADER, [police_row(), police_row(correlativo_victima="2", fecha_hecho="31/02/2024")])
    )
    (folder / "roto.csv").write_bytes(b"\x00\x01\x02binary")
    (folder / "subiendo.csv.part").write_bytes(b"partial")

    runs = drop_folders_poll()
    for run in runs:
        import_run_process(run_id=run.pk)

    assert sorted(run.original_filename for run in runs) == ["noche_2024-03-15.csv", "roto.csv"]
    done = folder / "done" / "noche_2024-03-15.csv"
    assert done.exists()
    assert (
        (folder / "done" / "noche_2024-03-15.csv.report.csv")
        .read_text()
        .splitlines()[1]
        .startswith("3,fecha_hecho,31/02/2024")
    )
    summary = (folder / "done" / "noche_2024-03-15.csv.summary.txt").read_text().splitlines()
    assert summary[2:] == [
        "read with version 1 of the police profile, as UTF-8, «,»",
        "1 issue(s) on rejected rows; the report lists them with row, column and value",
        "read=2 created=1 updated=0 unchanged=0 rejected=1",
    ]
    assert (folder / "failed" / "roto.csv").exists()
    assert "binary file" in (folder / "failed" / "roto.csv.summary.txt").read_text()
    assert (folder / "subiendo.csv.part").exists()  # a file still being written is left alone
    assert drop_folders_poll() == []


def test_drop_folder_files_of_one_name_keep_each_its_report_and_wait_for_a_profile(
    demo_city, settings, caplog, client, user_with_role
):
    police = Path(settings.INGEST_DROP_DIR) / "police"
    police.mkdir(parents=True)
    contents = [csv_bytes(POLICE_HEADER, [police_row(correlativo_victima=str(number))]) for number in range(1, 4)]
    runs = []
    for content in contents:  # the same name three times within a second
        (police / "hoy.csv").write_bytes(content)
        runs += drop_folders_poll()
        import_run_process(run_id=runs[-1].pk)
    fire = Source.objects.create(code="bomberos", name="Bomberos")  # no profile yet
    (Path(settings.INGEST_DROP_DIR) / "bomberos").mkdir()
    (Path(settings.INGEST_DROP_DIR) / "bomberos" / "incendios.csv").write_bytes(b"a,b\n1,2\n")

    (Path(settings.INGEST_DROP_DIR) / "suelto.csv").write_bytes(contents[0])  # in no source's folder
    with caplog.at_level(logging.WARNING, logger="ingestion.drop_folder"):
        assert drop_folders_poll() == []

    assert (
        "drop folder: bomberos/incendios.csv waits: the source bomberos has no profile yet: an analyst must "
        "write one first" in caplog.messages
    )
    assert (
        "drop folder: suelto.csv waits: not in the folder of a source (bomberos, coroner, hospital, police): it "
        "is not imported" in caplog.messages
    )
    client.force_login(user_with_role(Role.ANALYST))
    imports_page = client.get(reverse("ingestion:run-list")).content.decode()
    assert "<code>bomberos/incendios.csv</code>: la fuente bomberos aún no tiene perfil" in imports_page
    assert "<code>suelto.csv</code>: no está en la carpeta de una fuente" in imports_page
    done = sorted(
        path.name
        for path in (police / "done").iterdir()
        if path.suffix == ".csv" and not path.name.endswith(".report.csv")
    )
    assert len(done) == 3 and "hoy.csv" in done
    assert sorted((police / "done" / name).read_bytes() for name in done) == sorted(contents)
    assert len({ImportRun.objects.get(pk=run.pk).drop_path for run in runs}) == 3
    assert (Path(settings.INGEST_DROP_DIR) / "bomberos" / "incendios.csv").exists()  # waits, not stranded
    assert not fire.runs.exists()


def test_a_file_sent_again_reports_the_issues_of_its_first_run(demo_city, settings, client, user_with_role):
    content = csv_bytes(POLICE_HEADER, [police_row(), police_row(correlativo_victima="2", fecha_hecho="31/02/2024")])
    first = import_run_process(
        run_id=import_run_create(
            source=Source.objects.get(pk="police"),
            stream=io.BytesIO(content),
            filename="a.csv",
            channel=ImportRun.Channel.COMMAND,
            enqueue=False,
        ).pk
    )
    folder = Path(settings.INGEST_DROP_DIR) / "police"
    folder.mkdir(parents=True)
    (folder / "otra_vez.csv").write_bytes(content)

    (again,) = drop_folders_poll()

    assert again.duplicate_of == first and again.rows_rejected == 1
    report = (folder / "done" / "otra_vez.csv.report.csv").read_text().splitlines()
    assert len(report) == 2 and report[1].startswith("3,fecha_hecho,31/02/2024")
    client.force_login(user_with_role(Role.ANALYST))
    listed = client.get(f"/api/v1/imports/{again.pk}/issues/").json()
    assert [issue["row"] for issue in listed["results"]] == [3]


def test_a_file_whose_worker_died_every_time_fails_instead_of_being_tried_for_ever(demo_city, settings):
    run = import_run_create(
        source=Source.objects.get(pk="police"),
        stream=io.BytesIO(csv_bytes(POLICE_HEADER, [police_row()])),
        filename="pesado.csv",
        channel=ImportRun.Channel.COMMAND,
        enqueue=False,
    )
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, attempts=settings.INGEST_MAX_ATTEMPTS)

    ended = import_run_process(run_id=run.pk)

    assert ended.status == ImportRun.Status.FAILED
    assert ended.error.startswith(f"The worker processing this file stopped {settings.INGEST_MAX_ATTEMPTS} times")
    assert not SourceRecord.objects.exists()


def test_the_command_waits_and_its_last_line_gives_the_counts(demo_city, tmp_path):
    path = tmp_path / "pnc.csv"
    path.write_bytes(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(),
                police_row(correlativo_victima="2", fecha_hecho=""),
                police_row(victima_edad="24", arma="BALLESTA"),
            ],
        )
    )
    output, again = io.StringIO(), io.StringIO()

    call_command("import_records", str(path), source="police", stdout=output)
    call_command("import_records", str(path), source="police", stdout=again)

    assert output.getvalue().splitlines()[1:] == [
        "read with version 1 of the police profile, as UTF-8, «,»",
        "1 issue(s) on rejected rows; the report lists them with row, column and value",
        '1 value(s) no vocabulary of the profile maps: their rows are kept as unmapped, listed on the "Unmapped '
        'values" page',
        "1 warning(s) on kept rows, in the report",
        "1 row(s) replaced by a later row with the same record id (warnings in the report)",
        "read=3 created=1 updated=0 unchanged=0 rejected=1",
    ]
    assert again.getvalue().splitlines()[-2:] == [
        "1 row(s) replaced by a later row with the same record id (warnings in the report)",
        "read=3 created=0 updated=0 unchanged=1 rejected=1",
    ]  # as the first run: one record, unchanged
    assert SourceRecord.objects.count() == 1


def test_the_command_exits_non_zero_only_when_the_whole_file_is_refused(demo_city, tmp_path):
    refused = tmp_path / "vacio.csv"
    refused.write_bytes(b"")

    with pytest.raises(SystemExit) as exit_code:
        call_command("import_records", str(refused), source="police", stdout=io.StringIO())

    assert exit_code.value.code == 1
    with pytest.raises(CommandError, match="Unknown source 'bomberos'"):
        call_command("import_records", str(refused), source="bomberos", stdout=io.StringIO())
    Source.objects.create(code="bomberos", name="Bomberos")
    with pytest.raises(CommandError, match="The source bomberos has no profile yet"):
        call_command("import_records", str(refused), source="bomberos", stdout=io.StringIO())
    with pytest.raises(CommandError, match="this is a folder, not a file"):
        call_command("import_records", str(tmp_path), source="police", stdout=io.StringIO())


@pytest.fixture
def worker_environment(settings, monkeypatch):
    """Settings the worker process reads from the environment: the raw store, and small chunks to have a mid-run."""
    monkeypatch.setenv("INGEST_RAW_ROOT", str(settings.INGEST_RAW_ROOT))
    monkeypatch.setenv("INGEST_CHUNK_ROWS", "2000")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_leaves_nothing_partial_and_the_run_finishes(
    tmp_path, worker_environment, celery_worker_process
):
    """A real worker's process is killed with SIGKILL while it imports; the run restarts and ends whole."""
    default_profiles_ensure()
    path = tmp_path / "grande.csv"
    path.write_bytes(
        csv_bytes(POLICE_HEADER, [police_row(no_denuncia=f"DPI-2024-{number:07d}") for number in range(60_000)])
    )
    with path.open("rb") as stream:
        run = import_run_create(
            source=Source.objects.get(pk="police"),
            stream=stream,
            filename=path.name,
            channel=ImportRun.Channel.COMMAND,
            enqueue=False,
        )

    tasks.import_run_process.delay(run.pk)
    killed_pid = _wait_for(lambda: _running_pid(run), "the worker to start the run")
    read_while_running = run.rows_read  # as the probe saw it: the rows read so far, shown on the run's page
    os.kill(killed_pid, signal.SIGKILL)
    finished = _wait_for(lambda: _finished(run), "the run to finish after the kill", timeout=240)

    assert finished.status == ImportRun.Status.DONE
    assert read_while_running > 0
    assert finished.attempts >= 2
    assert int(finished.worker.rsplit(":", 1)[1]) != killed_pid
    assert finished.summary() == "read=60000 created=60000 updated=0 unchanged=0 rejected=0"
    assert SourceRecord.objects.count() == 60_000


def _wait_for(probe, what: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _running_pid(run: ImportRun) -> int | None:
    run.refresh_from_db()
    if run.status == ImportRun.Status.RUNNING and run.progress > 0 and run.worker:
        return int(run.worker.rsplit(":", 1)[1])
    return None


def _finished(run: ImportRun) -> ImportRun | None:
    run.refresh_from_db()
    return run if run.is_finished else None


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_source_load_one_after_the_other(demo_city):
    """Two files sharing records, loaded at once by two workers, would both create the shared records, and the
    second would fail on the first's at its commit: a run waits while another run of its source is loading."""
    default_profiles_ensure()  # a transactional test starts without the migrations' data
    police = Source.objects.get(pk="police")
    run = import_run_create(
        source=police,
        stream=io.BytesIO(csv_bytes(POLICE_HEADER, [police_row()])),
        filename="segundo.csv",
        channel=ImportRun.Channel.COMMAND,
        enqueue=False,
    )
    loading, release = threading.Event(), threading.Event()

    def another_run_loading():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [SOURCE_LOAD_LOCK_NAMESPACE, "police"])
            loading.set()
            release.wait(timeout=30)
        connection.close()

    def this_run():
        import_run_process(run_id=run.pk)
        connection.close()

    other, this = threading.Thread(target=another_run_loading), threading.Thread(target=this_run)
    other.start()
    assert loading.wait(timeout=30)
    this.start()
    this.join(timeout=3)
    waited, records_while_waiting = ImportRun.objects.get(pk=run.pk), SourceRecord.objects.count()
    release.set()
    other.join(timeout=30)
    this.join(timeout=60)

    assert (waited.status, records_while_waiting) == (ImportRun.Status.RUNNING, 0)
    assert ImportRun.objects.get(pk=run.pk).summary() == "read=1 created=1 updated=0 unchanged=0 rejected=0"
