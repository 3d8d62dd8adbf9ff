"""Whether a count's change is beyond chance: the conditional test of two Poisson counts.

Given both counts, under an unchanged daily rate the current count is Binomial(total, share of the days that are
current); the exact two-sided binomial test (scipy.stats.binomtest) gives the p-value. With equal lengths the share
is one half.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    current: int
    earlier: int
    percent: float | None
    p_value: float | None
    significant: bool


def poisson_change(*, current: int, earlier: int, current_days: int, earlier_days: int, alpha: float) -> Change:
    # Here, not at the top: scipy is heavy and the web process must not load it at start-up.
    from scipy.stats import binomtest

    percent = round(100 * (current - earlier) / earlier, 1) if earlier else None
    total = current + earlier
    if total == 0:
        return Change(current, earlier, percent, None, False)
    share = current_days / (current_days + earlier_days)
    p_value = float(binomtest(current, total, share, alternative="two-sided").pvalue)
    return Change(current, earlier, percent, p_value, p_value < alpha)
