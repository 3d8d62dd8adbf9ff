"""Daily alerts for commanders, recomputed after every police import.

For each police jurisdiction and category: the count of the last DAILY_ALERT_WINDOW_DAYS days (28) ending at the
police data's cut-off, against the expected count, the daily mean of the DAILY_ALERT_HISTORY_DAYS days (365) before
the window times its length. Flagged when P(X >= observed) for X Poisson with that mean is below
DAILY_ALERT_P_VALUE (0.01) and the excess over the expected count is at least DAILY_ALERT_MIN_EXCESS (3) events.
"""

from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from scipy.stats import poisson

from .coverage import source_cutoffs
from .models import DailyAlert


def daily_spikes(
    *, observed: np.ndarray, history: np.ndarray, window_days: int, history_days: int, p_value: float, min_excess: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(flagged, expected, p) for arrays of window and history counts."""
    expected = history * window_days / history_days
    probability = poisson.sf(observed - 1, expected)
    return (probability < p_value) & (observed - expected >= min_excess), expected, probability


def _counts(*, source: str, window_first: date, history_first: date, last: date) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.jurisdiction_id, r.category,
                   count(*) FILTER (WHERE coalesce(r.event_date, r.death_date) >= %(window_first)s),
                   count(*) FILTER (WHERE coalesce(r.event_date, r.death_date) < %(window_first)s)
            FROM records_sourcerecord r
            WHERE r.source_id = %(source)s AND r.jurisdiction_id IS NOT NULL AND r.category <> ''
              AND coalesce(r.event_date, r.death_date) BETWEEN %(history_first)s AND %(last)s
            GROUP BY 1, 2
            """,
            {"source": source, "window_first": window_first, "history_first": history_first, "last": last},
        )
        return cursor.fetchall()


def daily_alerts_replace() -> int:
    """The alerts of the window ending at the police cut-off replace that window's earlier ones; an alert that
    stands keeps the moment it was first raised. Returns the number of alerts of the window."""
    source = settings.COMPSTAT_POLICE_SOURCE
    cutoff = source_cutoffs(sources=[source], today=timezone.localdate()).get(source)
    if cutoff is None:
        return 0
    last = date.fromisoformat(cutoff)
    window, history = settings.DAILY_ALERT_WINDOW_DAYS, settings.DAILY_ALERT_HISTORY_DAYS
    window_first = last - timedelta(days=window - 1)
    rows = _counts(
        source=source, window_first=window_first, history_first=window_first - timedelta(days=history), last=last
    )
    if not rows:
        return 0
    flagged, expected, probability = daily_spikes(
        observed=np.array([row[2] for row in rows]),
        history=np.array([row[3] for row in rows]),
        window_days=window,
        history_days=history,
        p_value=settings.DAILY_ALERT_P_VALUE,
        min_excess=settings.DAILY_ALERT_MIN_EXCESS,
    )
    alerts = {
        (int(rows[n][0]), rows[n][1]): (int(rows[n][2]), round(float(expected[n]), 3), float(probability[n]))
        for n in np.flatnonzero(flagged)
    }
    with transaction.atomic():
        DailyAlert.objects.filter(window_last=last).exclude(
            pk__in=[
                pk
                for pk, jurisdiction, category in DailyAlert.objects.filter(window_last=last).values_list(
                    "pk", "jurisdiction_id", "category"
                )
                if (jurisdiction, category) in alerts
            ]
        ).delete()
        for (jurisdiction, category), (observed, mean, p) in alerts.items():
            DailyAlert.objects.update_or_create(
                jurisdiction_id=jurisdiction,
                category=category,
                window_last=last,
                defaults={"window_first": window_first, "observed": observed, "expected": mean, "p_value": p},
            )
    return len(alerts)
