"""Alerts for commanders, recomputed with every vintage from its counts.

Spike: a month whose count is improbably high for the unit. Expected value: the mean of the previous
INDICATORS_ALERT_HISTORY_MONTHS months (24); test: one-sided exact Poisson, P(X >= observed | expected) below
INDICATORS_ALERT_P_VALUE (0.01), with an excess of at least INDICATORS_ALERT_MIN_EXCESS events so that a unit
with almost no history does not alert on two events. Months before a full history are not tested.

Hidden violence: homicides in the last 12 months fell while missing-person reports, unidentified bodies,
clandestine-grave bodies and undetermined deaths together rose, both against the 12 months before, each change
significant at 5% by the conditional binomial test of two Poisson counts (given the total of the two periods,
the later one is Binomial(total, 1/2) when the rate did not change). The pattern of the 2012 Salvadoran truce.
"""

import numpy as np
from django.conf import settings
from scipy.stats import binom, poisson

from .figures import month_date
from .models import Alert, Vintage
from .table import CountTable
from .terms import ALL, HIDDEN_VIOLENCE_SERIES, RECONCILED, Series, UnitLevel

HIDDEN_VIOLENCE_SIGNIFICANCE = 0.05
HIDDEN_VIOLENCE_LEVELS = (UnitLevel.COUNTRY, UnitLevel.DEPARTMENT, UnitLevel.MUNICIPALITY)
SPIKE_BASES = ("police", RECONCILED)


def _covered(table: CountTable, basis: str) -> tuple[int, int] | None:
    coverage = table.coverage.get(basis)
    if coverage is None:
        return None
    return coverage[0] - table.first_month, coverage[1] - table.first_month + 1


def spikes(*, counts: np.ndarray, history: int, p_value: float, min_excess: int) -> tuple[np.ndarray, ...]:
    """(row, column, observed, expected, p) of every spike in a (series, months) count matrix."""
    if counts.shape[1] <= history:
        return (np.array([], dtype=int),) * 2 + (np.array([]),) * 3
    cumulative = np.concatenate([np.zeros((counts.shape[0], 1)), np.cumsum(counts, axis=1)], axis=1)
    expected = (cumulative[:, history:-1] - cumulative[:, : -history - 1]) / history
    observed = counts[:, history:]
    probability = poisson.sf(observed - 1, expected)
    flagged = (probability < p_value) & (observed - expected >= min_excess)
    rows, columns = np.nonzero(flagged)
    return (rows, columns + history, observed[rows, columns], expected[rows, columns], probability[rows, columns])


def hidden_violence(*, homicides: np.ndarray, hidden: np.ndarray, significance: float) -> tuple[np.ndarray, ...]:
    """(row, column, p_fall, p_rise, sums) where homicides fell and hidden-violence series rose, year on year."""

    def halves(counts):
        cumulative = np.concatenate([np.zeros((counts.shape[0], 1)), np.cumsum(counts, axis=1)], axis=1)
        now = cumulative[:, 24:] - cumulative[:, 12:-12]
        before = cumulative[:, 12:-12] - cumulative[:, :-24]
        return before, now

    if homicides.shape[1] < 24:
        return (np.array([], dtype=int),) * 2 + (np.array([]),) * 2 + ({},)
    homicides_before, homicides_now = halves(homicides)
    hidden_before, hidden_now = halves(hidden)
    p_fall = binom.cdf(homicides_now, homicides_before + homicides_now, 0.5)
    p_rise = binom.sf(hidden_now - 1, hidden_before + hidden_now, 0.5)
    flagged = (
        (homicides_now < homicides_before)
        & (hidden_now > hidden_before)
        & (p_fall < significance)
        & (p_rise < significance)
    )
    rows, columns = np.nonzero(flagged)
    sums = {
        "homicides_before": homicides_before[rows, columns],
        "homicides_now": homicides_now[rows, columns],
        "hidden_before": hidden_before[rows, columns],
        "hidden_now": hidden_now[rows, columns],
    }
    return rows, columns + 23, p_fall[rows, columns], p_rise[rows, columns], sums


