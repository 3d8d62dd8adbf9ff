from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability
from observatory.accounts.selectors import audit_event_list
from observatory.geography.models import Level
from observatory.geography.selectors import demo_populations_exist
from observatory.indicators.page_cache import public_page_cached
from observatory.indicators.portal import Period, default_period, headline_figures, map_periods
from observatory.indicators.selectors import coverage_report, data_cutoffs, vintage_or_latest
from observatory.indicators.terms import Series
from observatory.reconciliation.public_summary import linkage_summary

AUDIT_EVENTS_PER_PAGE = 50


@require_GET
@public_page_cached
def home(request):
    """The public portal: the country's headline figures of its latest complete month and year, and the map of the
    municipalities' homicide rates for a period (the latest complete year unless the address names another)."""
    vintage = vintage_or_latest(None)
    periods = map_periods(vintage=vintage) if vintage else []
    asked = Period.parse(request.GET.get("period", ""))
    period = asked if asked in {option.period for option in periods} else default_period(periods)
    return render(
        request,
        "dashboards/home.html",
        {
            "vintage": vintage,
            "headline": headline_figures(vintage=vintage) if vintage else None,
            "periods": periods,
            "period": period,
            "cutoffs": data_cutoffs(vintage=vintage) if vintage else [],
            "demo_populations": demo_populations_exist(),
            "unstable_below": settings.INDICATORS_UNSTABLE_BELOW,
            "tile_url": settings.PORTAL_MAP_TILE_URL,
            "tile_attribution": settings.PORTAL_MAP_TILE_ATTRIBUTION,
        },
    )


@require_GET
def geography(request):
    """The geography the figures are published on: departments, municipalities, demo colonias and police
    jurisdictions, with their codes and populations."""
    return render(request, "dashboards/geography.html", {"levels": Level})


@require_GET
@public_page_cached
def methodology(request):
    """How every published figure is made, with the settings and the latest measures of this site."""
    # Here, not above: the estimator loads scipy, which loading the URLs must not.
    from observatory.indicators.undercount import MIN_OBSERVED

    vintage = vintage_or_latest(None)
    return render(
        request,
        "dashboards/methodology.html",
        {
            "vintage": vintage,
            "sources": coverage_report(vintage=vintage) if vintage else [],
            "linkage": linkage_summary(),
            "confidence": round(settings.INDICATORS_CONFIDENCE * 100),
            "unstable_below": settings.INDICATORS_UNSTABLE_BELOW,
            "settling_days": settings.INDICATORS_SETTLING_DAYS,
            "silent_months": settings.INDICATORS_SILENT_MONTHS,
            "suppress_below": settings.INDICATORS_SUPPRESS_BELOW,
            "small_up_to": settings.INDICATORS_SUPPRESS_BELOW - 1,
            "minor_age": settings.INDICATORS_MINOR_AGE,
            "suppressed_series": ", ".join(
                str(Series(code).label).lower() for code in settings.INDICATORS_SUPPRESSED_SERIES
            ),
            "match_threshold": settings.RECONCILIATION_MATCH_THRESHOLD,
            "review_threshold": settings.RECONCILIATION_REVIEW_THRESHOLD,
            "undercount_min_victims": MIN_OBSERVED,
            "undercount_criterion": settings.INDICATORS_UNDERCOUNT_CRITERION.upper(),
        },
    )


@require_GET
@capability_required(Capability.VIEW_AUDIT_LOG)
def audit_log(request):
    events = audit_event_list(action=request.GET.get("action") or None)
    page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboards/audit_log.html", {"page": page, "action": request.GET.get("action", "")})
