"""Pages: the published figures (public), the hidden-violence monitor (public), undercount estimates (public),
vintages (public), alerts (commanders) and the discrepancy report with the cases behind every number (analysts)."""

import functools
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability, has_capability
from observatory.accounts.services import user_mark_alerts_seen
from observatory.csv_stream import SafeCsvWriter

from .forms import AlertQueryForm, DiscrepancyQueryForm, FigureQueryForm
from .models import Alert, Vintage
from .page_cache import public_page_cached
from .selectors import (
    PROVISIONAL,
    alert_list,
    coverage_report,
    daily_alert_list,
    data_cutoffs,
    discrepancy_table,
    figure_csv_rows,
    figure_records,
    figures_frame,
    monthly_series_of,
    undercount_list,
    unit_by_code,
    unit_events_in_months,
    unit_labels,
    victim_cases,
    vintage_list,
    vintage_or_latest,
)
from .terms import HIDDEN_VIOLENCE_SERIES, Series, UnitLevel

_CHART_SERIES = (Series.HOMICIDE, *HIDDEN_VIOLENCE_SERIES)
_CACHE_SECONDS = 24 * 3600


def _monthly_api_url(query: dict, *, category: str | None) -> str:
    """The API call that returns the figures a page shows: the unit's monthly series on the basis asked for."""
    parameters = {"level": query["level"], "unit": query["unit"], "basis": query["basis"]}
    if category:
        parameters["category"] = category
    if query["vintage"]:
        parameters["vintage"] = query["vintage"]
    return f"{reverse('api-v1:monthly-series-list')}?{urlencode(parameters)}"


def _chart_events(*, query: dict, unit: tuple[int, str] | None, months: list[str]) -> list[dict]:
    """The events marked on a chart of the unit over its months (the basis leaves out other sources' changes)."""
    if not unit or not months:
        return []
    return unit_events_in_months(
        level=query["level"],
        unit_id=unit[0],
        first_month=min(months),
        last_month=max(months),
        basis=query["basis"],
        language=get_language(),
    )


def _vintage_or_404(number: int | None):
    vintage = vintage_or_latest(number)
    if vintage is None and number is not None:
        raise Http404(_("No such vintage."))
    return vintage


def _figures_frame(*, query: dict, vintage, unit, public: bool):
    """The frame of the unit's series the query asks for, or None when nothing is published for it."""
    series = (
        monthly_series_of(
            vintage=vintage,
            level=query["level"],
            unit_id=unit[0],
            categories=[query["category"]],
            basis=query["basis"],
        )
        if vintage and unit
        else []
    )
    if not series:
        return None
    return figures_frame(
        rows=series, vintage=vintage, month_from=query["month_from"], month_to=query["month_to"], public=public
    )


@require_GET
@public_page_cached
def figures(request):
    """One unit's monthly series of one category and basis, as a chart and a table, or as CSV. A published
    vintage never changes: its months, and their table as rendered per language, are cached under it."""
    form = FigureQueryForm(request.GET)
    context = {"form": form}
    if form.is_valid():
        query = form.cleaned_data
        vintage = _vintage_or_404(query["vintage"])
        unit = unit_by_code(level=query["level"], code=query["unit"])
        public = not has_capability(request.user, Capability.VIEW_PERSONAL_DATA)
        figures_of = functools.partial(_figures_frame, query=query, vintage=vintage, unit=unit, public=public)
        if request.GET.get("format") == "csv" and (frame := figures_of()) is not None:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{query["category"]}-{query["unit"]}.csv"'
            SafeCsvWriter(response).writerows(figure_csv_rows(frame))
            return response
        asked = ":".join(str(query[name]) for name in ("level", "unit", "category", "basis", "month_from", "month_to"))
        table_key = f"indicators:figure-months:{vintage.cache_stamp if vintage else ''}:{int(public)}:{asked}"
        months = cache.get_or_set(
            table_key, lambda: figure_records(frame) if (frame := figures_of()) is not None else [], _CACHE_SECONDS
        )
        context.update(
            {
                "vintage": vintage,
                "unit_name": unit[1] if unit else "",
                "months": months,
                "table_key": table_key,
                "cutoffs": data_cutoffs(vintage=vintage) if vintage else [],
                "api_url": _monthly_api_url(query, category=query["category"]),
                "csv_url": f"?{request.GET.urlencode()}&format=csv",
                "filename": f"{query['category']}-{query['unit']}",
                "timeline_events": _chart_events(query=query, unit=unit, months=[row["month"] for row in months]),
            }
        )
    return render(request, "indicators/figures.html", context)


