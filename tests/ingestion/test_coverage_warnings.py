"""Records checked against what their source is declared to cover."""

from datetime import date

import pytest

from ingestion.models import RowIssue
from observatory.accounts.roles import Role
from observatory.records.models import SourceCoverage

from .conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db


def test_records_outside_the_declared_coverage_are_one_warning_of_their_run_naming_one_of_them(demo_city, run_file):
    coverage = SourceCoverage.objects.create(source_id="police", first_month=date(2024, 1, 1))
    coverage.units.add(demo_city["villa_nueva"])
    run = run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(municipio="VILLA NUEVA", colonia=""),
                police_row(correlativo_victima="2"),  # Mixco: not declared
                police_row(correlativo_victima="3", municipio="VILLA NUEVA", colonia="", fecha_hecho="20/12/2023"),
            ],
        )
    )

    warning = RowIssue.objects.get(run=run, severity=RowIssue.Severity.WARNING)
    assert run.warnings == 1
    assert warning.reason.startswith("2 record(s) of this file lie outside")
    assert warning.record_id in {"DPI-2024-000001#2", "DPI-2024-000001#3"}


def test_a_source_without_a_declaration_is_not_checked(demo_city, run_file):
    run = run_file(csv_bytes(POLICE_HEADER, [police_row()]))
    assert run.warnings == 0


def test_an_analyst_declares_what_a_source_covers_in_the_admin(client, user_with_role, demo_city):
    client.force_login(user_with_role(Role.ANALYST))
    assert 'href="/admin/records/sourcecoverage/"' in client.get("/admin/").content.decode()

    response = client.post(
        "/admin/records/sourcecoverage/add/",
        {
            "source": "police",
            "units": [demo_city["department"].pk],
            "first_month": "2024-03-15",
            "last_month": "",
            "note": "Toda la región metropolitana",
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    coverage = SourceCoverage.objects.get()
    assert coverage.first_month == date(2024, 3, 1) and list(coverage.units.all()) == [demo_city["department"]]
