"""The indicator pages: who may open which, and what a bad query gets."""

from datetime import date

import pytest

from observatory.accounts.roles import Role
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from tests.factories import UserFactory

from .conftest import record, victim

pytestmark = pytest.mark.django_db


def test_public_pages_open_for_everyone_and_say_when_nothing_is_computed(client, country):
    page = client.get("/indicators/").content.decode()
    assert "Todavía no se han publicado cifras." in page
    assert "manage.py" not in page and "compute_indicators" not in page
    for url in ("/indicators/monitor/", "/indicators/undercount/", "/indicators/vintages/"):
        assert client.get(url).status_code == 200


def test_alerts_need_a_commander_and_the_discrepancy_report_an_analyst(client, country):
    for url in ("/indicators/alerts/", "/indicators/discrepancies/"):
        assert client.get(url).status_code == 302
    client.force_login(UserFactory(role=Role.COMMANDER))
    assert client.get("/indicators/alerts/").status_code == 200
    assert client.get("/indicators/discrepancies/").status_code == 403


def test_the_csv_download_of_a_series(client, country):
    record(source="police", on=date(2024, 1, 3), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.FULL)
    response = client.get(
        "/indicators/",
        {"level": "municipality", "unit": "0108", "category": "homicide", "basis": "police", "format": "csv"},
    )
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("unit_code,unit_name,level,month") and lines[1].startswith(
        "0108,Mixco,municipality,2024-01"
    )
    # With no choice made, the page shows the country's reconciled homicides (none here: no victims).
    assert 'class="data figures"' not in client.get("/indicators/").content.decode()
    assert 'class="data figures"' in client.get("/indicators/", {"basis": "police"}).content.decode()


def test_an_unknown_vintage_is_a_404_and_the_cases_page_needs_its_numbers(client, country):
    assert client.get("/indicators/", {"vintage": 999}).status_code == 404
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get("/indicators/discrepancies/cases/", {"level": "municipality"}).status_code == 404


def test_the_cases_behind_a_date_conflict(client, country):
    victim(
        record(source="police", on=date(2024, 5, 1), municipality=country["mixco"]),
        record(source="coroner", on=date(2024, 5, 9), municipality=country["mixco"]),
        full_name="ANA DIAZ",
    )
    victim(record(source="police", on=date(2024, 5, 2), municipality=country["mixco"]), full_name="LUIS RUIZ")
    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get(
        "/indicators/discrepancies/cases/",
        {
            "level": "municipality",
            "unit": country["mixco"].pk,
            "month": "2024-05",
            "category": "homicide",
            "conflict": "date",
        },
    ).content.decode()
    assert "ANA DIAZ" in page and "LUIS RUIZ" not in page


def test_the_vintages_page_reloads_itself_while_a_computation_runs(client, country):
    assert "data-refresh-seconds" not in client.get("/indicators/vintages/").content.decode()
    Vintage.objects.create(kind=Vintage.Kind.INCREMENTAL, status=Vintage.Status.RUNNING, progress_note="Publicando")
    page = client.get("/indicators/vintages/").content.decode()
    assert 'data-refresh-seconds="5"' in page and "js/auto_refresh.js" in page and "Publicando" in page
    assert "se vuelve a cargar sola cada 5 segundos" in page


def test_the_vintages_page_and_api_show_the_disclosure_audit(client, country):
    for day in (1, 2):
        record(source="police", on=date(2024, 3, day), municipality=country["mixco"], category="sexual_violence")
    for day in range(1, 8):
        record(source="police", on=date(2024, 3, day), municipality=country["villa_nueva"], category="sexual_violence")
    vintage = vintage_now(kind=Vintage.Kind.FULL)
    # Mixco's 2 is the small count; the department (9) publishes it with Villa Nueva hidden, and the country too.
    assert vintage.disclosure_audit["cells"] == 1
    assert (vintage.disclosure_audit["narrowest_low"], vintage.disclosure_audit["narrowest_high"]) == (0, 9)
    page = " ".join(client.get("/indicators/vintages/", HTTP_COOKIE="django_language=en").content.decode().split())
    assert "1 small count audited: the narrowest is still consistent with any count from 0 to 9" in page
    api = client.get(f"/api/v1/indicators/vintages/{vintage.pk}/").json()
    assert api["disclosure_audit"]["cells"] == 1
