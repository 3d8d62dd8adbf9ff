"""Undercount estimates per stratum (a calendar year in the country or in one department), from a vintage's
overlap patterns, by multiple systems estimation (undercount.py).

Run after each vintage (its own Celery task, or right after it in the command): only strata whose overlap
counts changed since their latest estimate are estimated again, so a vintage that touched one month costs a few
fits. Years the reconciled victims do not cover in full are not estimated: a part year's lists are not closed.
"""

from collections import defaultdict

from django.conf import settings

from . import undercount as mse
from .figures import month_number
from .models import DiscrepancySeries, UndercountEstimate, Vintage
from .selectors import valid_in
from .terms import UnitLevel

STRATUM_LEVELS = (UnitLevel.COUNTRY, UnitLevel.DEPARTMENT)


def _strata_patterns(vintage: Vintage) -> dict[tuple[str, int, str, int], dict[str, int]]:
    """{(level, unit, series, year): {pattern: victims}} for the years each series covers in full."""
    lists = set(settings.INDICATORS_UNDERCOUNT_LISTS)
    strata: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = DiscrepancySeries.objects.filter(
        valid_in(vintage), level__in=STRATUM_LEVELS, series__in=settings.INDICATORS_UNDERCOUNT_SERIES
    )
    for row in rows.only("level", "unit_id", "series", "first_month", "patterns", "pattern_counts"):
        first = month_number(row.first_month)
        for pattern, counts in row.overlap.items():
            kept = "+".join(sorted(lists & set(pattern.split("+"))))
            if not kept:
                continue
            for offset in range(0, len(counts)):
                month = first + offset
                if month % 12 == 0 and offset + 12 <= len(counts):
                    strata[(row.level, row.unit_id, row.series, month // 12)][kept] += sum(counts[offset : offset + 12])
    return {key: dict(patterns) for key, patterns in strata.items()}


def _latest_patterns() -> dict[tuple, dict[str, int]]:
    latest = {}
    for estimate in UndercountEstimate.objects.order_by("vintage_id").only(
        "level", "unit_id", "series", "year", "pattern_counts"
    ):
        latest[(estimate.level, estimate.unit_id, estimate.series, estimate.year)] = estimate.pattern_counts
    return latest


def _row(*, vintage: Vintage, stratum: tuple, patterns: dict[str, int]) -> UndercountEstimate:
    level, unit, series, year = stratum
    result = mse.estimate_population(
        pattern_counts={frozenset(pattern.split("+")): count for pattern, count in patterns.items()},
        lists=settings.INDICATORS_UNDERCOUNT_LISTS,
        criterion=settings.INDICATORS_UNDERCOUNT_CRITERION,
        confidence=settings.INDICATORS_CONFIDENCE,
    )
    estimated = result.status == mse.Status.ESTIMATED
    detail = {
        "method": str(result.method or ""),
        "criterion": str(result.criterion),
        "lists": list(result.lists),
        "assumptions": [{"code": str(item.code), **item.params} for item in result.assumptions],
        "reason_params": result.reason.params if result.reason else {},
        "models": [
            {
                "name": fit.name,
                "parameters": fit.parameters,
                "df": fit.df,
                "deviance": round(fit.deviance, 4),
                "aic": round(fit.aic, 4),
                "bic": round(fit.bic, 4),
                "estimate": round(fit.estimated_total, 1),
            }
            for fit in result.models
        ],
        "excluded": [{"name": model.name, "reason_code": str(model.reason.code)} for model in result.excluded_models],
    }
    return UndercountEstimate(
        vintage=vintage,
        level=level,
        unit_id=unit,
        series=series,
        year=year,
        status=UndercountEstimate.Status.ESTIMATED if estimated else UndercountEstimate.Status.REFUSED,
        observed=result.observed,
        pattern_counts=patterns,
        estimate=result.estimated_total,
        estimate_low=result.interval_low,
        estimate_high=result.interval_high,
        model=result.chosen_model.name if estimated and result.chosen_model else "",
        detail=detail,
        reason_code=str(result.code or ""),
    )


def undercount_update(*, vintage: Vintage) -> int:
    """Estimate every stratum whose overlap counts differ from its latest estimate. Returns how many."""
    latest = _latest_patterns()
    changed = {
        stratum: patterns for stratum, patterns in _strata_patterns(vintage).items() if latest.get(stratum) != patterns
    }
    UndercountEstimate.objects.bulk_create(
        [_row(vintage=vintage, stratum=stratum, patterns=patterns) for stratum, patterns in sorted(changed.items())]
    )
    return len(changed)
