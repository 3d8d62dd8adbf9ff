"""Exporting the victim-level open data as CSV: 1,000,000 rows (BENCH_OPEN_DATA_VICTIMS to change it) through the
production server (gunicorn, 2 workers, loopback), against PostgreSQL's own COPY of the same query to STDOUT,
measured in the same run. Target (issue 18): the export at >= 30% of COPY's rate, its worker's peak RSS <= 300 MiB.

The victims are written straight into the table by SQL (this measures the export, not ingestion or linkage), spread
over every municipality of the demo geography and ten years, each with a point near its municipality's centre;
the open-data rows are then built by the release's own service (its time is reported too).
"""

import http.client
import os
import subprocess
import time
from pathlib import Path

from django.db import connection
from django.utils import timezone

from bench.gunicorn_server import gunicorn_serving
from observatory.geography.services.demo import demo_geography_load

VICTIMS = int(os.environ.get("BENCH_OPEN_DATA_VICTIMS", "1000000"))
CATEGORIES = ["homicide", "homicide", "assault_injury", "road_traffic_death", "suicide", "disappearance", "robbery"]
PATH = "/api/v1/open-data/victims/?format=csv"


def _load(run_id: int) -> None:
    categories = "ARRAY[" + ", ".join(f"'{category}'" for category in CATEGORIES) + "]"
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH municipalities AS (
                SELECT array_agg(id ORDER BY id) AS ids, array_agg(ST_Centroid(boundary) ORDER BY id) AS centres,
                       count(*) AS n
                FROM geography_adminunit WHERE level = 'municipality'
            ), people AS (
                SELECT person, 1 + floor(random() * n)::int AS pick, ids, centres
                FROM generate_series(1, {VICTIMS}) AS person, municipalities
            )
            INSERT INTO reconciliation_victim (id, created_by_run_id, created_at, updated_at,
                case_status, sources, record_count, category, is_femicide, manner, icd10_cause, icd10_injury, weapon,
                died, was_reported_missing, event_date, municipality_id, point, sex, age_years, full_name, id_number,
                is_unidentified, attribute_sources)
            SELECT person, {run_id}, now(), now(),
                   (ARRAY['confirmed', 'corroborated', 'single_source'])[1 + floor(random() * 3)::int],
                   ARRAY['coroner', 'police'], 2, ({categories})[1 + floor(random() * {len(CATEGORIES)})::int], false,
                   '', '', '', (ARRAY['firearm', 'sharp_object', ''])[1 + floor(random() * 3)::int], true, false,
                   date '2015-01-01' + floor(random() * 3650)::int, ids[pick],
                   ST_Translate(centres[pick], (random() - 0.5) * 0.04, (random() - 0.5) * 0.04),
                   CASE WHEN random() < 0.88 THEN 'M' ELSE 'F' END,
                   CASE WHEN random() < 0.05 THEN NULL ELSE 18 + floor(random() * 60) END, '', '', false, '{{}}'
            FROM people
        """)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('reconciliation_victim', 'id'), (SELECT max(id) FROM "
            "reconciliation_victim)); ANALYZE reconciliation_victim"
        )


def _copy_baseline() -> tuple[float, int]:
    """(seconds, bytes) of PostgreSQL's COPY of the export's own query, read to the end in this process."""
    from observatory.open_data.selectors import open_victim_copy_sql, open_victim_list

    statement, params = open_victim_copy_sql(victims=open_victim_list())
    size = 0
    started = time.perf_counter()
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for block in copy:
            size += len(block)
    return time.perf_counter() - started, size


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _export_through_gunicorn() -> tuple[float, int, int, float]:
    """(seconds, bytes, lines, the serving worker's peak RSS in MiB) of one CSV export of every row."""
    environment = {"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    with gunicorn_serving(environment=environment) as (server, port):
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        warm.request("GET", "/api/v1/open-data/victims/?page_size=1")
        warm.getresponse().read()
        size = lines = 0
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        started = time.perf_counter()
        client.request("GET", PATH)
        response = client.getresponse()
        assert response.status == 200, response.status
        while block := response.read(1 << 20):
            size += len(block)
            lines += block.count(b"\n")
        seconds = time.perf_counter() - started
        workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        peak = max(_peak_rss_mib(int(worker)) for worker in workers)
    return seconds, size, lines, peak


def run() -> dict:
    from observatory.open_data.services import open_victims_rebuild, public_ids_assign
    from observatory.reconciliation.models import LinkageRun

    demo_geography_load()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE open_data_openvictim, open_data_publicvictimid, reconciliation_victimrecord, "
            "reconciliation_victimchange, reconciliation_candidatepair, reconciliation_victim CASCADE"
        )
    run = LinkageRun.objects.create(
        kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.DONE, finished_at=timezone.now(), reason="benchmark"
    )
    _load(run.pk)
    started = time.perf_counter()
    public_ids_assign()
    ids_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = open_victims_rebuild()
    rebuild_seconds = time.perf_counter() - started
    connection.close()  # the server's workers read the rows on connections of their own
    copy_seconds, copy_bytes = _copy_baseline()
    export_seconds, export_bytes, export_lines, peak_rss = _export_through_gunicorn()
    assert export_lines == rows + 1, (export_lines, rows)
    return {
        "victims": VICTIMS,
        "open_rows": rows,
        "public_ids_seconds": round(ids_seconds, 2),
        "rows_rebuild_seconds": round(rebuild_seconds, 2),
        "copy_seconds": round(copy_seconds, 2),
        "copy_rows_per_second": round(rows / copy_seconds),
        "csv_bytes": export_bytes,
        "export_seconds": round(export_seconds, 2),
        "export_rows_per_second": round(rows / export_seconds),
        "export_to_copy_rate": round(copy_seconds / export_seconds, 2),
        "export_worker_peak_rss_mib": round(peak_rss),
        "copy_bytes": copy_bytes,
    }
