"""Published figures read for the open-data API beyond the monthly series: the discrepancies between sources and
the hidden-violence series, each as the public may see them (the publication's suppression applied)."""

from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from .figures import month_number
from .models import DiscrepancySeries, MonthlySeries, Vintage
from .selectors import HIDDEN, figure_records, figures_frame, unit_labels, valid_in
from .terms import ALL, HIDDEN_VIOLENCE_SERIES, RECONCILED, Series

HIDDEN_VIOLENCE_COLUMNS = (Series.HOMICIDE, *HIDDEN_VIOLENCE_SERIES)
CONFLICTS = ("classification", "date", "place")


def _totals_of(
    keys: set[tuple[str, int]], *, vintage: Vintage, series, basis: str | None = None
) -> list[MonthlySeries]:
    """The everyone (no sex, no age band) series of these (level, unit) keys, of these categories."""
    if not keys:
        return []
    where = Q(pk__in=[])
    for level in {level for level, _unit in keys}:
        where |= Q(level=level, unit_id__in=[unit for key_level, unit in keys if key_level == level])
    rows = MonthlySeries.objects.filter(valid_in(vintage), where, series__in=list(series), sex=ALL, age_band=ALL)
    return list(rows.filter(basis=basis) if basis else rows)


def _by_key(frame_records: list[dict], rows: list[MonthlySeries]) -> dict[tuple, dict[str, dict]]:
    """{(level, unit id, category, basis): {month: figures}}."""
    key_of = {row.pk: (row.level, row.unit_id, row.series, row.basis) for row in rows}
    found: dict[tuple, dict[str, dict]] = {}
    for record in frame_records:
        found.setdefault(key_of[record["series_row"]], {})[record["month"]] = record
    return found


def discrepancy_summaries(
    *,
    rows: list[DiscrepancySeries],
    vintage: Vintage,
    month_from: date | None = None,
    month_to: date | None = None,
    public: bool = True,
) -> list[dict]:
    """Per unit and category, month by month: each source's records, the reconciled victims, the victims by the
    set of sources that recorded them and the victims whose records conflict (category, date, place). Records and
    victims are the published counts, suppressed as the monthly figures are. For the public, the overlap counts of
    a month with any of those counts hidden are hidden too ("x"): they add up to the victims, and those with a
    source to about that source's records. A protected series' overlap and conflict counts (which the disclosure
    audit does not see) are hidden wherever its month has victims. A month no source covered has none of them."""
    keys = {(row.level, row.unit_id) for row in rows}
    monthly = _totals_of(keys, vintage=vintage, series={row.series for row in rows})
    frame = figures_frame(rows=monthly, vintage=vintage, month_from=month_from, month_to=month_to, public=public)
    figures = _by_key(figure_records(frame), monthly)
    labels = {level: unit_labels(level, [unit for key_level, unit in keys if key_level == level]) for level, _ in keys}
    first = month_number(month_from) if month_from else None
    last = month_number(month_to) if month_to else None
    summaries = []
    for row in rows:
        code, name = labels[row.level].get(row.unit_id, ("", ""))
        summaries.append(
            {
                "level": row.level,
                "unit_code": code,
                "unit_name": name,
                "category": row.series,
                "vintage": vintage.pk,
                "months": _discrepancy_months(row, figures=figures, first=first, last=last, public=public),
            }
        )
    return summaries


def _discrepancy_months(
    row: DiscrepancySeries, *, figures: dict, first: int | None, last: int | None, public: bool
) -> list[dict]:
    """The months of one unit and category between `first` and `last` (month numbers), as `discrepancy_summaries`
    says."""
    reconciled = figures.get((row.level, row.unit_id, row.series, RECONCILED), {})
    sources = sorted(
        basis
        for level, unit, category, basis in figures
        if (level, unit, category) == (row.level, row.unit_id, row.series) and basis != RECONCILED
    )
    protected = public and row.series in settings.INDICATORS_SUPPRESSED_SERIES
    conflicts = (row.classification_conflicts, row.date_conflicts, row.place_conflicts)
    months = []
    for offset in range(len(row.victims)):
        number = month_number(row.first_month) + offset
        if (first is not None and number < first) or (last is not None and number > last):
            continue
        month = f"{number // 12}-{number % 12 + 1:02d}"
        victims = reconciled.get(month, {}).get("count")
        records = {
            source: figures[(row.level, row.unit_id, row.series, source)].get(month, {}).get("count")
            for source in sources
        }
        hide = protected and victims != 0
        hide_overlap = hide or any(isinstance(count, str) for count in (victims, *records.values()))
        covered = victims is not None
        months.append(
            {
                "month": month,
                "status": reconciled.get(month, {}).get("status"),
                "victims": victims,
                "records": records,
                "patterns": {
                    pattern: (HIDDEN if hide_overlap else counts[offset]) if covered else None
                    for pattern, counts in row.overlap.items()
                    if counts[offset] or not covered
                },
                "conflicts": {
                    name: (HIDDEN if hide else values[offset]) if covered else None
                    for name, values in zip(CONFLICTS, conflicts, strict=True)
                },
            }
        )
    return months


def hidden_violence_series(
    *,
    rows: list[MonthlySeries],
    vintage: Vintage,
    month_from: date | None = None,
    month_to: date | None = None,
    public: bool = True,
) -> list[dict]:
    """For each unit and basis of `rows` (their homicide series), month by month: homicides beside missing persons,
    unidentified bodies, bodies in clandestine graves and undetermined deaths, each as the month's count and the
    12-month count (what the hidden-violence monitor charts), suppressed as the monthly figures are."""
    wanted = {(row.level, row.unit_id) for row in rows}
    siblings = [
        sibling
        for basis in {row.basis for row in rows}
        for sibling in _totals_of(wanted, vintage=vintage, series=HIDDEN_VIOLENCE_COLUMNS, basis=basis)
    ]
    frame = figures_frame(rows=siblings, vintage=vintage, month_from=month_from, month_to=month_to, public=public)
    figures = _by_key(figure_records(frame), siblings)
    labels = {
        level: unit_labels(level, [unit for key_level, unit in wanted if key_level == level]) for level, _ in wanted
    }
    series = []
    for row in rows:
        homicides = figures.get((row.level, row.unit_id, Series.HOMICIDE.value, row.basis), {})
        months = []
        for month, homicide in homicides.items():
            entry = {"month": month, "status": homicide["status"], "coverage": homicide["coverage"]}
            for category in HIDDEN_VIOLENCE_COLUMNS:
                found = figures.get((row.level, row.unit_id, category.value, row.basis), {}).get(month, {})
                entry[category.value] = found.get("count")
                entry[f"{category.value}_12m"] = found.get("rolling_count")
            months.append(entry)
        code, name = labels[row.level].get(row.unit_id, ("", ""))
        series.append(
            {
                "level": row.level,
                "unit_code": code,
                "unit_name": name,
                "basis": row.basis,
                "vintage": vintage.pk,
                "months": months,
            }
        )
    return series


def series_in_chunks(rows: QuerySet[MonthlySeries], *, size: int = 2000) -> Iterator[list[MonthlySeries]]:
    """The rows a few thousand at a time (figures_frame's memory grows with the rows it is given)."""
    chunk: list[MonthlySeries] = []
    for row in rows.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
