"""The published rows as the database holds them: the series valid in a vintage, the lists the pages and the API
page through, and the names of units."""

from django.db.models import Q, QuerySet

from observatory.geography.models import AdminUnit, PoliceJurisdiction

from ..models import Alert, DailyAlert, DiscrepancySeries, MonthlySeries, UndercountEstimate, Vintage
from ..terms import ALL, UnitLevel


def latest_vintage() -> Vintage | None:
    return Vintage.objects.filter(status=Vintage.Status.DONE).order_by("-pk").first()


def vintage_or_latest(vintage_id: int | None) -> Vintage | None:
    if vintage_id is not None:
        return Vintage.objects.filter(status=Vintage.Status.DONE, pk=vintage_id).first()
    return latest_vintage()


def valid_in(vintage: Vintage) -> Q:
    """Rows of the publication as it stood after `vintage`."""
    return Q(valid_from_id__lte=vintage.pk) & (Q(valid_to__isnull=True) | Q(valid_to_id__gt=vintage.pk))


def series_list(
    *,
    vintage: Vintage,
    level: str | None = None,
    basis: str | None = None,
    category: str | None = None,
    sex: str = ALL,
    age_band: str = ALL,
) -> QuerySet[MonthlySeries]:
    rows = MonthlySeries.objects.filter(valid_in(vintage), sex=sex, age_band=age_band)
    if level:
        rows = rows.filter(level=level)
    if basis:
        rows = rows.filter(basis=basis)
    if category:
        rows = rows.filter(series=category)
    return rows.order_by("level", "unit_id", "series", "basis")


def unit_labels(level: str, unit_ids) -> dict[int, tuple[str, str]]:
    """{unit id: (code, name)} at a level."""
    model = PoliceJurisdiction if level == UnitLevel.JURISDICTION else AdminUnit
    return {
        unit: (code, name)
        for unit, code, name in model.objects.filter(pk__in=set(unit_ids)).values_list("id", "code", "name")
    }


def vintage_list() -> QuerySet[Vintage]:
    return Vintage.objects.order_by("-pk")


def alert_list() -> QuerySet[Alert]:
    """The alerts of the current figures (each vintage replaces them)."""
    return Alert.objects.order_by("-month", "kind", "level", "unit_id", "series", "basis")


def daily_alert_list(*, jurisdictions: list[int]) -> QuerySet[DailyAlert]:
    """The daily alerts of these jurisdictions (all when the list is empty), newest window first."""
    alerts = DailyAlert.objects.order_by("-window_last", "p_value", "pk")
    return alerts.filter(jurisdiction_id__in=jurisdictions) if jurisdictions else alerts


def discrepancy_list(*, vintage: Vintage, level: str, category: str) -> QuerySet[DiscrepancySeries]:
    return DiscrepancySeries.objects.filter(valid_in(vintage), level=level, series=category).order_by("unit_id")


def undercount_list(*, vintage: Vintage) -> QuerySet[UndercountEstimate]:
    """The latest estimate of every stratum as of a vintage (a stratum is estimated again only when its overlap
    counts change)."""
    return (
        UndercountEstimate.objects.filter(vintage_id__lte=vintage.pk)
        .order_by("series", "level", "unit_id", "year", "-vintage_id")
        .distinct("series", "level", "unit_id", "year")
    )


def unit_by_code(*, level: str, code: str) -> tuple[int, str] | None:
    """(id, name) of a unit at a level."""
    model = PoliceJurisdiction if level == UnitLevel.JURISDICTION else AdminUnit
    units = model.objects.filter(code=code)
    if model is AdminUnit:
        units = units.filter(level=level)
    return units.values_list("id", "name").first()


def monthly_series_of(*, vintage: Vintage, level: str, unit_id: int, categories, basis: str) -> list[MonthlySeries]:
    return list(
        MonthlySeries.objects.filter(
            valid_in(vintage), level=level, unit_id=unit_id, series__in=categories, basis=basis, sex=ALL, age_band=ALL
        ).order_by("series")
    )
