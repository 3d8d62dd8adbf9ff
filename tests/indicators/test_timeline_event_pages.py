"""The analysts' pages of the events on the timeline, and the events listed under the charts of the public pages."""

from datetime import date

import pytest

from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.indicators.models import TimelineEvent, Vintage
from observatory.indicators.services import vintage_now
from tests.factories import UserFactory

from .conftest import record, timeline_event

pytestmark = pytest.mark.django_db
NEW = "/indicators/events/new/"


def test_only_analysts_and_admins_manage_events(client, small_hierarchy):
    for url in ("/indicators/events/", NEW):
        assert client.get(url).status_code == 302
    for role in (Role.COMMANDER, Role.SOURCE_UPLOADER, Role.PUBLIC):
        client.force_login(UserFactory(role=role, source_code="police" if role == Role.SOURCE_UPLOADER else ""))
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {"kind": "truce"}).status_code == 403
        assert "/indicators/events/" not in client.get("/indicators/").content.decode()
    for role in (Role.ANALYST, Role.ADMIN):
        client.force_login(UserFactory(role=role))
        assert client.get(NEW).status_code == 200
        assert "/indicators/events/" in client.get("/indicators/").content.decode()
    assert not TimelineEvent.objects.exists()


def test_an_event_ending_before_it_starts_for_no_unit_is_sent_back_with_both_reasons_in_the_readers_language(
    client, small_hierarchy
):
    client.force_login(UserFactory(role=Role.ANALYST))
    wrong = {"kind": "truce", "start_date": "2024-03-01", "end_date": "2024-02-01", "title_es": "Tregua"}
    page = client.post(NEW, wrong).content.decode()
    assert "El final es anterior al inicio: inviértalos." in page
    assert "Elija al menos una unidad o jurisdicción policial a la que se refiera el evento." in page
    client.cookies["django_language"] = "en"
    page = client.post(NEW, wrong | {"start_date": "1 March"}).content.decode()
    assert "Write the date as 2024-03-15 (year-month-day)." in page
    page = client.post(NEW, wrong).content.decode()
    assert "The end comes before the start: swap them." in page
    assert "Choose at least one unit or police jurisdiction the event concerns." in page
    assert not TimelineEvent.objects.exists()


def test_an_analyst_records_changes_and_deletes_an_event_and_the_audit_log_keeps_each_step(client, small_hierarchy):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    mixco = small_hierarchy["mixco"]
    sent = {"kind": "truce", "start_date": "2024-03-01", "units": [mixco.pk], "title_es": "Tregua en Mixco"}
    assert client.post(NEW, sent).headers["Location"] == "/indicators/events/"
    event = TimelineEvent.objects.get()
    assert (event.recorded_by, list(event.units.all()), event.end_date) == (analyst, [mixco], None)
    listing = client.get("/indicators/events/").content.decode()
    assert "Tregua en Mixco" in listing and "Tregua entre pandillas" in listing

    edit = client.get(f"/indicators/events/{event.pk}/").content.decode()
    assert 'value="Tregua en Mixco"' in edit and 'value="2024-03-01"' in edit
    client.post(f"/indicators/events/{event.pk}/", sent | {"end_date": "2024-09-30", "title_en": "Truce in Mixco"})
    event.refresh_from_db()
    assert (event.end_date, event.title_en) == (date(2024, 9, 30), "Truce in Mixco")

    assert "Tregua en Mixco" in client.get(f"/indicators/events/{event.pk}/delete/").content.decode()
    client.post(f"/indicators/events/{event.pk}/delete/")
    assert not TimelineEvent.objects.exists()
    assert list(AuditEvent.objects.filter(actor=analyst).order_by("id").values_list("action", flat=True)) == [
        "timeline_event.created",
        "timeline_event.changed",
        "timeline_event.deleted",
    ]


def test_the_figures_of_a_municipality_list_its_events_and_those_of_its_department_not_its_neighbours(client, country):
    for month in (1, 2, 3, 4):
        record(source="police", on=date(2024, month, 5), municipality=country["mixco"])
        record(source="police", on=date(2024, month, 5), municipality=country["villa_nueva"])
    vintage_now(kind=Vintage.Kind.FULL)
    timeline_event(units=[country["mixco"]], start_date=date(2024, 2, 15), title_es="Tregua en Mixco")
    timeline_event(units=[country["department"]], start_date=date(2024, 3, 1), title_es="Plan departamental")
    timeline_event(units=[country["mixco"]], start_date=date(2024, 6, 1), title_es="Después de las cifras")
    query = {"level": "municipality", "category": "homicide", "basis": "police"}

    page = client.get("/indicators/", query | {"unit": "0108"}).content.decode()
    assert page.index("Tregua en Mixco") < page.index("Plan departamental")
    assert "Después de las cifras" not in page
    assert 'id="figures-chart-events-data"' in page and "js/timeline_events.js" in page
    neighbour = client.get("/indicators/", query | {"unit": "0115"}).content.decode()
    assert "Plan departamental" in neighbour and "Tregua en Mixco" not in neighbour
    monitor = client.get("/indicators/monitor/", query | {"unit": "0108"}).content.decode()
    assert "Tregua en Mixco" in monitor and 'id="monitor-chart-events-data"' in monitor
