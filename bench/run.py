"""Run every benchmark in bench/ (files named bench_*.py) against its own database.

Each benchmark measures the observatory's code and a baseline in the same run and reports the ratio,
so figures compare across machines. Results are printed and written to bench/results/<name>.json.
Usage: .venv/bin/python bench/run.py [name ...]
"""

import importlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "observatory_bench")
RESULTS = ROOT / "bench" / "results"


def prepare_database() -> None:
    psql = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
    exists = subprocess.run(
        [*psql, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DATABASE}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*psql, "-d", "postgres", "-c", f'CREATE DATABASE "{BENCH_DATABASE}"'], check=True)
    subprocess.run([*psql, "-d", BENCH_DATABASE, "-c", "CREATE EXTENSION IF NOT EXISTS postgis"], check=True)


def _queues_empty() -> None:
    """Drop the tasks an earlier run left in the benchmarks' queues: they name jobs of tables emptied since, and a
    benchmark's worker would spend its time on them."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(*(queue.name for queue in settings.CELERY_TASK_QUEUES))


def main(names: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "observatory.settings.base"
    os.environ["DATABASE_URL"] = f"postgis://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
    # Tasks the benchmarks queue (imports queue linkage runs) go to a Redis database no demo worker reads.
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    prepare_database()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    _queues_empty()
    RESULTS.mkdir(exist_ok=True)
    modules = sorted(path.stem for path in (ROOT / "bench").glob("bench_*.py"))
    for name in names or modules:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        figures = module.run()
        figures["benchmark_seconds"] = round(time.perf_counter() - started, 2)
        (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
        print(f"== {name}")
        for key, value in figures.items():
            print(f"   {key}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
