"""The public pages of units: one page per unit (country, department, municipality, colonia, police
jurisdiction), the ranking of a level's units by rate with intervals, and the search by name or alias."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from observatory.csv_stream import SafeCsvWriter
from observatory.geography.models import AdminUnit
from observatory.geography.neighbours import unit_neighbours
from observatory.geography.place_search import place_search
from observatory.indicators.cache_warming import MAP_LEVELS
from observatory.indicators.page_cache import public_page_cached
from observatory.indicators.portal import Period, default_period, map_periods
from observatory.indicators.rankings import WITHIN_LEVEL, rate_ranking
from observatory.indicators.selectors import data_cutoffs, figure_csv_rows, unit_events_in_months, vintage_or_latest
from observatory.indicators.terms import HIDDEN_VIOLENCE_SERIES, RECONCILED, Series, UnitLevel
from observatory.indicators.unit_pages import unit_chart_frame, unit_comparison, unit_of, unit_page

SEARCH_RESULTS = 30
RANKED_LEVELS = (UnitLevel.DEPARTMENT, UnitLevel.MUNICIPALITY, UnitLevel.COLONIA, UnitLevel.JURISDICTION)


def _category(request) -> str:
    asked = request.GET.get("category", "")
    return asked if asked in Series.values else Series.HOMICIDE


def _year(request) -> int | None:
    asked = request.GET.get("year", "")
    return int(asked) if asked.isdigit() and len(asked) == 4 else None


def _api_links(*, level: str, code: str, category: str) -> dict[str, str]:
    """The API calls that return the figures each chart of a unit's page draws."""
    monthly = reverse("api-v1:monthly-series-list")
    unit = f"level={level}&unit={code}"
    return {
        "monthly": f"{monthly}?{unit}&category={category}&basis={RECONCILED}",
        "sources": f"{monthly}?{unit}&category={category}",
        "hidden_violence": f"{reverse('api-v1:hidden-violence-list')}?{unit}&basis={RECONCILED}",
    }


def _series_names(page) -> dict[str, str]:
    """The names the charts' legends give the sources and the series, in the reader's language."""
    if page is None:
        return {}
    return {
        **dict(page.bases),
        **{str(series): str(Series(series).label) for series in (Series.HOMICIDE, *HIDDEN_VIOLENCE_SERIES)},
    }


def _timeline_events(page) -> list[dict]:
    """The events the page's charts mark: the unit's and its ancestors', over the months shown, of every source."""
    if page is None or not page.months:
        return []
    return unit_events_in_months(
        level=page.unit.level,
        unit_id=page.unit.id,
        first_month=page.months[0]["month"],
        last_month=page.months[-1]["month"],
        basis=None,
        language=get_language(),
    )


