"""What a unit's public page reads, all from the published series (no counting at request time): its monthly
figures of one category with the 12-month rate and interval, its complete years, each source's counts beside the
reconciled victims with their discrepancy in words, the hidden-violence series, and the undercount estimate of
the unit or of the nearest unit above it that has one.

Every figure comes from `figures_frame` with the public suppression, so a count hidden in the API ("<5", "x") is
hidden here, with no rate, and no difference is computed from it."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q

from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction
from observatory.records.models import Source

from .discrepancy_words import basis_name, discrepancy_sentences
from .models import MonthlySeries, UndercountEstimate, Vintage
from .portal import Period, window_status
from .rankings import RATED, RankedUnit, level_figures, ranked_unit, with_whiskers
from .selectors import HIDDEN, PROVISIONAL, SMALL, figure_records, figures_frame, valid_in
from .terms import ALL, HIDDEN_VIOLENCE_SERIES, RECONCILED, Series, UnitLevel

if TYPE_CHECKING:
    import pandas as pd

HIDDEN_VIOLENCE_PANEL = (Series.HOMICIDE, *HIDDEN_VIOLENCE_SERIES)
_CHART_FIGURES = (
    "month",
    "count",
    "annual_rate",
    "rolling_count",
    "rolling_rate",
    "rolling_rate_low",
    "rolling_rate_high",
    "status",
    "suppressed",
    "unstable",
)


@dataclass(frozen=True)
class Unit:
    """A unit a page is about: an administrative unit or a police jurisdiction, with the units above it (parent
    first) for comparison and for the undercount of a unit too small to be estimated."""

    level: str
    id: int
    code: str
    name: str
    ancestors: tuple["Unit", ...] = ()

    @property
    def parent(self) -> "Unit | None":
        return self.ancestors[0] if self.ancestors else None


def unit_of(*, level: str, code: str) -> Unit | None:
    """The unit of a level with this code, with its ancestors; a police jurisdiction's is the country."""
    if level == UnitLevel.JURISDICTION:
        found = PoliceJurisdiction.objects.filter(code=code).values_list("id", "code", "name").first()
        if found is None:
            return None
        country = AdminUnit.objects.filter(level=Level.COUNTRY).values_list("id", "code", "name").first()
        ancestors = (Unit(Level.COUNTRY, *country),) if country else ()
        return Unit(level, *found, ancestors=ancestors)
    if level not in Level.values:
        return None
    found = AdminUnit.objects.filter(level=level, code=code).select_related("parent__parent__parent").first()
    if found is None:
        return None
    ancestors, above = [], found.parent
    while above is not None:
        ancestors.append(Unit(above.level, above.id, above.code, above.name))
        above = above.parent
    return Unit(level, found.id, found.code, found.name, tuple(ancestors))


@dataclass
class UnitPage:
    """Everything a unit's page shows of one category; `frame` holds the figures the charts' CSV files write."""

    unit: Unit
    category: str
    frame: "pd.DataFrame"
    months: list[dict]
    annual: list[dict]
    rolling: dict | None
    year: int | None
    bases: list[tuple[str, str]]
    source_chart: dict
    source_years: list[dict]
    sentences: list[str]
    hidden_chart: dict
    hidden_years: list[dict]
    undercount: UndercountEstimate | None = None
    undercount_unit: Unit | None = None
    years: list[int] = field(default_factory=list)

    @property
    def year_figures(self) -> dict | None:
        return next((row for row in self.annual if row["year"] == self.year), None)


def _complete_years(records: list[dict]) -> dict[int, dict]:
    """{year: its figures} for the calendar years a series holds whole: the 12-month count, rate and interval at
    December, the status of its twelve months, the unstable flag; no figure where a month had no data."""
    years = {}
    for index in range(11, len(records)):
        december = records[index]
        if not december["month"].endswith("-12"):
            continue
        count = december["rolling_count"]
        years[int(december["month"][:4])] = {
            "year": int(december["month"][:4]),
            "count": count,
            "rate": december["rolling_rate"],
            "rate_low": december["rolling_rate_low"],
            "rate_high": december["rolling_rate_high"],
            "unstable": isinstance(count, int) and count < settings.INDICATORS_UNSTABLE_BELOW,
            "suppressed": count in (SMALL, HIDDEN),
            "status": window_status([record["status"] for record in records[index - 11 : index + 1]]),
        }
    return years