def _spike_alerts(table: CountTable, vintage: Vintage) -> list[Alert]:
    alerts, unit_ids = [], table.keys["unit_id"].to_numpy()
    for basis in SPIKE_BASES:
        span = _covered(table, basis)
        if span is None:
            continue
        for series in settings.INDICATORS_ALERT_SERIES:
            rows = table.rows(level=UnitLevel.MUNICIPALITY, series=series, basis=basis, sex=ALL, age_band=ALL)
            found = spikes(
                counts=table.counts[rows, span[0] : span[1]],
                history=settings.INDICATORS_ALERT_HISTORY_MONTHS,
                p_value=settings.INDICATORS_ALERT_P_VALUE,
                min_excess=settings.INDICATORS_ALERT_MIN_EXCESS,
            )
            for row, column, observed, expected, probability in zip(*found, strict=True):
                alerts.append(
                    Alert(
                        vintage=vintage,
                        kind=Alert.Kind.SPIKE,
                        level=UnitLevel.MUNICIPALITY,
                        unit_id=int(unit_ids[rows[row]]),
                        series=series,
                        basis=basis,
                        month=month_date(table.first_month + span[0] + int(column)),
                        observed=float(observed),
                        expected=round(float(expected), 3),
                        p_value=float(probability),
                        detail={"history_months": settings.INDICATORS_ALERT_HISTORY_MONTHS},
                    )
                )
    return alerts


def _hidden_violence_alerts(table: CountTable, vintage: Vintage) -> list[Alert]:
    span = _covered(table, RECONCILED)
    if span is None:
        return []
    alerts, unit_ids = [], table.keys["unit_id"].to_numpy()
    for level in HIDDEN_VIOLENCE_LEVELS:
        homicide_rows = table.rows(level=level, series=Series.HOMICIDE, basis=RECONCILED, sex=ALL, age_band=ALL)
        units = unit_ids[homicide_rows]
        hidden = np.zeros((len(units), span[1] - span[0]), dtype=np.int64)
        position = {unit: index for index, unit in enumerate(units)}
        for series in HIDDEN_VIOLENCE_SERIES:
            rows = table.rows(level=level, series=series, basis=RECONCILED, sex=ALL, age_band=ALL)
            indexes = np.array([position.get(unit, -1) for unit in unit_ids[rows]], dtype=np.int64)
            np.add.at(hidden, indexes[indexes >= 0], table.counts[rows[indexes >= 0], span[0] : span[1]])
        found = hidden_violence(
            homicides=table.counts[homicide_rows, span[0] : span[1]],
            hidden=hidden,
            significance=HIDDEN_VIOLENCE_SIGNIFICANCE,
        )
        rows, columns, p_fall, p_rise, sums = found
        for position_, (row, column) in enumerate(zip(rows, columns, strict=True)):
            alerts.append(
                Alert(
                    vintage=vintage,
                    kind=Alert.Kind.HIDDEN_VIOLENCE,
                    level=level,
                    unit_id=int(units[row]),
                    series=Series.HOMICIDE,
                    basis=RECONCILED,
                    month=month_date(table.first_month + span[0] + int(column)),
                    observed=float(sums["homicides_now"][position_]),
                    expected=float(sums["homicides_before"][position_]),
                    p_value=float(max(p_fall[position_], p_rise[position_])),
                    detail={name: int(values[position_]) for name, values in sums.items()}
                    | {"p_homicides_fell": float(p_fall[position_]), "p_hidden_rose": float(p_rise[position_])},
                )
            )
    return alerts


def _identity(alert: Alert) -> tuple:
    return (
        alert.kind,
        alert.level,
        alert.unit_id,
        alert.month,
        alert.series,
        alert.basis,
        alert.observed,
        alert.expected,
        round(alert.p_value, 12),
    )


def alerts_replace(*, table: CountTable, vintage: Vintage) -> int:
    """The alerts of the vintage's figures replace the earlier ones. An alert that stands keeps the vintage that
    first raised it; one whose figures changed is raised again by this vintage. Returns the number of alerts."""
    alerts = {
        _identity(alert): alert for alert in _spike_alerts(table, vintage) + _hidden_violence_alerts(table, vintage)
    }
    standing = {_identity(alert): alert.pk for alert in Alert.objects.all()}
    Alert.objects.filter(pk__in=[pk for identity, pk in standing.items() if identity not in alerts]).delete()
    Alert.objects.bulk_create(
        [alert for identity, alert in alerts.items() if identity not in standing], batch_size=2000
    )
    return len(alerts)
