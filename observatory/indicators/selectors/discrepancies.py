"""The discrepancy report: per unit, a month's records by source, victims by overlap pattern and conflicts, and
the victims behind each of its numbers."""

from datetime import date

from django.conf import settings
from django.core.cache import cache

from observatory.reconciliation.models import Victim

from ..figures import month_date, month_number
from ..models import MonthlySeries, Vintage
from ..terms import ALL, INTENT_CLASS, Series, UnitLevel
from .figure_frames import latest_final_month
from .series import discrepancy_list, unit_labels, valid_in

DISCREPANCY_CACHE_SECONDS = 24 * 3600


def discrepancy_table(*, vintage: Vintage, level: str, category: str, month: date | None) -> tuple[date | None, list]:
    """Per unit for one month (the latest final one if none, else the latest covered): records per source, victims
    by overlap pattern and conflicts; units with no victim and no record that month are left out. Cached per
    vintage (the report reads only the vintage's stored series; analysts alone reach it)."""
    key = f"indicators:discrepancy-table:{vintage.cache_stamp}:{level}:{category}:{month or ''}"
    return cache.get_or_set(
        key,
        lambda: _discrepancy_table(vintage=vintage, level=level, category=category, month=month),
        timeout=DISCREPANCY_CACHE_SECONDS,
    )


def _discrepancy_table(*, vintage: Vintage, level: str, category: str, month: date | None) -> tuple[date | None, list]:
    rows = list(discrepancy_list(vintage=vintage, level=level, category=category))
    if not rows:
        return None, []
    last = max(month_number(row.first_month) + len(row.victims) - 1 for row in rows)
    final = latest_final_month(vintage=vintage, category=category) if month is None else None
    wanted = month_number(month) if month else month_number(final) if final else last
    sources = {}
    for series in MonthlySeries.objects.filter(
        valid_in(vintage), level=level, series=category, sex=ALL, age_band=ALL
    ).exclude(basis="reconciled"):
        offset = wanted - month_number(series.first_month)
        if 0 <= offset < len(series.counts) and series.counts[offset]:
            sources.setdefault(series.unit_id, {})[series.basis] = series.counts[offset]
    labels = unit_labels(level, [row.unit_id for row in rows])
    table = []
    for row in rows:
        offset = wanted - month_number(row.first_month)
        if not 0 <= offset < len(row.victims):
            continue
        overlap = {pattern: counts[offset] for pattern, counts in row.overlap.items() if counts[offset]}
        if not row.victims[offset] and row.unit_id not in sources:
            continue
        table.append(
            {
                "unit_id": row.unit_id,
                "code": labels.get(row.unit_id, ("", ""))[0],
                "name": labels.get(row.unit_id, ("", ""))[1],
                "victims": row.victims[offset],
                "sources": sources.get(row.unit_id, {}),
                "overlap": overlap,
                "classification": row.classification_conflicts[offset],
                "date": row.date_conflicts[offset],
                "place": row.place_conflicts[offset],
            }
        )
    return month_date(wanted), sorted(table, key=lambda item: -item["victims"])


def victim_cases(
    *, level: str, unit_id: int, month: date, category: str, pattern: str = "", conflict: str = "", source: str = ""
):
    """The victims behind a number of the discrepancy report, as the data stand now: those of a unit, month and
    category, with exactly the sources of `pattern`, or the `conflict` (classification, date, place), or
    recorded by `source`."""
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    victims = Victim.objects.filter(retired_at__isnull=True, event_date__gte=month, event_date__lt=end)
    if category == Series.FEMICIDE:
        victims = victims.filter(is_femicide=True)
    elif category in (Series.UNIDENTIFIED_BODY, Series.CLANDESTINE_GRAVE):
        victims = (
            victims.filter(is_unidentified=True)
            if category == Series.UNIDENTIFIED_BODY
            else victims.filter(record_links__record__place_type="clandestine_grave")
        )
    else:
        victims = victims.filter(category=category)
    place = {
        UnitLevel.MUNICIPALITY: "municipality_id",
        UnitLevel.COLONIA: "colonia_id",
        UnitLevel.DEPARTMENT: "municipality__parent_id",
        UnitLevel.COUNTRY: None,
        UnitLevel.JURISDICTION: "record_links__record__jurisdiction_id",
    }[level]
    if place:
        victims = victims.filter(**{place: unit_id})
    if pattern:
        wanted = sorted(pattern.split("+"))
        victims = victims.filter(sources=wanted)
    if source:
        victims = victims.filter(sources__contains=[source])
    victims = victims.distinct().select_related("municipality").order_by("event_date", "pk")
    if not conflict:
        return list(victims)
    chosen = []
    days = settings.INDICATORS_DATE_CONFLICT_DAYS
    for victim in victims.prefetch_related("record_links__record"):
        records = [link.record for link in victim.record_links.all() if link.record.category != "disappearance"]
        intents = {INTENT_CLASS.get(record.category) for record in records} - {None}
        dates = [record.event_date for record in records if record.event_date]
        places = {record.municipality_id for record in records if record.municipality_id}
        if (
            (conflict == "classification" and len(intents) > 1)
            or (conflict == "date" and dates and (max(dates) - min(dates)).days > days)
            or (conflict == "place" and len(places) > 1)
        ):
            chosen.append(victim)
    return chosen
