"""The commander's pages: the CompStat page (table, map, time patterns) and the weekly reports."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability
from observatory.geography.models import PoliceJurisdiction

from .filters import IncidentFilter
from .forms import CompstatQueryForm, WeeklyReportForm
from .models import WeeklyReport
from .periods import period_span
from .reports import report_context, weekly_report_request
from .selectors import (
    colonia_choices,
    data_version_latest,
    jurisdiction_choices,
    jurisdiction_outlines,
    weekly_report_list,
)
from .services import DEFAULT_PERIOD, compstat_figures
from .tables import table_for_display
from .terms import MapPeriod, Weekday


def _question(request, *, cutoff) -> CompstatQueryForm:
    """The page's form: a commander's own first jurisdiction, the data's cut-off and the last 28 days unless the
    address says otherwise."""
    data = request.GET.copy()
    if "jurisdiction" not in data and request.user.is_authenticated:
        own = request.user.jurisdictions.order_by("name").values_list("pk", flat=True).first()
        if own:
            data["jurisdiction"] = str(own)
    data.setdefault("period", DEFAULT_PERIOD)
    if cutoff and not data.get("end"):
        data["end"] = cutoff.isoformat()
    jurisdiction = data.get("jurisdiction")
    form = CompstatQueryForm(
        data,
        jurisdictions=jurisdiction_choices(),
        colonias=colonia_choices(jurisdiction=int(jurisdiction) if str(jurisdiction or "").isdigit() else None),
    )
    form.is_valid()
    return form


@require_GET
@capability_required(Capability.VIEW_OPERATIONAL_DETAIL)
def compstat(request):
    version = data_version_latest()
    form = _question(request, cutoff=version.cutoff if version else None)
    context = {"form": form, "version": version, "alpha": settings.COMPSTAT_SIGNIFICANCE}
    if version is None or version.cutoff is None:
        return render(request, "compstat/compstat.html", context)
    query = form.cleaned_data if not form.errors else {}
    end = query.get("end") or version.cutoff
    period = query.get("period") or DEFAULT_PERIOD
    filters = IncidentFilter.from_values(query)
    span = period_span(code=period, end=end)
    figures = compstat_figures(version=version, end=end, period=period, filters=filters)
    table, patterns = figures["table"], figures["patterns"]
    map_query = {key: value for key, value in filters.as_dict().items() if value} | {
        "first": span.first.isoformat(),
        "last": span.last.isoformat(),
    }
    context |= {
        "end": end,
        "is_cutoff": end == version.cutoff,
        "span": span,
        "period_label": MapPeriod(period).label,
        "periods": table_for_display(table),
        "population": table["population"],
        "by_jurisdiction": figures["by_jurisdiction"],
        "hours": range(24),
        "heat_rows": _heat_rows(patterns),
        "map_config": {
            "cells_url": reverse("api-v1:compstat-map-list"),
            "incident_url": reverse("api-v1:compstat-incident-list"),
            "query": map_query,
            "outlines": jurisdiction_outlines(jurisdiction=filters.jurisdiction),
            "tile_url": settings.PORTAL_MAP_TILE_URL,
            "tile_attribution": settings.PORTAL_MAP_TILE_ATTRIBUTION,
            "labels": _map_labels(),
        },
        "chart": {"days": patterns["days"], "daily": patterns["daily"], "mean": patterns["mean_28"]},
    }
    return render(request, "compstat/compstat.html", context)


def _map_labels() -> dict:
    return {
        "loading": _("Loading…"),
        "none": _("No incident here."),
        "incident": _("Incident"),
        "date": _("Date"),
        "time": _("Time"),
        "category": _("Category"),
        "weapon": _("Weapon"),
        "place_type": _("Place type"),
        "incidents": _("incidents"),
        "points": _("%(count)s incidents shown one by one"),
        "cells": _("%(count)s incidents, counted in squares of %(metres)s m"),
    }


def _heat_rows(patterns: dict) -> list[dict]:
    most = patterns["heat_max"] or 1
    return [
        {"label": label, "cells": [{"count": count, "alpha": 0.85 * count / most} for count in counts]}
        for label, counts in zip(Weekday.labels, patterns["heat"], strict=True)
    ]


@require_http_methods(["GET", "POST"])
@capability_required(Capability.VIEW_OPERATIONAL_DETAIL)
def report_list(request):
    """The weekly reports asked for (everyone's, newest first); a POST asks for one more."""
    if request.method == "POST":
        form = WeeklyReportForm(request.POST, jurisdictions=jurisdiction_choices())
        if form.is_valid():
            jurisdiction = form.cleaned_data["jurisdiction"]
            weekly_report_request(
                user=request.user,
                jurisdiction=PoliceJurisdiction.objects.get(pk=jurisdiction) if jurisdiction else None,
                week_ending=form.cleaned_data["week_ending"],
            )
            messages.success(request, _("The report is being prepared; it appears below when ready."))
        else:
            messages.error(request, _("Choose a jurisdiction and a day."))
        return redirect("compstat:reports")
    reports = list(weekly_report_list()[:100])
    running = any(not report.is_finished for report in reports)
    return render(request, "compstat/reports.html", {"reports": reports, "running": running})


@require_GET
@capability_required(Capability.VIEW_OPERATIONAL_DETAIL)
def report_print(request):
    """The weekly report as a printable page (the browser's print uses its print stylesheet)."""
    version = data_version_latest()
    form = WeeklyReportForm(request.GET, jurisdictions=jurisdiction_choices())
    if version is None or version.cutoff is None or not form.is_valid():
        raise Http404
    jurisdiction = form.cleaned_data["jurisdiction"]
    context = report_context(
        version=version,
        jurisdiction=get_object_or_404(PoliceJurisdiction, pk=jurisdiction) if jurisdiction else None,
        week_ending=form.cleaned_data["week_ending"],
    )
    return render(request, "compstat/report_page.html", context)


@require_GET
@capability_required(Capability.VIEW_OPERATIONAL_DETAIL)
def report_download(request, pk: int):
    report = get_object_or_404(WeeklyReport, pk=pk, status=WeeklyReport.Status.DONE)
    if not report.file:
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1])