def _latest_rolling(records: list[dict]) -> dict | None:
    """The 12 months to the latest month that has a 12-month figure."""
    for index in range(len(records) - 1, 10, -1):
        record = records[index]
        if record["rolling_count"] is not None:
            count = record["rolling_count"]
            return {
                "month": date.fromisoformat(record["month"] + "-01"),
                "first_month": date.fromisoformat(records[index - 11]["month"] + "-01"),
                "count": count,
                "rate": record["rolling_rate"],
                "rate_low": record["rolling_rate_low"],
                "rate_high": record["rolling_rate_high"],
                "unstable": isinstance(count, int) and count < settings.INDICATORS_UNSTABLE_BELOW,
                "status": window_status([item["status"] for item in records[index - 11 : index + 1]]),
            }
    return None


def _basis_order(bases) -> list[str]:
    """The sources in the order the undercount lists them, then any other, then the reconciled victims."""
    lists = list(settings.INDICATORS_UNDERCOUNT_LISTS)
    sources = sorted(
        (basis for basis in bases if basis != RECONCILED),
        key=lambda b: (b not in lists, lists.index(b) if b in lists else 0, b),
    )
    return sources + ([RECONCILED] if RECONCILED in bases else [])


def _aligned(groups: dict[str, list[dict]], figure: str) -> dict:
    """The months of several series on one axis: each series' figure per month (None where hidden or missing)
    and whether the month is provisional."""
    months = sorted({record["month"] for records in groups.values() for record in records})
    values, provisional = {}, {}
    for key, records in groups.items():
        by_month = {record["month"]: record for record in records}
        found = [by_month.get(month, {}) for month in months]
        values[key] = [value if isinstance(value := item.get(figure), int | float) else None for item in found]
        provisional[key] = [item.get("status") == PROVISIONAL for item in found]
    return {"months": months, "values": values, "provisional": provisional}


def _undercount_of(*, vintage: Vintage, unit: Unit, category: str, year: int) -> tuple[UndercountEstimate, Unit] | None:
    """The latest estimate of the year for the unit, or else for the nearest unit above it that has one (estimates
    are made for the country and the departments: a municipality's victims are too few)."""
    chain = [unit, *unit.ancestors]
    where = Q(pk__in=[])
    for member in chain:
        where |= Q(level=member.level, unit_id=member.id)
    estimates = UndercountEstimate.objects.filter(where, vintage_id__lte=vintage.pk, series=category, year=year)
    latest = {}
    for estimate in estimates.order_by("vintage_id"):
        latest[(estimate.level, estimate.unit_id)] = estimate
    return next(
        ((latest[(member.level, member.id)], member) for member in chain if (member.level, member.id) in latest),
        None,
    )


def _by_series_and_basis(frame: "pd.DataFrame") -> dict[tuple[str, str], list[dict]]:
    groups: dict[tuple[str, str], list[dict]] = {}
    for record in figure_records(frame):
        groups.setdefault((record["category"], record["basis"]), []).append(record)
    return groups


