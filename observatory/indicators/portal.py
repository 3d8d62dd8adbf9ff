"""What the public portal's home page reads: the headline figures of the latest complete month and year, the
periods a map can show, and the choropleth of 12-month rates of a level's units with their class breaks.

Every figure comes from `figures_frame` with the public suppression, so the portal shows what the API and the CSV
show: a count hidden there ("<5", "x") is hidden here, and has no rate."""

import re
import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from observatory.errors import ApplicationError
from observatory.geography.models import AdminUnit
from observatory.geography.topology import TOPOLOGY_OBJECT, topology_version, unit_topology

from .figures import month_date, month_number
from .models import Vintage
from .selectors import FINAL, PROVISIONAL, figure_records, figures_frame, series_list
from .terms import RECONCILED, Series, UnitLevel

# Fisher-Jenks needs enough units per class to find natural breaks rather than single units; below this many per
# class the classes are quantiles. Five classes read well on a map and in a legend.
JENKS_UNITS_PER_CLASS = 4
MAP_CLASSES = 5
FISHER_JENKS, QUANTILES = "fisher_jenks", "quantiles"
# Cache keys hold the vintage, so a new publication is a new key: the old entries only have to expire.
CACHE_SECONDS = 24 * 3600
_PERIOD = re.compile(r"^(?P<year>\d{4})(-(?P<month>\d{2}))?$")


@dataclass(frozen=True)
class Period:
    """Twelve months ending at `end` (the first of a month): a calendar year when `is_year` (`end` a December)."""

    end: date
    is_year: bool

    @property
    def code(self) -> str:
        """How the period is written in a URL: "2023" for a year, "2024-10" for the 12 months to October 2024."""
        return str(self.end.year) if self.is_year else f"{self.end:%Y-%m}"

    @property
    def start(self) -> date:
        return month_date(month_number(self.end) - 11)

    @classmethod
    def parse(cls, code: str) -> "Period | None":
        found = _PERIOD.match(code or "")
        if not found:
            return None
        if found["month"] is None:
            return cls(end=date(int(found["year"]), 12, 1), is_year=True)
        if not 1 <= int(found["month"]) <= 12:
            return None
        return cls(end=date(int(found["year"]), int(found["month"]), 1), is_year=False)


@dataclass(frozen=True)
class PeriodOption:
    period: Period
    provisional: bool


def _country_records(*, vintage: Vintage, category: str, basis: str) -> list[dict]:
    """The country's figures month by month, as the public reads them; cached per vintage."""

    def records() -> list[dict]:
        rows = list(series_list(vintage=vintage, level=UnitLevel.COUNTRY, basis=basis, category=category)[:1])
        return figure_records(figures_frame(rows=rows, vintage=vintage)) if rows else []

    key = f"indicators:country-figures:{vintage.cache_stamp}:{category}:{basis}"
    return cache.get_or_set(key, records, timeout=CACHE_SECONDS)


def window_status(statuses: list) -> str | None:
    """A span of months is final when every month is, provisional when any is, else unknown (no data)."""
    if PROVISIONAL in statuses:
        return PROVISIONAL
    return FINAL if statuses and all(status == FINAL for status in statuses) else None


def map_periods(*, vintage: Vintage, category: str = Series.HOMICIDE, basis: str = RECONCILED) -> list[PeriodOption]:
    """The calendar years, then the 12-month spans, the publication holds whole, latest first; a span is
    provisional when the country has a provisional month in it."""
    records = _country_records(vintage=vintage, category=category, basis=basis)
    statuses = [record["status"] for record in records]
    months = [date.fromisoformat(record["month"] + "-01") for record in records]
    windows = [
        (months[index], window_status(statuses[index - 11 : index + 1]) == PROVISIONAL)
        for index in range(11, len(months))
    ]
    years = [
        PeriodOption(Period(end=end, is_year=True), provisional) for end, provisional in windows if end.month == 12
    ]
    spans = [PeriodOption(Period(end=end, is_year=False), provisional) for end, provisional in windows]
    return [*reversed(years), *reversed(spans)]


def default_period(options: list[PeriodOption]) -> Period | None:
    """The latest complete year; else the latest 12 months with every month final; else the latest span."""
    final = [option.period for option in options if not option.provisional]
    years = [period for period in final if period.is_year]
    return (years or final or [option.period for option in options] or [None])[0]


def _change(now, before) -> float | None:
    if not isinstance(now, int) or not isinstance(before, int) or before <= 0:
        return None
    return (now - before) / before * 100


