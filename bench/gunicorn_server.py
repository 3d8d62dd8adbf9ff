"""The production server for the benchmarks that measure through HTTP: gunicorn on a free loopback port, with the
production settings over plain HTTP and the static files collected as a deployment collects them."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_environment(*, static_root: str, **overrides: str) -> dict[str, str]:
    """The production settings on the loopback: plain HTTP (no redirect to HTTPS, cookies not marked secure), a
    fresh secret key, the static files in `static_root`; `overrides` add or replace variables."""
    return {
        "DJANGO_SETTINGS_MODULE": "observatory.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_LOG_LEVEL": "WARNING",
        **overrides,
    }


def static_collect(*, environment: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **environment},
        check=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_serving(*, environment: dict, workers: int = 2, timeout: int = 600):
    """Gunicorn serving the observatory on a free port while the block runs; yields (process, port)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "observatory.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            str(timeout),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **environment},
        start_new_session=True,
    )
    try:
        for _attempt in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield server, port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
