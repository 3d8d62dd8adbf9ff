"""/api/v1/: a guide page for a browser, the endpoints for a program, and the guide's examples run for real (curl,
pandas, R) against a live server with two years of published figures and their open data."""

import csv
import io
import shutil
import subprocess
import sys
import urllib.request

import pytest
from django.utils import formats
from django.utils.html import escapejs

from api.v1.guide import EXAMPLES
from observatory.open_data.services import open_data_release_now
from tests.indicators.conftest import country  # noqa: F401
from tests.indicators.portal_data import publish_homicides

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RSCRIPT = shutil.which("Rscript")


@pytest.mark.django_db
def test_a_browser_reads_the_guide_and_a_program_the_endpoints(client):
    guide = client.get("/api/v1/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert guide["Content-Type"].startswith("text/html")
    page = guide.content.decode()
    assert "Inicio rápido" in page and "pd.read_csv(" in page and "read.csv(" in page
    assert "http://testserver/api/v1/open-data/victims/?year=2024&amp;format=csv" in page
    assert f"{formats.localize(10_000)} solicitudes por minuto" in page  # the test settings' rate without a key
    assert 'href="/methodology/"' in page
    client.cookies["django_language"] = "en"
    assert "Quick start" in client.get("/api/v1/", HTTP_ACCEPT=BROWSER_ACCEPT).content.decode()
    endpoints = client.get("/api/v1/", HTTP_ACCEPT="*/*").json()
    assert endpoints["indicators/monthly"] == "http://testserver/api/v1/indicators/monthly/"


@pytest.mark.django_db
def test_the_site_header_leads_to_the_guide_and_swagger_reads_the_site_language(client):
    home = client.get("/").content.decode()
    assert 'href="/api/v1/"' in home
    # The page's start-up script is a file of its own (the Content-Security-Policy runs no inline script).
    assert 'src="/api/v1/docs/?script="' in client.get("/api/v1/docs/").content.decode()
    assert escapejs("/api/v1/schema/?lang=es") in client.get("/api/v1/docs/?script=").content.decode()
    client.cookies["django_language"] = "en"
    assert escapejs("/api/v1/schema/?lang=en") in client.get("/api/v1/docs/?script=").content.decode()


@pytest.fixture
def published_site(country, live_server, settings, tmp_path):  # noqa: F811
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    open_data_release_now(vintage_id=publish_homicides(country).pk)
    return f"{live_server.url}/api/v1/"


def _run(example, api_root: str, directory) -> str:
    code = example.for_site(api_root)
    if example.tool == "curl":
        subprocess.run(["sh", "-c", code], cwd=directory, check=True, capture_output=True, timeout=60)
        return next(directory.glob("*.csv")).read_text()
    if example.tool == "pandas":
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120)
        return done.stdout
    if RSCRIPT:
        done = subprocess.run([RSCRIPT, "-e", code], check=True, capture_output=True, text=True, timeout=120)
        return done.stdout
    # No R on this machine: the example's URL is read as R's read.csv would, a CSV with a header.
    with urllib.request.urlopen(f"{api_root}{example.path}", timeout=60) as answer:
        assert answer.headers["Content-Type"].startswith("text/csv")
        return answer.read().decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.tool}-{e.path.split('?')[0]}" for e in EXAMPLES])
def test_every_example_of_the_guide_runs_against_the_site(published_site, example, tmp_path):
    output = _run(example, published_site, tmp_path)
    if example.tool == "pandas" or (example.tool == "R" and RSCRIPT):
        lines = output.strip().splitlines()
        assert len(lines) >= 2, output  # the header and at least one row of head()
        return
    rows = list(csv.reader(io.StringIO(output)))
    assert len(rows) >= 2, output[:500]
    if "victims" in example.path:
        assert rows[0][:3] == ["id", "date", "month"]
        assert {row[1][:4] for row in rows[1:]} == {"2024"}