def _csv_response(rows, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    SafeCsvWriter(response).writerows(rows)
    return response


RANKING_CSV_FIELDS = ("rank", "code", "name", "parent_name", "count", "rate", "rate_low", "rate_high", "unstable")


def _ranking_csv_rows(units: list, *, period: Period) -> list[list]:
    """The ranking as the page lists it, a row per unit; `figure` says rated, withheld, no_rate or no_data."""
    header = ["period", *RANKING_CSV_FIELDS, "status", "figure"]
    return [header] + [
        [period.code, *(getattr(unit, name) for name in RANKING_CSV_FIELDS), unit.status or "", unit.kind]
        for unit in units
    ]


@require_GET
@public_page_cached
def unit_detail(request, level: str, code: str):
    """A unit's figures of a category (homicide unless asked): its years and months with the rate's interval, its
    sources side by side, the hidden-violence panel, the undercount, its neighbours and its parent. With
    `format=csv&chart=...`, the figures one chart draws."""
    unit = unit_of(level=level, code=code)
    if unit is None:
        raise Http404(_("No such unit."))
    vintage = vintage_or_latest(None)
    category = _category(request)
    page = unit_page(vintage=vintage, unit=unit, category=category, year=_year(request)) if vintage else None
    if request.GET.get("format") == "csv":
        frame = unit_chart_frame(page, request.GET.get("chart", "")) if page else None
        if frame is None:
            raise Http404(_("No such chart."))
        return _csv_response(figure_csv_rows(frame), f"{category}-{level}-{code}-{request.GET.get('chart')}.csv")
    neighbours = unit_neighbours(level=level, unit_id=unit.id)
    comparison = (
        unit_comparison(vintage=vintage, unit=unit, neighbours=neighbours, category=category, year=page.year)
        if page and page.year
        else []
    )
    return render(
        request,
        "dashboards/unit.html",
        {
            "unit": unit,
            "level_name": UnitLevel(level).label,
            "parent_level_name": UnitLevel(unit.parent.level).label if unit.parent else "",
            "vintage": vintage,
            "page": page,
            "category": category,
            "category_name": Series(category).label,
            "categories": Series.choices,
            "series_names": _series_names(page),
            "comparison": comparison,
            "timeline_events": _timeline_events(page),
            "ranked_level": level in RANKED_LEVELS,
            "api": _api_links(level=level, code=code, category=category),
            "cutoffs": data_cutoffs(vintage=vintage) if vintage else [],
            "unstable_below": settings.INDICATORS_UNSTABLE_BELOW,
        },
    )


def _within_choices(level: str) -> list[tuple[str, str]]:
    """The units of the level above that a ranking can be narrowed to (departments, or municipalities that have
    colonias)."""
    if level not in WITHIN_LEVEL:
        return []
    units = AdminUnit.objects.filter(level=WITHIN_LEVEL[level], children__level=level).distinct()
    return list(units.order_by("name").values_list("code", "name"))


@require_GET
@public_page_cached
def ranking(request, level: str):
    """The units of a level by rate over a year or 12 months, with intervals (municipalities of one department
    with `within`); with `format=csv`, the same rows as CSV."""
    if level not in RANKED_LEVELS:
        raise Http404(_("No ranking at this level."))
    vintage = vintage_or_latest(None)
    category = _category(request)
    periods = map_periods(vintage=vintage, category=category) if vintage else []
    asked = Period.parse(request.GET.get("period", ""))
    period = asked if asked in {option.period for option in periods} else default_period(periods)
    within_choices = _within_choices(level)
    within = request.GET.get("within", "")
    within = within if within in dict(within_choices) else ""
    units = (
        rate_ranking(vintage=vintage, level=level, category=category, period=period, within=within or None)
        if period
        else []
    )
    if request.GET.get("format") == "csv" and period:
        name = f"{category}-{level}-ranking-{period.code}{'-' + within if within else ''}.csv"
        return _csv_response(_ranking_csv_rows(units, period=period), name)
    return render(
        request,
        "dashboards/ranking.html",
        {
            "vintage": vintage,
            "level": level,
            "level_name": UnitLevel(level).label,
            "levels": [(value, UnitLevel(value).label) for value in RANKED_LEVELS],
            "category": category,
            "category_name": Series(category).label,
            "categories": Series.choices,
            "periods": periods,
            "period": period,
            "within": within,
            "within_choices": within_choices,
            "units": units,
            "rated": sum(unit.kind == "rated" for unit in units),
            "unstable_below": settings.INDICATORS_UNSTABLE_BELOW,
            "cutoffs": data_cutoffs(vintage=vintage) if vintage else [],
            "api_url": _ranking_api_url(level=level, category=category, period=period),
        },
    )


def _ranking_api_url(*, level: str, category: str, period: Period | None) -> str:
    """The API call returning the ranking's figures: the map's for the levels it draws, else the monthly series
    (whose 12-month figures at the period's last month are the ranking's)."""
    if level in MAP_LEVELS:
        query = f"level={level}&category={category}&basis={RECONCILED}" + (f"&period={period.code}" if period else "")
        return f"{reverse('api-v1:choropleth-list')}?{query}"
    return f"{reverse('api-v1:monthly-series-list')}?level={level}&category={category}&basis={RECONCILED}"


@require_GET
def search(request):
    """Units by name or alias; straight to the unit's page when only one matches."""
    text = request.GET.get("q", "").strip()
    matches = place_search(text=text, limit=SEARCH_RESULTS) if text else []
    if len(matches) == 1:
        return redirect("dashboards:unit", level=matches[0].level, code=matches[0].code)
    levels = dict(UnitLevel.choices)
    return render(
        request,
        "dashboards/search.html",
        {"query": text, "matches": [(match, levels.get(match.level, match.level)) for match in matches]},
    )
