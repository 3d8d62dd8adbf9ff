"""The events analysts record on the timeline, as the charts of a unit mark them: a chart of a unit shows the events
of the unit and of every unit above it (a truce recorded for a department is marked on its municipalities' charts,
one recorded for the country everywhere, police jurisdictions included), never those of the units below it."""

import calendar
from datetime import date

from django.db.models import Q, QuerySet

from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction

from ..models import TimelineEvent
from ..terms import RECONCILED, UnitLevel


def timeline_event_list(*, kind: str | None = None, newest_first: bool = True) -> QuerySet[TimelineEvent]:
    events = TimelineEvent.objects.select_related("source", "recorded_by").prefetch_related("units", "jurisdictions")
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("-start_date", "-pk") if newest_first else events.order_by("start_date", "pk")


def unit_and_ancestor_ids(unit: AdminUnit) -> list[int]:
    """The unit's id and its parents' ids up to the country (at most four levels: one query each)."""
    ids, parent_id = [unit.pk], unit.parent_id
    while parent_id is not None:
        ids.append(parent_id)
        parent_id = AdminUnit.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ids


def events_for_unit(
    *,
    unit: AdminUnit | PoliceJurisdiction,
    date_from: date | None = None,
    date_to: date | None = None,
    basis: str | None = None,
) -> QuerySet[TimelineEvent]:
    """The events marked on a chart of `unit` between two days (an event overlapping them counts), in the order they
    started. With a source as `basis`, the events about another source are left out (its definitions or coverage
    do not change this series)."""
    if isinstance(unit, PoliceJurisdiction):
        concerned = Q(jurisdictions=unit) | Q(units__level=Level.COUNTRY)
    else:
        concerned = Q(units__in=unit_and_ancestor_ids(unit))
    events = TimelineEvent.objects.filter(pk__in=TimelineEvent.objects.filter(concerned).values("pk"))
    if date_to:
        events = events.filter(start_date__lte=date_to)
    if date_from:
        events = events.filter(Q(end_date__gte=date_from) | Q(end_date__isnull=True, start_date__gte=date_from))
    if basis and basis != RECONCILED:
        events = events.filter(Q(source__isnull=True) | Q(source_id=basis))
    return (
        events.select_related("source")
        .prefetch_related("units", "jurisdictions")
        .order_by("start_date", "end_date", "pk")
    )


def timeline_event_items(*, events, language: str) -> list[dict]:
    """The events as a chart and its list read them, numbered in order, with their texts in `language` (or in the
    other language, marked, where an analyst wrote only that one)."""
    items = []
    for number, event in enumerate(events, start=1):
        title, title_language = event.text_in("title", language)
        description, description_language = event.text_in("description", language)
        places = [unit.name for unit in event.units.all()] + [place.name for place in event.jurisdictions.all()]
        items.append(
            {
                "number": number,
                "id": event.pk,
                "kind": event.kind,
                "kind_label": str(event.get_kind_display()),
                "start": event.start_date,
                "end": event.end_date,
                "title": title,
                "title_language": title_language,
                "description": description,
                "description_language": description_language,
                "places": ", ".join(sorted(places)),
                "source": event.source.name if event.source else "",
            }
        )
    return items


def unit_events_in_months(
    *, level: str, unit_id: int, first_month: str, last_month: str, basis: str | None, language: str
) -> list[dict]:
    """The items of the events of a chart whose month axis runs from `first_month` to `last_month` (YYYY-MM)."""
    model = PoliceJurisdiction if level == UnitLevel.JURISDICTION else AdminUnit
    unit = model.objects.filter(pk=unit_id).first()
    if unit is None:
        return []
    start = date.fromisoformat(f"{first_month}-01")
    last = date.fromisoformat(f"{last_month}-01")
    end = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    events = events_for_unit(unit=unit, date_from=start, date_to=end, basis=basis)
    return timeline_event_items(events=events, language=language)
