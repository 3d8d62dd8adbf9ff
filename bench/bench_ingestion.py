"""Ingestion of a generated police file (1,000,000 rows by default, BENCH_INGEST_ROWS to change it).

Baseline, measured in the same run: PostgreSQL's COPY of the same file into an unlogged staging table of text
columns. Targets (issue 3): import time <= 4 x the COPY, peak memory <= 1 GiB whatever the file size, and the
same file sent again <= 0.1 x the first import. Each import runs as `manage.py import_records` in a child
process of its own, so its peak resident memory is its own. For "whatever the file size", a file
BENCH_INGEST_LARGE_FACTOR times larger (5 by default, about 1 GB; 0 to skip) is imported too, and its peak
memory reported beside the first.

Also reported, as a floor for any import into this schema: PostgreSQL's binary COPY of the imported records
themselves (already normalised, nothing left to compute) into a copy of the records table with the same indexes.
"""

import dataclasses
import os
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
LARGE_FACTOR = int(os.environ.get("BENCH_INGEST_LARGE_FACTOR", "5"))
# Realistic names, places and ids, but no broken lines: PostgreSQL's COPY (the baseline) refuses those.
CLEAN_NOISE = dataclasses.replace(NOISE_LEVELS["default"], bad_value_rate=0.0)


def _copy_seconds(path: Path) -> float:
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    columns = ", ".join(f'"{name}" text' for name in header)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
        cursor.execute(f"CREATE UNLOGGED TABLE bench_copy_baseline ({columns})")
        with (
            cursor.copy("COPY bench_copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as raw,
        ):
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


def _import(path: Path) -> tuple[float, str, float]:
    """Seconds, the command's last line, and the peak resident memory in MiB of this child process alone."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(
            [sys.executable, "manage.py", "import_records", "--source", "police", str(path)],
            cwd=ROOT,
            env=os.environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        output.seek(0)
        lines = output.read().decode().strip().splitlines()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"import_records failed on {path}:\n" + "\n".join(lines[-20:]))
    return seconds, lines[-1], usage.ru_maxrss / 1024


def _records_empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE records_sourcerecordrevision, records_sourcerecord, ingestion_rowissue, "
            "ingestion_importrun CASCADE"
        )


def _large_file_peak_rss_mib(folder: str) -> dict:
    """A first import of a larger file, into empty records like the first."""
    _records_empty()
    path = Path(folder) / "police_large.csv"
    write_police_file(path=path, rows=ROWS * LARGE_FACTOR, seed=20261203, noise=CLEAN_NOISE)
    seconds, counts, peak_rss_mib = _import(path)
    return {
        "large_file_mb": round(path.stat().st_size / 1e6, 1),
        "large_import_seconds": round(seconds, 2),
        "large_peak_rss_mib": round(peak_rss_mib),
        "large_import": counts,
    }


def run() -> dict:
    demo_geography_load()
    _records_empty()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "police.csv"
        write_police_file(path=path, rows=ROWS, seed=20261123, noise=CLEAN_NOISE)
        size_mb = path.stat().st_size / 1e6
        baseline = _copy_seconds(path)
        first_seconds, first_counts, peak_rss_mib = _import(path)
        again_seconds, again_counts, _ = _import(path)
        records_copy = _records_copy_seconds()
        path.unlink()
        large = _large_file_peak_rss_mib(folder) if LARGE_FACTOR else {}
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
        **large,
    }
