"""An analyst sends a police file from the browser and follows it to its report, processed by a real Celery worker."""

import json
import re

import pytest

from ingestion.models import ImportRun
from ingestion.services import default_profiles_ensure
from observatory.accounts.roles import Role
from observatory.geography.models import Level
from tests.factories import AdminUnitFactory, UserFactory, square
from tests.ingestion.conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 60_000
RECORD_UPLOAD_PROGRESS = """() => {
  const bar = document.querySelector("#upload-progress [role=progressbar]");
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("uploadProgress") || "[]");
    seen.push(bar.getAttribute("aria-valuenow"));
    sessionStorage.setItem("uploadProgress", JSON.stringify(seen));
  }).observe(bar, { attributes: true, attributeFilter: ["aria-valuenow"] });
}"""


@pytest.fixture
def raw_store_shared_with_the_worker(settings, tmp_path, monkeypatch):
    """The live server stores the file where the worker process (started later, with this environment) reads it."""
    root = tmp_path / "raw"
    settings.INGEST_RAW_ROOT = root
    monkeypatch.setenv("INGEST_RAW_ROOT", str(root))
    return root


@pytest.fixture
def observatory_data():
    """What migrations create and a transactional test flushes: the sources' profiles, and a small geography."""
    default_profiles_ensure()
    country = AdminUnitFactory(level=Level.COUNTRY, code="GT", name="Guatemala", boundary=square(-92, 13, 4))
    department = AdminUnitFactory(
        level=Level.DEPARTMENT, code="01", name="Guatemala", parent=country, boundary=square(-91, 14, 1)
    )
    AdminUnitFactory(
        level=Level.MUNICIPALITY, code="0108", name="Mixco", parent=department, boundary=square(-90.7, 14.6, 0.1)
    )


def test_an_analyst_uploads_a_file_and_follows_it_to_its_report(
    live_server, page, log_in, request, raw_store_shared_with_the_worker, observatory_data
):
    analyst = UserFactory(role=Role.ANALYST)
    content = csv_bytes(
        POLICE_HEADER,
        [
            police_row(),
            police_row(correlativo_victima="2", fecha_hecho="31/02/2024"),
            police_row(no_denuncia="DPI-2024-000002", victima_nombre="MARIA JOSE LOPEZ", victima_sexo="MUJER"),
        ],
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(analyst, next_path="/imports/new/", wait_ms=WAIT_MS)

    page.select_option("#id_source", "police")
    page.set_input_files("#id_file", files=[{"name": "pnc_junio.csv", "mimeType": "text/csv", "buffer": content}])
    page.evaluate(RECORD_UPLOAD_PROGRESS)
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/\d+/$"), timeout=WAIT_MS)

    # The file went by XMLHttpRequest to the API, its progress shown up to the whole file.
    run = ImportRun.objects.get(original_filename="pnc_junio.csv")
    assert (run.channel, run.submitted_by_id) == (ImportRun.Channel.UPLOAD, analyst.pk)
    upload_progress = json.loads(page.evaluate("sessionStorage.getItem('uploadProgress') || '[]'"))
    assert upload_progress and upload_progress[-1] == "100"

    # No worker runs yet: the page shows the run queued and follows it through the API.
    assert page.locator("#run-status").inner_text() == "En cola"
    assert page.get_attribute("#run-progress [role=progressbar]", "aria-valuenow") == "0"
    assert page.get_attribute("#run-progress", "data-status-url") == f"/api/v1/imports/{run.pk}/"

    request.getfixturevalue("celery_worker_process")
    page.wait_for_selector("#run-progress:not([data-status-url])", state="attached", timeout=WAIT_MS)

    progress = page.locator("#run-progress [role=progressbar]")
    assert progress.get_attribute("aria-valuenow") == "100"
    assert page.locator("#run-progress .progress-text").inner_text() == "100\u00a0%"
    assert page.locator("#run-status").inner_text() == "Terminado"
    counts = {cell.get_attribute("data-count"): cell.inner_text() for cell in page.locator("#run-counts td").all()}
    assert (counts["read"], counts["created"], counts["rejected"]) == ("3", "2", "1")

    rejected = page.locator("#run-issues tr.severity-rejected")
    assert rejected.count() == 1
    cells = rejected.locator("> td").all_inner_texts()
    assert cells[:3] == ["3", "fecha_hecho", "31/02/2024"]
    assert cells[3] == "«31/02/2024» no es una fecha válida (se esperaba dd/mm/aaaa)"
    assert cells[4] == "Fila rechazada"
    rejected.locator("summary").click()
    assert "JOSE LUIS MARTINEZ RIVERA" in rejected.locator("table.row-as-sent").inner_text()

    report_url = page.get_attribute("a[href$='report.csv/']", "href")
    report = page.request.get(live_server.url + report_url)
    assert report.status == 200
    assert report.text().splitlines()[1].startswith("3,fecha_hecho,31/02/2024,«31/02/2024» no es una fecha válida")
    assert errors == []