def _coverage_percent(records: list[dict]) -> tuple[float, float] | None:
    """The lowest and highest covered share of the population over some months, in %; None if never known."""
    shares = [record["coverage"] * 100 for record in records if record["coverage"] is not None]
    return (min(shares), max(shares)) if shares else None


def headline_figures(*, vintage: Vintage, category: str = Series.HOMICIDE) -> dict:
    """The country's reconciled figures of its latest final month (the count, the annualised rate with its
    interval, the change on the same month a year before) and of its latest complete year (every month final: the
    count, the rate with its interval, the change on the year before), each with the share of the population its
    sources covered. A hidden count reads "<5" or "x" and has no rate or change."""
    records = _country_records(vintage=vintage, category=category, basis=RECONCILED)
    month = next((record for record in reversed(records) if record["status"] == FINAL), None)
    if month is not None:
        when = date.fromisoformat(month["month"] + "-01")
        month = {
            "month": when,
            "month_before": date(when.year - 1, when.month, 1),
            "count": month["count"],
            "rate": month["annual_rate"],
            "rate_low": month["annual_rate_low"],
            "rate_high": month["annual_rate_high"],
            "count_before": month["count_year_before"],
            "change": month["change_year_before"],
            "unstable": bool(month["unstable"]),
            "coverage": _coverage_percent([month]),
        }
    year = None
    decembers = [index for index in range(11, len(records)) if records[index]["month"].endswith("-12")]
    for index in reversed(decembers):
        window = records[index - 11 : index + 1]
        if window_status([record["status"] for record in window]) != FINAL:
            continue
        count, before = records[index]["rolling_count"], records[index - 12]["rolling_count"] if index >= 12 else None
        year = {
            "year": int(records[index]["month"][:4]),
            "count": count,
            "rate": records[index]["rolling_rate"],
            "rate_low": records[index]["rolling_rate_low"],
            "rate_high": records[index]["rolling_rate_high"],
            "count_before": before,
            "change": _change(count, before),
            "unstable": isinstance(count, int) and count < settings.INDICATORS_UNSTABLE_BELOW,
            "coverage": _coverage_percent(window),
        }
        break
    return {"unit_name": records[0]["unit_name"] if records else "", "month": month, "year": year}


@dataclass(frozen=True)
class Classes:
    """Class breaks of a map's rates: the method, each class's (low, high] bounds, and each rate's class."""

    method: str | None
    bounds: list[tuple[float, float]]
    of: list[int]


def rate_classes(rates: list[float], *, k: int = MAP_CLASSES) -> Classes:
    """Fisher-Jenks natural breaks (mapclassify) when there are at least JENKS_UNITS_PER_CLASS rates per class,
    quantiles otherwise; never more classes than distinct rates."""
    import mapclassify  # here, not above: it loads scikit-learn, which every process reading the URLs would pay for

    values = np.asarray(rates, dtype=float)
    if not len(values):
        return Classes(method=None, bounds=[], of=[])
    k = min(k, len(np.unique(values)))
    if len(values) >= JENKS_UNITS_PER_CLASS * k:
        with warnings.catch_warnings():
            # Without numba mapclassify says it runs in plain Python: 340 units take a tenth of a second so.
            warnings.filterwarnings("ignore", message="Numba not installed")
            method, classifier = FISHER_JENKS, mapclassify.FisherJenks(values, k=k)
    else:
        method, classifier = QUANTILES, mapclassify.Quantiles(values, k=k)
    uppers = [float(bound) for bound in classifier.bins]
    lowers = [float(values.min()), *uppers[:-1]]
    return Classes(method=method, bounds=list(zip(lowers, uppers, strict=True)), of=[int(c) for c in classifier.yb])


def _rounded(value, places: int | None = 2):
    """A figure to `places` decimals (None: as computed); None when missing."""
    if not isinstance(value, int | float) or value != value:
        return None
    return float(value) if places is None else round(float(value), places)