def unit_page(*, vintage: Vintage, unit: Unit, category: str, year: int | None = None) -> UnitPage:
    """A unit's figures of a category as its page shows them; `year` (default: the latest complete year whose
    months are all final, else the latest complete one) is the year of the sources' comparison and the undercount."""
    rows = list(
        MonthlySeries.objects.filter(
            valid_in(vintage), level=unit.level, unit_id=unit.id, sex=ALL, age_band=ALL
        ).filter(Q(series=category) | Q(series__in=HIDDEN_VIOLENCE_PANEL, basis=RECONCILED))
    )
    frame = figures_frame(rows=rows, vintage=vintage)
    groups = _by_series_and_basis(frame)
    reconciled = groups.get((category, RECONCILED), [])
    annual = _complete_years(reconciled)
    years = sorted(annual, reverse=True)
    final_years = [number for number in years if annual[number]["status"] == "final"]
    if year not in annual:
        year = (final_years or years or [None])[0]
    bases = _basis_order({basis for series, basis in groups if series == category})
    stored_names = dict(Source.objects.filter(code__in=bases).values_list("code", "name"))
    source_groups = {basis: groups[(category, basis)] for basis in bases}
    source_annual = {basis: _complete_years(records) for basis, records in source_groups.items()}
    hidden = [series for series in HIDDEN_VIOLENCE_PANEL if (series, RECONCILED) in groups]
    hidden_annual = {series: _complete_years(groups[(series, RECONCILED)]) for series in hidden}
    page = UnitPage(
        unit=unit,
        category=category,
        frame=frame,
        months=[{name: record[name] for name in _CHART_FIGURES} for record in reconciled],
        annual=[annual[number] for number in years],
        rolling=_latest_rolling(reconciled),
        year=year,
        years=years,
        bases=[(basis, basis_name(basis, stored_names)) for basis in bases],
        source_chart=_aligned(source_groups, "count"),
        source_years=[
            {"year": number, "counts": [source_annual[basis].get(number, {}).get("count") for basis in bases]}
            for number in years
        ],
        sentences=discrepancy_sentences(
            counts={basis: source_annual[basis].get(year, {}).get("count") for basis in bases},
            year=year,
            category=str(Series(category).label).lower(),
            stored_names=stored_names,
        )
        if year
        else [],
        hidden_chart=_aligned({series: groups[(series, RECONCILED)] for series in hidden}, "rolling_count"),
        hidden_years=[
            {
                "series": series,
                "name": Series(series).label,
                "counts": [hidden_annual[series].get(number, {}).get("count") for number in years],
            }
            for series in hidden
        ],
    )
    found = _undercount_of(vintage=vintage, unit=unit, category=category, year=year) if year else None
    if found:
        page.undercount, page.undercount_unit = found
    return page


def unit_chart_frame(page: UnitPage, chart: str) -> "pd.DataFrame | None":
    """The figures one chart of the page draws, for its CSV: the reconciled monthly figures, every source's, or
    the hidden-violence series; None for an unknown chart."""
    frame = page.frame
    selections = {
        "monthly": (frame["category"] == page.category) & (frame["basis"] == RECONCILED),
        "sources": frame["category"] == page.category,
        "hidden-violence": frame["category"].isin(HIDDEN_VIOLENCE_PANEL) & (frame["basis"] == RECONCILED),
    }
    return frame[selections[chart]] if chart in selections else None


def unit_comparison(*, vintage: Vintage, unit: Unit, neighbours, category: str, year: int) -> list[RankedUnit]:
    """The unit's rate over a year beside its parent's and its neighbours' (units sharing a boundary, highest
    rate first), each with its interval, on one scale."""
    period = Period(end=date(year, 12, 1), is_year=True)
    figures = level_figures(vintage=vintage, level=unit.level, category=category, period=period)

    def row(member, *, level: str, figures: dict, role: str) -> RankedUnit:
        return ranked_unit(
            level=level, code=member.code, name=member.name, parent_name="", figure=figures.get(member.code), role=role
        )

    rows = [row(unit, level=unit.level, figures=figures, role="self")]
    if unit.parent is not None:
        above = level_figures(vintage=vintage, level=unit.parent.level, category=category, period=period)
        rows.append(row(unit.parent, level=unit.parent.level, figures=above, role="parent"))
    near = [row(other, level=unit.level, figures=figures, role="neighbour") for other in neighbours]
    near.sort(key=lambda other: (other.kind != RATED, -(other.rate or 0), other.name))
    return with_whiskers(rows + near)
