"""Units ranked by their rate over a year or 12 months, each with its interval, never by counts alone; and a
unit beside its neighbours and its parent. The figures are the map's (`portal.unit_period_figures`, the public
suppression applied, unrounded), read once per vintage, level and period and cached.

Units whose rates are equal to the hundredth (as the map publishes them) share a rank ("1, 2, 2, 4"). A hidden
count has no rate and no rank; nor has a unit without a population figure; a unit no source covered for the whole
period is listed as having no data."""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache

from observatory.geography.models import AdminUnit, PoliceJurisdiction

from .models import Vintage
from .portal import CACHE_SECONDS, Period, unit_period_figures
from .terms import RECONCILED, UnitLevel

RATED, WITHHELD, NO_RATE, NO_DATA = "rated", "withheld", "no_rate", "no_data"
# Which units a ranking of a level can be narrowed to: those of one unit of the level above.
# Rates equal to this many decimals are a tie.
TIE_DECIMALS = 2
WITHIN_LEVEL = {UnitLevel.MUNICIPALITY: UnitLevel.DEPARTMENT, UnitLevel.COLONIA: UnitLevel.MUNICIPALITY}


@dataclass(frozen=True)
class RankedUnit:
    """A unit's figure over the period, its rank among those with a rate, and where its dot and whisker fall on
    a scale from 0 to the highest interval bound shown (in % of the scale's width)."""

    level: str
    code: str
    name: str
    parent_name: str
    kind: str
    count: object = None
    rate: float | None = None
    rate_low: float | None = None
    rate_high: float | None = None
    unstable: bool = False
    status: str | None = None
    rank: int | None = None
    dot: float | None = None
    whisker_from: float | None = None
    whisker_width: float | None = None
    role: str = ""


def level_figures(*, vintage: Vintage, level: str, category: str, period: Period) -> dict[str, dict]:
    """{unit code: figures of the 12 months of the period} of the units of a level, reconciled victims."""
    key = (
        f"indicators:level-figures:{vintage.cache_stamp}:{level}:{category}:{period.code}:"
        f"{settings.INDICATORS_UNSTABLE_BELOW}"
    )
    return cache.get_or_set(
        key,
        lambda: unit_period_figures(
            vintage=vintage, level=level, category=category, basis=RECONCILED, period=period, places=None
        ),
        timeout=CACHE_SECONDS,
    )


def _kind(figure: dict | None) -> str:
    if figure is None or figure["no_data"]:
        return NO_DATA
    if figure["rate"] is not None:
        return RATED
    return NO_RATE if isinstance(figure["count"], int) else WITHHELD


def ranked_unit(
    *, level: str, code: str, name: str, parent_name: str, figure: dict | None, role: str = ""
) -> RankedUnit:
    kind = _kind(figure)
    if kind == NO_DATA:
        return RankedUnit(level=level, code=code, name=name, parent_name=parent_name, kind=kind, role=role)
    return RankedUnit(
        level=level,
        code=code,
        name=name,
        parent_name=parent_name,
        kind=kind,
        count=figure["count"],
        rate=figure["rate"],
        rate_low=figure["rate_low"],
        rate_high=figure["rate_high"],
        unstable=figure["unstable"],
        status=figure["status"],
        role=role,
    )


def with_whiskers(units: list[RankedUnit]) -> list[RankedUnit]:
    """The units with their dot and whisker placed on one scale, 0 to the highest upper bound among them."""
    top = max((unit.rate_high for unit in units if unit.kind == RATED), default=0) or 1
    return [
        replace(
            unit,
            dot=round(unit.rate / top * 100, 2),
            whisker_from=round(unit.rate_low / top * 100, 2),
            whisker_width=round((unit.rate_high - unit.rate_low) / top * 100, 2),
        )
        if unit.kind == RATED
        else unit
        for unit in units
    ]


def _units_of(*, level: str, within: str | None) -> list[tuple[str, str, str]]:
    """(code, name, parent's name) of the units of a level, of one unit of the level above when `within`."""
    if level == UnitLevel.JURISDICTION:
        return [(code, name, "") for code, name in PoliceJurisdiction.objects.values_list("code", "name")]
    units = AdminUnit.objects.filter(level=level)
    if within and level in WITHIN_LEVEL:
        units = units.filter(parent__level=WITHIN_LEVEL[level], parent__code=within)
    return list(units.values_list("code", "name", "parent__name"))


def rate_ranking(
    *, vintage: Vintage, level: str, category: str, period: Period, within: str | None = None
) -> list[RankedUnit]:
    """The units of a level (of one unit above when `within`): those with a rate from the highest down, sharing a
    rank when their rates are equal; then those whose count is withheld or that have no population figure; then
    those with no data. Names break ties."""
    figures = level_figures(vintage=vintage, level=level, category=category, period=period)
    units = [
        ranked_unit(level=level, code=code, name=name, parent_name=parent or "", figure=figures.get(code))
        for code, name, parent in _units_of(level=level, within=within)
    ]
    order = {RATED: 0, WITHHELD: 1, NO_RATE: 2, NO_DATA: 3}
    units.sort(key=lambda unit: (order[unit.kind], -round(unit.rate or 0, TIE_DECIMALS), unit.name, unit.code))
    rates = [round(unit.rate, TIE_DECIMALS) for unit in units if unit.kind == RATED]
    ranked = [
        replace(unit, rank=1 + sum(rate > round(unit.rate, TIE_DECIMALS) for rate in rates))
        if unit.kind == RATED
        else unit
        for unit in units
    ]
    return with_whiskers(ranked)
