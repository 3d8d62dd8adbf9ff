"""The fault suite's stack: a throwaway Redis, a real worker on it and on the test database, a raw-file store of
its own, and the means to stop a worker's work in the middle (a table lock the test holds) and break it there."""

import io
import os
import signal
import time
from collections.abc import Callable
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from redis import Redis

from ingestion.models import ImportRun
from ingestion.services import default_profiles_ensure, import_run_create
from observatory.records.models import Source
from tests.ingestion.conftest import POLICE_HEADER, csv_bytes, police_row
from tests.workers import CeleryWorker, RedisServer, celery_app_using

# Bounds, not expectations: a healthy run under a loaded 2-core machine takes a fraction of these.
WAIT_SECONDS = 150
POLL_SECONDS = 0.1


def wait_for(condition: Callable[[], bool], *, what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {seconds} s for {what}")
        time.sleep(POLL_SECONDS)


class FaultStack:
    def __init__(self, *, redis: RedisServer, worker: CeleryWorker):
        self.redis = redis
        self.worker = worker

    def queue_empty(self) -> None:
        """Drop what earlier steps queued (jobs run in the test's own process), so the worker takes only the job
        under test."""
        Redis.from_url(self.redis.url).flushall()

    def kill_the_busy_worker_process(self) -> int:
        """SIGKILL the pool process running the task, as the kernel's out-of-memory killer would."""
        (child,) = self.worker.pool_children()
        os.kill(child, signal.SIGKILL)
        return child


@pytest.fixture
def fault_stack(tmp_path, settings):
    default_profiles_ensure()  # the sources and their profiles, which a transactional test starts without
    redis = RedisServer()
    redis.start()
    settings.INGEST_RAW_ROOT = tmp_path / "raw"
    worker = CeleryWorker({"TEST_REDIS_URL": redis.url, "INGEST_RAW_ROOT": str(settings.INGEST_RAW_ROOT)})
    with celery_app_using(redis.url):
        yield FaultStack(redis=redis, worker=worker)
        worker.stop()
    redis.stop()


def _conninfo() -> str:
    settings_dict = connection.settings_dict
    return (
        f"host={settings_dict['HOST']} port={settings_dict['PORT']} user={settings_dict['USER']} "
        f"dbname={settings_dict['NAME']}"
    )


@contextmanager
def table_held(table: str):
    """Hold `table` against writes (SHARE mode: reads go on) on a connection of the test's own, so that a job that
    reaches its first write to it waits there, in the middle of its work. Yields that connection's backend id."""
    with psycopg.connect(_conninfo(), autocommit=True) as holder, holder.transaction():
        holder.execute(f"LOCK TABLE {table} IN SHARE MODE")
        yield holder.info.backend_pid


def a_write_waits_on(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks JOIN pg_class ON pg_class.oid = pg_locks.relation "
            "WHERE pg_class.relname = %s AND NOT pg_locks.granted",
            [table],
        )
        return cursor.fetchone()[0] > 0


def other_sessions_terminate(*, spared: int) -> int:
    """What a restart of PostgreSQL does to the worker: every other session on the test database is ended."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
            [spared],
        )
        return cursor.fetchone()[0]


def police_file(people: int) -> bytes:
    """`people` victims of police reports, each reported twice (under two report numbers), to be linked."""
    rows = []
    for person in range(people):
        for report in (0, 1):
            rows.append(
                police_row(
                    no_denuncia=f"DPI-2024-{person:04d}{report}",
                    fecha_hecho=f"{1 + person % 28:02d}/{1 + person % 12:02d}/2024",
                    victima_nombre=f"PERSONA {person:04d} APELLIDO{person % 97}",
                    victima_dni=f"{2000000000000 + person}",
                    victima_edad=str(18 + person % 60),
                )
            )
    return csv_bytes(POLICE_HEADER, rows)


def upload(content: bytes, *, enqueue: bool = True) -> ImportRun:
    return import_run_create(
        source=Source.objects.get(pk="police"),
        stream=io.BytesIO(content),
        filename="pnc.csv",
        channel=ImportRun.Channel.UPLOAD,
        enqueue=enqueue,
    )


def job_ended(model, pk: int) -> Callable[[], bool]:
    return lambda: model.objects.get(pk=pk).is_finished
