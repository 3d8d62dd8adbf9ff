"""The demo's web server is the production one (Procfile: gunicorn, production settings, WhiteNoise): DEBUG off,
hashed static files, and a burst of requests holds one database connection per worker (issue 21, finding 5)."""

import os
import re
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.test_settings import PROJECT, SAFE_KEY

pytestmark = pytest.mark.django_db

WORKERS = 2
START_SECONDS = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _web_command(port: int) -> str:
    """The Procfile's own web line, on a free port: what `make demo` runs is what is tested."""
    line = next(line for line in (PROJECT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    return line.removeprefix("web:").strip().replace("127.0.0.1:8000", f"127.0.0.1:{port}")


@pytest.fixture(scope="module")
def production_environment(tmp_path_factory) -> dict:
    database = connection.settings_dict
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "observatory.settings.production",
        "DJANGO_SECRET_KEY": SAFE_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "DATABASE_URL": f"postgis://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "PAGE_RATE_ANONYMOUS": "100000/minute",
        "WEB_WORKERS": str(WORKERS),
    }
    subprocess.run(
        [".venv/bin/python", "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=PROJECT,
        env=environment,
        check=True,
        timeout=300,
    )
    return environment


@pytest.fixture
def production_server(production_environment):
    port = _free_port()
    # Named after its port, so the database can tell this server's connections from any other's.
    database_url = f"{production_environment['DATABASE_URL']}?application_name=observatory-test-{port}"
    server = subprocess.Popen(
        ["bash", "-c", f"exec {_web_command(port)}"],
        cwd=PROJECT,
        env={**production_environment, "DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = _base_url(port)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            # Each worker's first request imports the pages' modules: wait until both have answered once.
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                list(pool.map(lambda _: requests.get(f"{base_url}/methodology/", timeout=120), range(WORKERS * 2)))
            break
        except requests.ConnectionError:
            time.sleep(0.5)
    yield port
    server.terminate()
    server.wait(timeout=30)


def test_the_demo_server_runs_without_debug_and_serves_hashed_static_files(production_server):
    base_url = _base_url(production_server)
    missing = requests.get(f"{base_url}/no-such-page/")
    stylesheet = re.search(
        r'href="(/static/css/[^"]+\.[0-9a-f]{12}\.css)"', requests.get(f"{base_url}/methodology/").text
    )

    assert missing.status_code == 404 and "Traceback" not in missing.text
    assert stylesheet, "no hashed stylesheet on the page: static files are not served from the manifest"
    static = requests.get(f"{base_url}{stylesheet.group(1)}")
    assert static.status_code == 200
    assert "max-age=315360000" in static.headers["cache-control"]


def test_a_burst_of_requests_holds_at_most_one_database_connection_per_worker(production_server):
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(
            pool.map(
                lambda _: requests.get(f"{_base_url(production_server)}/methodology/", timeout=120).status_code,
                range(200),
            )
        )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [f"observatory-test-{production_server}"],
        )
        (connections,) = cursor.fetchone()
    assert set(statuses) == {200}
    assert 1 <= connections <= WORKERS


def test_the_procfile_serves_with_gunicorn_not_the_development_server():
    assert "gunicorn" in _web_command(8000) and "runserver" not in Path(PROJECT / "Procfile").read_text()
