from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Value

from .folding import fold_place_name, neighbourhood_keys
from .functions import Multi, SimplifyPreserveTopology
from .models import PARENT_LEVEL, AdminUnit, Level, PlaceName, PoliceJurisdiction, Population, PopulationKind
from .terms import EVERYONE


@dataclass(frozen=True)
class GazetteerMatch:
    unit: AdminUnit | None
    candidates: tuple[AdminUnit, ...]
    reason: str

    @property
    def matched(self) -> bool:
        return self.unit is not None


def _within_filter(*, level: str, within: AdminUnit) -> dict:
    """The filter on `unit__parent__parent...` that keeps the units of `level` under `within`."""
    path, current = "unit__parent", PARENT_LEVEL[level]
    while current is not None and current != within.level:
        path, current = f"{path}__parent", PARENT_LEVEL[current]
    if current is None:
        raise ValueError(f"A {level} cannot lie within a {within.level}.")
    return {path: within}


def gazetteer_match(*, name: str, level: str, within: AdminUnit | None = None) -> GazetteerMatch:
    """Find the unit of `level` called `name`, accent-, case- and punctuation-insensitively, aliases included."""
    folded = fold_place_name(name)
    if not folded:
        return GazetteerMatch(unit=None, candidates=(), reason="empty name")
    entries = PlaceName.objects.filter(level=level, folded=folded)
    if within is not None:
        entries = entries.filter(**_within_filter(level=level, within=within))
    units = tuple({entry.unit_id: entry.unit for entry in entries.select_related("unit")}.values())
    if len(units) == 1:
        return GazetteerMatch(unit=units[0], candidates=units, reason="matched")
    if not units:
        scope = f" in {within.name}" if within is not None else ""
        return GazetteerMatch(unit=None, candidates=(), reason=f"no {level} named '{name}'{scope}")
    codes = ", ".join(sorted(unit.code for unit in units))
    return GazetteerMatch(unit=None, candidates=units, reason=f"'{name}' names several units ({codes})")


def colonias_named_in(*, places: Sequence[tuple[int, str]]) -> list[int | None]:
    """For each (municipality id, free-text place description), the colonia of that municipality the text names
    after a word such as "Col." or "Barrio" ("Río Villalobos, altura de Col. El Amparo"), aliases included; None
    when it names none, or names several."""
    municipalities = {municipality for municipality, _text in places}
    units_by_key: dict[tuple[int, str], set[int]] = {}
    entries = PlaceName.objects.filter(level=Level.COLONIA, unit__parent_id__in=municipalities)
    for municipality, folded, unit in entries.values_list("unit__parent_id", "folded", "unit_id"):
        units_by_key.setdefault((municipality, folded), set()).add(unit)
    # Written out, a key may be preceded by the words folding drops ("de", "la": "Col. de La Esperanza").
    longest = max((len(key.split()) for _municipality, key in units_by_key), default=0) + 2
    found = []
    for municipality, text in places:
        named = set()
        for keys in neighbourhood_keys(text, longest=longest):  # the longest run of words that names a colonia
            named |= next((units for key in keys if (units := units_by_key.get((municipality, key)))), set())
        found.append(next(iter(named)) if len(named) == 1 else None)
    return found


@dataclass(frozen=True)
class PopulationEstimate:
    population: float
    method: str  # "interpolated", "extrapolated" (nearest figure carried) or "single figure"
    is_demo: bool
    sources: tuple[str, ...]


def mid_month_populations(*, figures: dict[int, int], months: np.ndarray) -> np.ndarray:
    """The population rule, for any number of months at once: figures are mid-year (1 July) values, interpolated
    linearly to the middle of each month; before the first and after the last figure the nearest figure is carried,
    not extrapolated. `months` are month numbers (year x 12 + month - 1); NaN where there is no figure at all."""
    if not figures:
        return np.full(len(months), np.nan)
    years = np.array(sorted(figures))
    # 1 July of year y is month number y*12 + 6; the middle of month number n is n + 0.5.
    anchors = years * 12 + 6.0
    values = np.array([figures[year] for year in years], dtype=float)
    return np.interp(np.asarray(months, dtype=float) + 0.5, anchors, values)


