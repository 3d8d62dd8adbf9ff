"""A small country with hand-countable records and victims, and helpers to read the published figures."""

import csv
import io
import itertools
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from observatory.geography.models import Level
from observatory.indicators.models import TimelineEvent
from observatory.indicators.services import TimelineEventDetails, timeline_event_create
from observatory.reconciliation.models import LinkageRun, Victim, VictimRecord
from observatory.records.models import SourceRecord
from tests.factories import AdminUnitFactory, PopulationFactory, square

_numbers = itertools.count(1)


@pytest.fixture
def country(small_hierarchy):
    """Guatemala (department 01: Mixco 120,000 and Villa Nueva 60,000 in mid-2023, growing to 132,000 and
    66,000 in mid-2024) and Escuintla (department 05, no population figures), with a colonia in Mixco."""
    units = dict(small_hierarchy)
    units["escuintla"] = AdminUnitFactory(
        level=Level.DEPARTMENT, code="05", name="Escuintla", parent=units["country"], boundary=square(-91, 13.5, 0.5)
    )
    units["palin"] = AdminUnitFactory(
        level=Level.MUNICIPALITY,
        code="0503",
        name="Palín",
        parent=units["escuintla"],
        boundary=square(-90.7, 14.4, 0.1),
    )
    units["milagro"] = AdminUnitFactory(
        level=Level.COLONIA,
        code="0108-001",
        name="El Milagro",
        parent=units["mixco"],
        boundary=square(-90.7, 14.6, 0.05),
    )
    for unit, figures in (("mixco", {2023: 120_000, 2024: 132_000}), ("villa_nueva", {2023: 60_000, 2024: 66_000})):
        for year, population in figures.items():
            PopulationFactory(unit=units[unit], year=year, population=population)
    return units


def record(*, source: str, on: date, municipality=None, category: str = "homicide", **values) -> SourceRecord:
    number = next(_numbers)
    return SourceRecord.objects.create(
        source_id=source,
        record_id=f"{source}-{number}",
        content_hash=number,
        first_run_id=1,
        last_run_id=1,
        raw=str(number),
        profile_version=1,
        event_date=on,
        municipality=municipality,
        category=category,
        **values,
    )


def victim(*records: SourceRecord, category: str = "homicide", **values) -> Victim:
    run = LinkageRun.objects.get_or_create(
        kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.DONE, defaults={"finished_at": timezone.now()}
    )[0]
    first = records[0]
    person = Victim.objects.create(
        created_by_run=run,
        case_status=Victim.CaseStatus.SINGLE_SOURCE,
        category=category,
        sources=sorted({item.source_id for item in records}),
        record_count=len(records),
        event_date=values.pop("event_date", first.event_date),
        municipality=values.pop("municipality", first.municipality),
        **values,
    )
    VictimRecord.objects.bulk_create(
        [
            VictimRecord(record=item, victim=person, linked_by_run=run, content_hash=item.content_hash)
            for item in records
        ]
    )
    return person


def export(**options) -> list[dict]:
    """The export command's rows, as dicts."""
    out = io.StringIO()
    call_command("export_indicators", stdout=out, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def row_of(rows: list[dict], *, unit: str, month: str, **match) -> dict:
    chosen = [
        row
        for row in rows
        if row["unit_code"] == unit and row["month"] == month and all(row[key] == value for key, value in match.items())
    ]
    assert len(chosen) == 1, f"expected one row for {unit} {month} {match}, got {len(chosen)}"
    return chosen[0]


def timeline_event(*, units=(), jurisdictions=(), recorded_by=None, **values) -> TimelineEvent:
    """An event recorded through the service, as an analyst's form would: a truce on 1 March 2024 unless told."""
    values = {"kind": TimelineEvent.Kind.TRUCE, "start_date": date(2024, 3, 1), "title_es": "Tregua"} | values
    details = TimelineEventDetails(units=list(units), jurisdictions=list(jurisdictions), **values)
    return timeline_event_create(details=details, recorded_by=recorded_by)