def unit_period_figures(
    *, vintage: Vintage, level: str, category: str, basis: str, period: Period, places: int | None = 2
) -> dict[str, dict]:
    """{unit code: the 12-month figures of the period} for the units of a level that have a series, rates to
    `places` decimals (None: as computed, for pages that round them as they show them)."""
    rows = list(series_list(vintage=vintage, level=level, basis=basis, category=category))
    if not rows:
        return {}
    frame = figures_frame(rows=rows, vintage=vintage, month_from=period.start, month_to=period.end)
    statuses = frame.groupby("unit_code")["status"].agg(list).to_dict()
    figures = {}
    for record in figure_records(frame[frame["month"] == f"{period.end:%Y-%m}"]):
        count = record["rolling_count"]
        has_rate = isinstance(count, int) and record["rolling_rate"] is not None
        figures[record["unit_code"]] = {
            "count": count,
            "rate": _rounded(record["rolling_rate"], places) if has_rate else None,
            "rate_low": _rounded(record["rolling_rate_low"], places) if has_rate else None,
            "rate_high": _rounded(record["rolling_rate_high"], places) if has_rate else None,
            "unstable": isinstance(count, int) and count < settings.INDICATORS_UNSTABLE_BELOW,
            "status": window_status(statuses.get(record["unit_code"], [])) if count is not None else None,
            "no_data": count is None,
        }
    return figures


def choropleth(
    *,
    vintage: Vintage,
    period: Period,
    level: str = UnitLevel.MUNICIPALITY,
    category: str = Series.HOMICIDE,
    basis: str = RECONCILED,
) -> dict:
    """The map of a period's 12-month rates: the level's TopoJSON with each unit's figures as its properties, the
    classes and the method that drew them. Units no source of the basis covered for the whole period are
    `no_data` (no count, no rate, no class); a hidden count ("<5", "x") has no rate and no class. Cached per
    vintage, period, series and boundaries."""
    key = (
        f"indicators:choropleth:{vintage.cache_stamp}:{level}:{category}:{basis}:{period.code}:"
        f"{topology_version(level=level)}:{settings.INDICATORS_UNSTABLE_BELOW}"
    )
    payload = cache.get(key)
    if payload is None:
        options = map_periods(vintage=vintage, category=category, basis=basis)
        chosen = next((option for option in options if option.period == period), None)
        if chosen is None:
            raise ApplicationError(
                _no_such_period_message(options), code="no_such_period", extra={"period": period.code}
            )
        payload = _choropleth(vintage=vintage, option=chosen, level=level, category=category, basis=basis)
        cache.set(key, payload, timeout=CACHE_SECONDS)
    return payload


def _no_such_period_message(options: list[PeriodOption]) -> str:
    if not options:
        return _("No figures have been published for this series yet.")
    spans = [option.period for option in options if not option.period.is_year]
    return _("No figures for that period: choose a year, or 12 months ending between %(first)s and %(last)s.") % {
        "first": spans[-1].code,
        "last": spans[0].code,
    }


def _choropleth(*, vintage: Vintage, option: PeriodOption, level: str, category: str, basis: str) -> dict:
    period = option.period
    figures = unit_period_figures(vintage=vintage, level=level, category=category, basis=basis, period=period)
    rated = [unit for unit, figure in figures.items() if figure["rate"] is not None]
    classes = rate_classes([figures[unit]["rate"] for unit in rated])
    for unit, class_index in zip(rated, classes.of, strict=True):
        figures[unit]["class"] = class_index
    units = AdminUnit.objects.filter(level=level).values_list("id", "code", "name", "parent__code")
    labels = {unit: {"code": code, "name": name, "parent": parent or ""} for unit, code, name, parent in units}
    no_data = {"count": None, "rate": None, "rate_low": None, "rate_high": None, "unstable": False, "no_data": True}
    topology = unit_topology(level=level)
    geometries = []
    for geometry in topology["objects"][TOPOLOGY_OBJECT]["geometries"]:
        label = labels.get(geometry["id"], {"code": "", "name": "", "parent": ""})
        properties = {**label, "class": None, "status": None, **figures.get(label["code"], no_data)}
        geometries.append({**geometry, "properties": properties})
    return {
        "vintage": vintage.pk,
        "level": level,
        "category": category,
        "basis": basis,
        "period": {
            "code": period.code,
            "is_year": period.is_year,
            "first_month": f"{period.start:%Y-%m}",
            "last_month": f"{period.end:%Y-%m}",
            "provisional": option.provisional,
        },
        "unstable_below": settings.INDICATORS_UNSTABLE_BELOW,
        "classification": {
            "method": classes.method,
            "classes": [
                {"low": _rounded(low), "high": _rounded(high), "units": classes.of.count(index)}
                for index, (low, high) in enumerate(classes.bounds)
            ],
        },
        "topology": {
            **topology,
            "objects": {TOPOLOGY_OBJECT: {**topology["objects"][TOPOLOGY_OBJECT], "geometries": geometries}},
        },
    }