def population_for_month(*, unit: AdminUnit, year: int, month: int) -> PopulationEstimate | None:
    """Population (everyone's) at mid-month (mid_month_populations), with how it was obtained and from which
    figures."""
    figures = list(Population.objects.filter(unit=unit, sex=EVERYONE, age_band=EVERYONE).order_by("year"))
    if not figures:
        return None
    number = year * 12 + month - 1
    value = float(
        mid_month_populations(
            figures={figure.year: figure.population for figure in figures}, months=np.array([number])
        )[0]
    )
    is_demo = any(figure.kind == PopulationKind.DEMO for figure in figures)
    first, last = figures[0], figures[-1]
    if number + 0.5 <= first.year * 12 + 6 or number + 0.5 >= last.year * 12 + 6:
        nearest = first if number + 0.5 <= first.year * 12 + 6 else last
        method = "single figure" if len(figures) == 1 else "extrapolated"
        return PopulationEstimate(value, method, nearest.kind == PopulationKind.DEMO, (nearest.source,))
    before = max((figure for figure in figures if figure.year * 12 + 6 <= number + 0.5), key=lambda item: item.year)
    after = min((figure for figure in figures if figure.year * 12 + 6 >= number + 0.5), key=lambda item: item.year)
    return PopulationEstimate(value, "interpolated", is_demo, tuple(dict.fromkeys([before.source, after.source])))


def population_for_date(*, unit: AdminUnit, on: date) -> PopulationEstimate | None:
    return population_for_month(unit=unit, year=on.year, month=on.month)


def _display_boundary():
    """The boundary simplified for maps, kept a MultiPolygon like the boundary itself (simplifying may return a
    Polygon, which the API's schema does not promise)."""
    return Multi(SimplifyPreserveTopology("boundary", Value(settings.GEOGRAPHY_DISPLAY_SIMPLIFY_TOLERANCE)))


def unit_list_for_display() -> QuerySet[AdminUnit]:
    """Units with a simplified boundary for maps and their latest population figure (for everyone)."""
    latest = Population.objects.filter(unit=OuterRef("pk"), sex=EVERYONE, age_band=EVERYONE).order_by("-year")
    return (
        AdminUnit.objects.select_related("parent")
        .defer("boundary")
        .annotate(
            display_boundary=_display_boundary(),
            latest_population=Subquery(latest.values("population")[:1]),
            latest_population_year=Subquery(latest.values("year")[:1]),
            latest_population_kind=Subquery(latest.values("kind")[:1]),
            latest_population_source=Subquery(latest.values("source")[:1]),
        )
        .order_by("level", "code")
    )


def jurisdiction_list_for_display() -> QuerySet[PoliceJurisdiction]:
    return PoliceJurisdiction.objects.defer("boundary").annotate(display_boundary=_display_boundary()).order_by("code")


def population_list() -> QuerySet[Population]:
    return Population.objects.select_related("unit").order_by("unit__level", "unit__code", "year", "sex", "age_band")


def demo_populations_exist() -> bool:
    """Whether any rate may rest on a demo population figure (the demo's), which every page of rates must say."""
    return Population.objects.filter(kind=PopulationKind.DEMO).exists()


def geography_stamp() -> tuple[str, datetime]:
    """(version, last change) of the units, jurisdictions and populations: changes when any is imported again,
    added or removed, so that answers built from them can be kept until then."""
    stamps = [
        model.objects.aggregate(changed=Max("updated_at"), rows=Count("id"))
        for model in (AdminUnit, PoliceJurisdiction, Population)
    ]
    changed = max((stamp["changed"] for stamp in stamps if stamp["changed"]), default=datetime.fromtimestamp(0, UTC))
    version = ":".join(f"{stamp['changed'].timestamp() if stamp['changed'] else 0}-{stamp['rows']}" for stamp in stamps)
    return version, changed
