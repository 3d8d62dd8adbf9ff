"""Real Celery worker and Redis server processes for the tests that need them (a live worker, the fault suite)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 20


def celery_worker_command(*, hostname: str, concurrency: int) -> list[str]:
    """A Celery worker on the default and ingestion queues, prefork, quiet, without gossip or mingle."""
    return [
        sys.executable,
        "-m",
        "celery",
        "--app",
        "observatory",
        "worker",
        "--queues",
        "default,ingestion",
        "--concurrency",
        str(concurrency),
        "--pool",
        "prefork",
        "--hostname",
        hostname,
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
    ]


class CeleryWorker:
    """A worker process (prefork pool, one child) on the test database, with `environment` added to the test
    process's own."""

    def __init__(self, environment: dict[str, str] | None = None):
        settings_dict = connection.settings_dict
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "observatory.settings.test",
            "DATABASE_URL": (
                f"postgis://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
                f"{settings_dict['NAME']}"
            ),
            **(environment or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> subprocess.Popen:
        self.process = subprocess.Popen(
            celery_worker_command(hostname=f"test-{uuid.uuid4().hex[:8]}@%h", concurrency=1),
            cwd=PROJECT_ROOT,
            env=self.environment,
            start_new_session=True,
        )
        return self.process

    def pool_children(self) -> list[int]:
        """The ids of the pool's processes, the ones that run tasks."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a free port, nothing kept on disk: stopped and started again by the fault tests,
    whatever Redis the rest of the suite uses."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        executable = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not listen on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def celery_app_using(broker_url: str):
    """Within the block, tasks this process queues go to `broker_url`; the app's pooled connections are dropped on
    the way in and out."""
    from celery import current_app

    app = current_app
    saved = (app.conf.broker_url, app.conf.result_backend)

    def forget_connections():
        app._pool = None
        app.amqp._producer_pool = None
        app._backend_cache = None
        app._local.__dict__.pop("backend", None)

    forget_connections()
    app.conf.broker_url = app.conf.result_backend = broker_url
    try:
        yield app
    finally:
        forget_connections()
        app.conf.broker_url, app.conf.result_backend = saved
