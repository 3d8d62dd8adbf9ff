"""Events on the timeline: what the service refuses, which charts mark an event, its texts in either language, and
the audit log of every change."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.geography.models import PoliceJurisdiction
from observatory.indicators.models import TimelineEvent
from observatory.indicators.selectors import events_for_unit, timeline_event_items
from observatory.indicators.services import (
    TimelineEventDetails,
    timeline_event_delete,
    timeline_event_update,
)
from observatory.records.models import Source
from tests.factories import UserFactory, square

from .conftest import timeline_event

pytestmark = pytest.mark.django_db


def test_an_event_ending_before_it_starts_for_no_unit_is_refused_with_both_reasons_in_the_readers_language():
    with pytest.raises(ValidationError) as refused:
        timeline_event(start_date=date(2024, 3, 1), end_date=date(2024, 2, 1))
    with translation.override("es"):
        assert refused.value.message_dict == {
            "units": ["Elija al menos una unidad o jurisdicción policial a la que se refiera el evento."],
            "end_date": ["El final es anterior al inicio: inviértalos."],
        }
    with translation.override("en"):
        assert refused.value.message_dict["end_date"] == ["The end comes before the start: swap them."]
    assert not TimelineEvent.objects.exists()


def test_a_change_in_a_source_names_the_source_and_every_event_has_a_title(small_hierarchy):
    mixco = small_hierarchy["mixco"]
    with pytest.raises(ValidationError) as refused:
        timeline_event(units=[mixco], kind=TimelineEvent.Kind.SOURCE_DEFINITION_CHANGE, title_es="")
    assert set(refused.value.message_dict) == {"source", "title_es"}
    Source.objects.get_or_create(code="coroner", defaults={"name": "INACIF"})
    event = timeline_event(units=[mixco], kind=TimelineEvent.Kind.SOURCE_DEFINITION_CHANGE, source_id="coroner")
    assert event.source_id == "coroner"


def test_the_database_refuses_an_end_before_the_start_written_around_the_service():
    with transaction.atomic(), pytest.raises(IntegrityError):
        TimelineEvent.objects.create(
            kind=TimelineEvent.Kind.OTHER, start_date=date(2024, 3, 1), end_date=date(2024, 1, 1), title_en="x"
        )


def test_a_chart_marks_the_events_of_its_unit_and_of_the_units_above_it_never_of_its_neighbours(small_hierarchy):
    units = small_hierarchy
    national = timeline_event(units=[units["country"]], start_date=date(2023, 6, 1), title_es="Nacional")
    department = timeline_event(units=[units["department"]], start_date=date(2024, 1, 10), title_es="Departamento")
    mixco = timeline_event(units=[units["mixco"]], start_date=date(2024, 3, 1), title_es="Mixco")
    timeline_event(units=[units["villa_nueva"]], start_date=date(2024, 3, 1), title_es="Villa Nueva")
    both = timeline_event(units=[units["mixco"], units["department"]], start_date=date(2024, 5, 1), title_es="Ambas")

    assert list(events_for_unit(unit=units["mixco"])) == [national, department, mixco, both]
    assert list(events_for_unit(unit=units["department"])) == [national, department, both]
    assert list(events_for_unit(unit=units["country"])) == [national]


def test_a_chart_marks_the_events_that_overlap_its_days(small_hierarchy):
    country = small_hierarchy["country"]
    long_truce = timeline_event(units=[country], start_date=date(2023, 1, 15), end_date=date(2024, 2, 10))
    one_day = timeline_event(units=[country], start_date=date(2024, 4, 1))
    old = timeline_event(units=[country], start_date=date(2022, 1, 1), end_date=date(2022, 12, 31))

    assert list(events_for_unit(unit=country, date_from=date(2024, 1, 1), date_to=date(2024, 3, 31))) == [long_truce]
    assert list(events_for_unit(unit=country, date_from=date(2024, 3, 1))) == [one_day]
    assert list(events_for_unit(unit=country, date_to=date(2023, 1, 14))) == [old]


def test_a_chart_of_one_source_leaves_out_the_changes_of_the_other_sources(small_hierarchy):
    for code, name in (("police", "PNC"), ("coroner", "INACIF")):
        Source.objects.get_or_create(code=code, defaults={"name": name})
    mixco = small_hierarchy["mixco"]
    truce = timeline_event(units=[mixco])
    change = TimelineEvent.Kind.SOURCE_COVERAGE_CHANGE
    coroner = timeline_event(units=[mixco], kind=change, source_id="coroner", start_date=date(2024, 4, 1))

    assert list(events_for_unit(unit=mixco, basis="police")) == [truce]
    assert list(events_for_unit(unit=mixco, basis="coroner")) == [truce, coroner]
    assert list(events_for_unit(unit=mixco, basis="reconciled")) == [truce, coroner]


def test_a_police_jurisdiction_chart_marks_its_own_events_and_the_countrys(small_hierarchy):
    district = PoliceJurisdiction.objects.create(code="D1", name="Distrito Central", boundary=square(-90.6, 14.5))
    own = timeline_event(jurisdictions=[district], kind=TimelineEvent.Kind.POLICE_OPERATION)
    national = timeline_event(units=[small_hierarchy["country"]], start_date=date(2024, 5, 1))
    timeline_event(units=[small_hierarchy["mixco"]])

    assert list(events_for_unit(unit=district)) == [own, national]


def test_the_texts_are_in_the_readers_language_or_in_the_other_one_marked(small_hierarchy):
    event = timeline_event(
        units=[small_hierarchy["mixco"]],
        title_es="Tregua entre pandillas",
        title_en="Gang truce",
        description_es="Anunciada por los líderes.",
    )
    english = timeline_event_items(events=[event], language="en")[0]
    assert (english["title"], english["title_language"]) == ("Gang truce", "en")
    assert (english["description"], english["description_language"]) == ("Anunciada por los líderes.", "es")
    with translation.override("es"):
        spanish = timeline_event_items(events=[event], language="es")[0]
    assert (spanish["title"], spanish["kind_label"], spanish["places"]) == (
        "Tregua entre pandillas",
        "Tregua entre pandillas",
        "Mixco",
    )


def test_recording_changing_and_deleting_an_event_each_write_the_audit_log(small_hierarchy):
    analyst = UserFactory(role=Role.ANALYST)
    event = timeline_event(units=[small_hierarchy["mixco"]], recorded_by=analyst)
    changed = TimelineEventDetails(
        kind=TimelineEvent.Kind.TRUCE,
        start_date=date(2024, 3, 1),
        end_date=date(2024, 9, 30),
        units=[small_hierarchy["mixco"], small_hierarchy["villa_nueva"]],
        title_es="Tregua",
    )
    timeline_event_update(event=event, details=changed, changed_by=analyst, ip_address="10.0.0.5")
    assert [unit.code for unit in event.units.order_by("code")] == ["0108", "0115"]
    timeline_event_delete(event=event, deleted_by=analyst)

    audit = AuditEvent.objects.filter(target_type="timeline_event").order_by("id")
    assert [item.action for item in audit] == [
        "timeline_event.created",
        "timeline_event.changed",
        "timeline_event.deleted",
    ]
    assert {item.actor_id for item in audit} == {analyst.pk}
    assert audit[1].detail["units"] == ["0108", "0115"] and audit[1].detail["end_date"] == "2024-09-30"
    assert audit[1].ip_address == "10.0.0.5"
    assert not TimelineEvent.objects.exists()