@require_GET
@public_page_cached
def monitor(request):
    """Homicides next to missing persons, unidentified bodies, clandestine graves and undetermined deaths."""
    form = FigureQueryForm(request.GET)
    context = {"form": form, "series_names": {series.value: series.label for series in _CHART_SERIES}}
    if form.is_valid():
        query = form.cleaned_data
        vintage = _vintage_or_404(query["vintage"])
        unit = unit_by_code(level=query["level"], code=query["unit"])
        rows = (
            monthly_series_of(
                vintage=vintage, level=query["level"], unit_id=unit[0], categories=_CHART_SERIES, basis=query["basis"]
            )
            if vintage and unit
            else []
        )
        frame = (
            figures_frame(rows=rows, vintage=vintage, month_from=query["month_from"], month_to=query["month_to"])
            if rows
            else None
        )
        chart = {}
        if frame is not None:
            for category, group in frame.groupby("category"):
                chart[category] = {
                    "months": list(group["month"]),
                    "rolling": [
                        value if isinstance(value, (int, float)) and value == value else None
                        for value in group["rolling_count"]
                    ],
                    "provisional": [status == PROVISIONAL for status in group["status"]],
                }
        alerts = []
        if unit and has_capability(request.user, Capability.VIEW_OPERATIONAL_DETAIL):
            alerts = list(alert_list().filter(kind=Alert.Kind.HIDDEN_VIOLENCE, level=query["level"], unit_id=unit[0]))
        context.update(
            {
                "vintage": vintage,
                "unit_name": unit[1] if unit else "",
                "chart": chart,
                "timeline_events": _chart_events(
                    query=query, unit=unit, months=[month for series in chart.values() for month in series["months"]]
                ),
                "alerts": alerts,
                "api_url": _monthly_api_url(query, category=None),
                "filename": f"monitor-{query['unit']}",
                "cutoffs": data_cutoffs(vintage=vintage) if vintage else [],
            }
        )
    return render(request, "indicators/monitor.html", context)


@require_GET
@public_page_cached
def undercount(request):
    """Multiple systems estimates per year and stratum, with their assumptions; refusals with their reasons."""
    vintage = _vintage_or_404(None)
    estimates = list(undercount_list(vintage=vintage)) if vintage else []
    labels = {}
    for level in {estimate.level for estimate in estimates}:
        labels.update(
            {
                (level, unit): name
                for unit, (_code, name) in unit_labels(
                    level, [item.unit_id for item in estimates if item.level == level]
                ).items()
            }
        )
    for estimate in estimates:
        estimate.unit_name = labels.get((estimate.level, estimate.unit_id), "")
        estimate.coverage = estimate.observed / estimate.estimate * 100 if estimate.estimate else None
    assumptions = next((estimate.assumptions for estimate in estimates if estimate.status == "estimated"), [])
    return render(
        request, "indicators/undercount.html", {"vintage": vintage, "estimates": estimates, "assumptions": assumptions}
    )


@require_GET
@public_page_cached
def coverage(request):
    """What each source covers (declared by an analyst, or inferred from its records), the day its data reach,
    and the declared municipalities it has been silent about for months."""
    vintage = _vintage_or_404(None)
    return render(
        request,
        "indicators/coverage.html",
        {
            "vintage": vintage,
            "sources": coverage_report(vintage=vintage) if vintage else [],
            "silent_months": settings.INDICATORS_SILENT_MONTHS,
        },
    )


@require_GET
def vintages(request):
    """Every computation; the page reloads itself while one is queued or running, to show its progress."""
    rows = list(vintage_list()[:200])
    running = any(vintage.status in (Vintage.Status.QUEUED, Vintage.Status.RUNNING) for vintage in rows)
    threshold = settings.INDICATORS_SUPPRESS_BELOW
    return render(
        request,
        "indicators/vintages.html",
        {"vintages": rows, "running": running, "threshold": threshold, "threshold_less": threshold - 1},
    )


