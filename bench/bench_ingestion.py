"""Ingestion of a generated police file (1,000,000 rows by default, BENCH_INGEST_ROWS to change it).

Baseline, measured in the same run: PostgreSQL's COPY of the same file into an unlogged staging table of text
columns. Targets (issue 3): import time <= 4 x the COPY, peak memory <= 1 GiB whatever the file size, and the
same file sent again <= 0.1 x the first import. The import runs as `manage.py import_records` in a child process,
so its peak resident memory is the child's own.

Also reported, as a floor for any import into this schema: PostgreSQL's binary COPY of the imported records
themselves (already normalised, nothing left to compute) into a copy of the records table with the same indexes.
"""
import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection

from observatory.demo.generator import NOISE_LEVELS, write_police_file
from observatory.geography.services.demo import demo_geography_load

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_INGEST_ROWS", "1000000"))


def _copy_seconds(path: Path) -> float:
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    columns = ", ".join(f'"{name}" text' for name in header)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
        cursor.execute(f"CREATE UNLOGGED TABLE bench_copy_baseline ({columns})")
        with cursor.copy("COPY bench_copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, path.open("rb") as raw:
            while block := raw.read(1 << 20):
                copy.write(block)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy_baseline")
    return seconds


def _records_copy_seconds() -> float:
    """COPY of the imported records, as binary, into a table like the records table (same columns and indexes)."""
    with tempfile.TemporaryFile() as dump, connection.cursor() as cursor:
        with cursor.copy("COPY (SELECT * FROM records_sourcerecord) TO STDOUT WITH (FORMAT binary)") as copy:
            for block in copy:
                dump.write(block)
        dump.seek(0)
        cursor.execute("DROP TABLE IF EXISTS bench_records_copy")
        cursor.execute("CREATE TABLE bench_records_copy (LIKE records_sourcerecord INCLUDING ALL)")
        started = time.perf_counter()
        with cursor.copy("COPY bench_records_copy FROM STDIN WITH (FORMAT binary)") as copy:
            while block := dump.read(1 << 20):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_records_copy")
    return seconds


def _import(path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "manage.py", "import_records", "--source", "police", str(path)], cwd=ROOT,
                            env=os.environ, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout.strip().splitlines()[-1]


def run() -> dict:
    demo_geography_load()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE records_sourcerecordrevision, records_sourcerecord, ingestion_rowissue, "
                       "ingestion_importrun CASCADE")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "police.csv"
        # Realistic names, places and ids, but no broken lines: PostgreSQL's COPY (the baseline) refuses those.
        clean = dataclasses.replace(NOISE_LEVELS["default"], bad_value_rate=0.0)
        write_police_file(path=path, rows=ROWS, seed=20261123, noise=clean)
        size_mb = path.stat().st_size / 1e6
        baseline = _copy_seconds(path)
        first_seconds, first_counts = _import(path)
        peak_rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        again_seconds, again_counts = _import(path)
    records_copy = _records_copy_seconds()
    return {
        "rows": ROWS,
        "file_mb": round(size_mb, 1),
        "copy_baseline_seconds": round(baseline, 2),
        "import_seconds": round(first_seconds, 2),
        "rows_per_second": round(ROWS / first_seconds),
        "import_to_copy_ratio": round(first_seconds / baseline, 2),
        "peak_rss_mib": round(peak_rss_mib),
        "records_copy_seconds": round(records_copy, 2),
        "records_copy_to_copy_ratio": round(records_copy / baseline, 2),
        "resend_seconds": round(again_seconds, 2),
        "resend_to_import_ratio": round(again_seconds / first_seconds, 3),
        "first_import": first_counts,
        "resend": again_counts,
    }
