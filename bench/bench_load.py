"""Public pages and the public API under 32 concurrent clients (BENCH_LOAD_CLIENTS) for 60 s (BENCH_LOAD_SECONDS)
against the production server: gunicorn with 4 workers of 4 threads (BENCH_LOAD_WEB_WORKERS, _THREADS),
production settings, static files by WhiteNoise, over 1,000,000 source records (BENCH_LOAD_RECORDS) with their
victims and a published vintage, while a Celery worker imports a police file (BENCH_LOAD_IMPORT_ROWS rows) and runs
a linkage run in the background.

Baseline, from the same server in the same run: a static file. Target (issue 21): zero errors; p95 <= 200 ms for
pages and API. The anonymous rate limits of the API and the pages are lifted for the run (API_RATE_ANONYMOUS,
PAGE_RATE_ANONYMOUS): this measures serving, not throttling. The client is a small threaded one (one keep-alive
connection per client), in this process.
"""

import http.client
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.db import connection

from bench.bench_indicators import MONTHS, SOURCES_PER_PERSON, empty_tables_and_linkage_run, records_and_victims_load
from bench.gunicorn_server import production_environment, static_collect
from tests.workers import celery_worker_command

ROOT = Path(__file__).resolve().parent.parent
RECORDS = int(os.environ.get("BENCH_LOAD_RECORDS", "1000000"))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "32"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
WEB_WORKERS = int(os.environ.get("BENCH_LOAD_WEB_WORKERS", "4"))
WEB_THREADS = int(os.environ.get("BENCH_LOAD_WEB_THREADS", "4"))
IMPORT_ROWS = int(os.environ.get("BENCH_LOAD_IMPORT_ROWS", "20000"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8765"))
START_SECONDS = 120
STOP_SECONDS = 10
TARGET_P95_MS = 200
PAGES = ["/", "/methodology/", "/indicators/"]
API = [
    "/api/v1/indicators/monthly/?level=department&category=homicide",
    "/api/v1/indicators/vintages/",
    "/api/v1/geography/units/?level=department",
]


def _data_load() -> int:
    """The records, victims and a published vintage the public pages read."""
    from observatory.indicators.models import Vintage
    from observatory.indicators.services import vintage_now

    run_id = empty_tables_and_linkage_run()
    records_and_victims_load(1, round(RECORDS / SOURCES_PER_PERSON), f"floor(random() * {MONTHS - 1})::int", run_id)
    assert vintage_now(kind=Vintage.Kind.FULL).status == Vintage.Status.DONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM records_sourcerecord")
        return cursor.fetchone()[0]


def _police_file(rows: int) -> bytes:
    from tests.ingestion.conftest import POLICE_HEADER, csv_bytes, police_row

    return csv_bytes(
        POLICE_HEADER,
        [
            police_row(
                no_denuncia=f"BENCH-{row:07d}",
                fecha_hecho=f"{1 + row % 28:02d}/{1 + row % 12:02d}/2024",
                victima_nombre=f"PERSONA {row:07d}",
                victima_dni=f"{3000000000000 + row}",
            )
            for row in range(rows)
        ],
    )


def _background_start() -> tuple[int, int]:
    """An import and a linkage run queued for the worker; their ids."""
    from ingestion.models import ImportRun
    from ingestion.services import import_run_create
    from observatory.reconciliation.models import LinkageRun
    from observatory.reconciliation.services import linkage_run_create
    from observatory.records.models import Source

    run = import_run_create(
        source=Source.objects.get(pk="police"),
        stream=io.BytesIO(_police_file(IMPORT_ROWS)),
        filename="bench.csv",
        channel=ImportRun.Channel.COMMAND,
    )
    linkage = linkage_run_create(kind=LinkageRun.Kind.FULL)
    return run.pk, linkage.pk


def _wait_until_served(path: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            client = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            client.request("GET", path)
            if client.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {path} within {START_SECONDS} s")


def _client(paths: list[tuple[str, str]], offset: int, deadline: float, samples: list, errors: list) -> None:
    connection_ = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    position = offset
    while time.monotonic() < deadline:
        group, path = paths[position % len(paths)]
        position += 1
        started = time.perf_counter()
        try:
            connection_.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection_.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            errors.append((group, path, repr(error)))
            connection_.close()
            connection_ = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            continue
        samples.append((group, time.perf_counter() - started))
        if status != 200:
            errors.append((group, path, status))
    connection_.close()


def _percentiles(seconds: list[float]) -> dict:
    ordered = sorted(seconds)

    def at(share: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)

    return {"requests": len(ordered), "p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def _load(static_path: str) -> dict:
    paths = [("pages", path) for path in PAGES] + [("api", path) for path in API] + [("static", static_path)]
    samples: list = []
    errors: list = []
    deadline = time.monotonic() + SECONDS
    clients = [
        threading.Thread(target=_client, args=(paths, offset, deadline, samples, errors)) for offset in range(CLIENTS)
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.perf_counter() - started
    figures = {"clients": CLIENTS, "seconds": round(elapsed, 1), "errors": len(errors), "error_examples": errors[:5]}
    for group in ("pages", "api", "static"):
        seconds = [duration for name, duration in samples if name == group]
        figures[group] = {**_percentiles(seconds), "per_second": round(len(seconds) / elapsed, 1)}
    figures["requests_per_second"] = round(len(samples) / elapsed, 1)
    return figures


def _processes_start(static_root: str) -> list[subprocess.Popen]:
    environment = {
        **os.environ,
        **production_environment(
            static_root=static_root,
            API_RATE_ANONYMOUS="10000000/minute",
            PAGE_RATE_ANONYMOUS="10000000/minute",
            # The worker's background is the import and the linkage run, not the compilation of hotspot kernels.
            HOTSPOTS_WARM_KERNELS_AT_START="false",
        ),
    }
    static_collect(environment=environment)
    web = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "observatory.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WEB_WORKERS),
            "--threads",
            str(WEB_THREADS),
            "--worker-class",
            "gthread",
        ],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        celery_worker_command(hostname="bench-load@%h", concurrency=2),
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    return [web, worker]


def _processes_stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM, then SIGKILL to each process group: the worker's warm shutdown would wait for the linkage run."""
    for process in processes:
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run() -> dict:
    from ingestion.models import ImportRun
    from observatory.reconciliation.models import LinkageRun

    records = _data_load()
    with tempfile.TemporaryDirectory() as static_root:
        processes = _processes_start(static_root)
        try:
            manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())["paths"]
            static_path = "/static/" + manifest["css/observatory.css"]
            for path in [*PAGES, *API, static_path]:
                _wait_until_served(path)
            import_id, linkage_id = _background_start()
            time.sleep(5)  # the worker takes both jobs up
            before = [ImportRun.objects.get(pk=import_id).status, LinkageRun.objects.get(pk=linkage_id).status]
            figures = _load(static_path)
            after = [ImportRun.objects.get(pk=import_id).status, LinkageRun.objects.get(pk=linkage_id).status]
        finally:
            _processes_stop(processes)
    worst_p95 = max(figures["pages"]["p95_ms"], figures["api"]["p95_ms"])
    return {
        "records": records,
        "web": f"gunicorn, {WEB_WORKERS} workers x {WEB_THREADS} threads, production settings",
        "background_import_rows": IMPORT_ROWS,
        "background_status_at_start_and_end": {"import": [before[0], after[0]], "linkage": [before[1], after[1]]},
        **figures,
        "p95_pages_and_api_to_static_ratio": round(worst_p95 / max(figures["static"]["p95_ms"], 0.1), 1),
        "meets_target": figures["errors"] == 0 and worst_p95 <= TARGET_P95_MS,
    }