@require_GET
@capability_required(Capability.VIEW_OPERATIONAL_DETAIL)
def alerts(request):
    """The daily alerts of the commander's jurisdictions (all for those without), those new since the last visit
    marked, then the monthly alerts of the municipalities; opening the page clears the bell."""
    form = AlertQueryForm(request.GET)
    rows = alert_list()
    if form.is_valid():
        query = form.cleaned_data
        if query["kind"]:
            rows = rows.filter(kind=query["kind"])
        if query["level"]:
            rows = rows.filter(level=query["level"])
        if query["month_from"]:
            rows = rows.filter(month__gte=query["month_from"])
    rows = list(rows[:500])
    for level in {alert.level for alert in rows}:
        names = unit_labels(level, [alert.unit_id for alert in rows if alert.level == level])
        for alert in rows:
            if alert.level == level:
                alert.unit_name = names.get(alert.unit_id, ("", ""))[1]
    daily = list(daily_alert_list(jurisdictions=list(request.user.jurisdictions.values_list("pk", flat=True)))[:200])
    names = unit_labels(UnitLevel.JURISDICTION, [alert.jurisdiction_id for alert in daily])
    seen_at = request.user.alerts_seen_at
    for alert in daily:
        alert.jurisdiction_name = names.get(alert.jurisdiction_id, ("", ""))[1]
        alert.is_new = seen_at is None or alert.raised_at > seen_at
    user_mark_alerts_seen(user=request.user)
    return render(
        request,
        "indicators/alerts.html",
        {
            "form": form,
            "alerts": rows,
            "daily_alerts": daily,
            "window_days": settings.DAILY_ALERT_WINDOW_DAYS,
            "history_days": settings.DAILY_ALERT_HISTORY_DAYS,
            "p_value": settings.DAILY_ALERT_P_VALUE,
            "min_excess": settings.DAILY_ALERT_MIN_EXCESS,
        },
    )


@require_GET
@capability_required(Capability.VIEW_PERSONAL_DATA)
def discrepancies(request):
    """Per unit, for one month: records per source, victims by the sources that recorded them, conflicts."""
    form = DiscrepancyQueryForm(
        request.GET or None, initial={"level": UnitLevel.MUNICIPALITY, "category": Series.HOMICIDE}
    )
    query = (
        form.cleaned_data
        if form.is_valid()
        else {"level": UnitLevel.MUNICIPALITY, "category": Series.HOMICIDE, "month": None}
    )
    vintage = _vintage_or_404(None)
    month, table = (
        discrepancy_table(vintage=vintage, level=query["level"], category=query["category"], month=query["month"])
        if vintage
        else (None, [])
    )
    patterns = sorted(
        {pattern for row in table for pattern in row["overlap"]}, key=lambda item: (item.count("+"), item)
    )
    sources = sorted({source for row in table for source in row["sources"]})
    for row in table:
        row["pattern_counts"] = [(pattern, row["overlap"].get(pattern, 0)) for pattern in patterns]
        row["source_counts"] = [(source, row["sources"].get(source, 0)) for source in sources]
    return render(
        request,
        "indicators/discrepancies.html",
        {
            "form": form,
            "vintage": vintage,
            "month": month,
            "table": table,
            "patterns": patterns,
            "sources": sources,
            "level": query["level"],
            "category": query["category"],
        },
    )


@require_GET
@capability_required(Capability.VIEW_PERSONAL_DATA)
def cases(request):
    """The victims behind one number of the discrepancy report."""
    try:
        level, category = request.GET["level"], request.GET["category"]
        unit_id = int(request.GET["unit"])
        month = date.fromisoformat(request.GET["month"] + "-01")
    except (KeyError, ValueError) as error:
        raise Http404(_("Say which unit, month and category.")) from error
    if level not in UnitLevel.values or category not in Series.values:
        raise Http404(_("Unknown level or category."))
    victims = victim_cases(
        level=level,
        unit_id=unit_id,
        month=month,
        category=category,
        pattern=request.GET.get("pattern", ""),
        conflict=request.GET.get("conflict", ""),
        source=request.GET.get("source", ""),
    )
    unit = unit_labels(level, [unit_id]).get(unit_id, ("", ""))
    conflicts = {
        "classification": _("the sources disagree on the kind of event"),
        "date": _("dates too far apart"),
        "place": _("different municipalities"),
    }
    return render(
        request,
        "indicators/cases.html",
        {
            "victims": victims,
            "unit_name": unit[1],
            "month": month,
            "category": Series(category).label,
            "pattern": request.GET.get("pattern", ""),
            "conflict": request.GET.get("conflict", ""),
            "source": request.GET.get("source", ""),
            "conflict_label": conflicts.get(request.GET.get("conflict", ""), ""),
        },
    )
