"""The arithmetic of a monthly series: rates, exact intervals, rolling 12 months, year on year and year to date.

Pure numpy on month-by-month arrays, so the stored counts and populations give the same figures wherever they
are read (API, pages, exports) and the formulas are tested by hand-computed values. Months are integers
`year * 12 + month - 1` ("month numbers") in the arrays' axis; a series starts at its first month of data.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

PER = 100_000
FULL = 1000  # the coverage of a wholly covered unit and month, in permille


def month_number(value: date) -> int:
    return value.year * 12 + value.month - 1


def month_date(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def month_is_final(*, month: int, cutoff: date | None, settling_days: int) -> bool:
    """A source has sent data (events) past the month's end plus the settling delay."""
    return cutoff is not None and cutoff >= month_date(month + 1) - timedelta(days=1) + timedelta(days=settling_days)


def poisson_interval(counts: np.ndarray, *, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval of a Poisson count: the gamma quantiles, 0 as the lower bound of a zero count.
    Computed once per distinct count: counts repeat a great deal."""
    # Imported here: scipy would cost every process that loads the URLs (every checked command) most of a second.
    from scipy.stats import gamma

    alpha = 1 - confidence
    values, inverse = np.unique(np.asarray(counts, dtype=np.int64), return_inverse=True)
    low = np.where(values > 0, gamma.ppf(alpha / 2, np.maximum(values, 1)), 0.0)
    high = gamma.ppf(1 - alpha / 2, values + 1)
    return low[inverse].reshape(np.shape(counts)), high[inverse].reshape(np.shape(counts))


def rate_per_100k(count, population):
    """Events per 100,000 people; NaN without a population."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            np.asarray(population) > 0, np.asarray(count) / np.asarray(population, dtype=float) * PER, np.nan
        )


def _change(now: np.ndarray, before: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before > 0, (now - before) / before * 100, np.nan)


def _window_sum(values: np.ndarray, width: int) -> np.ndarray:
    """Sum over the last `width` months of each row (NaN until the window is full); NaN inside stays NaN."""
    padded = np.concatenate([np.zeros((values.shape[0], 1)), np.cumsum(values, axis=1)], axis=1)
    sums = np.full(values.shape, np.nan)
    if values.shape[1] >= width:
        sums[:, width - 1 :] = padded[:, width:] - padded[:, :-width]
    return sums


def _year_to_date(values: np.ndarray, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sums from January to each month (NaN until a January is covered), and the same a year before."""
    cumulative = np.cumsum(values, axis=1)
    year_start = np.arange(values.shape[1]) - months % 12  # index of this year's January (negative: not covered)
    before_january = np.where(year_start > 0, cumulative[:, np.maximum(year_start - 1, 0)], 0.0)
    ytd = np.where(year_start >= 0, cumulative - before_january, np.nan)
    ytd_year_before = np.full(values.shape, np.nan)
    ytd_year_before[:, 12:] = ytd[:, :-12]
    return ytd, ytd_year_before


@dataclass
class Spans:
    """Where a figure adds up a month with no data (which it would then understate): the 12 months to date, the same
    month a year before, the year to date and the same period a year before."""

    rolling: np.ndarray
    year_before: np.ndarray
    ytd: np.ndarray
    ytd_year_before: np.ndarray


def spans_without_data(*, no_data: np.ndarray, first_month: int) -> Spans:
    """Spans of series whose arrays start at `first_month`, from their months with no data."""
    missing = np.asarray(no_data, dtype=float)
    year_before = np.zeros(missing.shape, dtype=bool)
    year_before[:, 12:] = missing[:, :-12] > 0
    ytd, ytd_year_before = _year_to_date(missing, first_month + np.arange(missing.shape[1]))
    return Spans(
        rolling=_window_sum(missing, 12) > 0, year_before=year_before, ytd=ytd > 0, ytd_year_before=ytd_year_before > 0
    )


@dataclass
class Derived:
    """Every figure of a block of series sharing one month axis; arrays of shape (series, months)."""

    months: np.ndarray
    count: np.ndarray
    population: np.ndarray
    rate: np.ndarray
    rate_low: np.ndarray
    rate_high: np.ndarray
    annual_rate: np.ndarray
    annual_rate_low: np.ndarray
    annual_rate_high: np.ndarray
    rolling_count: np.ndarray
    rolling_population: np.ndarray
    rolling_rate: np.ndarray
    rolling_rate_low: np.ndarray
    rolling_rate_high: np.ndarray
    count_year_before: np.ndarray
    change_year_before: np.ndarray
    ytd_count: np.ndarray
    ytd_count_year_before: np.ndarray
    change_ytd: np.ndarray
    unstable: np.ndarray


def derive(
    *, counts: np.ndarray, populations: np.ndarray, first_month: int, confidence: float, unstable_below: int
) -> Derived:
    """Figures of series whose arrays all start at `first_month` (a month number).

    - rate: count / population x 100,000 for the month; annualised x 12 (a month is a twelfth of a year).
    - interval: the exact Poisson interval of the count, divided by the same population.
    - rolling: the last 12 months' count over their mean population (an annual rate), from the 12th month on.
    - year before: the same month 12 months earlier; year to date: January to this month, when January is covered;
      the same period a year before, when that January is covered. Changes in %, none when the earlier count is 0.
    """
    counts = np.asarray(counts, dtype=float)
    populations = np.asarray(populations, dtype=float)
    months = first_month + np.arange(counts.shape[1])

    low, high = poisson_interval(counts, confidence=confidence)
    rate = rate_per_100k(counts, populations)
    rate_low, rate_high = rate_per_100k(low, populations), rate_per_100k(high, populations)

    rolling_count = _window_sum(counts, 12)
    rolling_population = _window_sum(populations, 12) / 12
    rolling_low, rolling_high = poisson_interval(np.nan_to_num(rolling_count), confidence=confidence)
    rolling_rate = rate_per_100k(rolling_count, rolling_population)

    count_year_before = np.full(counts.shape, np.nan)
    count_year_before[:, 12:] = counts[:, :-12]

    ytd, ytd_year_before = _year_to_date(counts, months)

    return Derived(
        months=months,
        count=counts,
        population=populations,
        rate=rate,
        rate_low=rate_low,
        rate_high=rate_high,
        annual_rate=rate * 12,
        annual_rate_low=rate_low * 12,
        annual_rate_high=rate_high * 12,
        rolling_count=rolling_count,
        rolling_population=rolling_population,
        rolling_rate=rolling_rate,
        rolling_rate_low=rate_per_100k(np.where(np.isnan(rolling_count), np.nan, rolling_low), rolling_population),
        rolling_rate_high=rate_per_100k(np.where(np.isnan(rolling_count), np.nan, rolling_high), rolling_population),
        count_year_before=count_year_before,
        change_year_before=_change(counts, count_year_before),
        ytd_count=ytd,
        ytd_count_year_before=ytd_year_before,
        change_ytd=_change(ytd, ytd_year_before),
        unstable=counts < unstable_below,
    )


def hidden_derived(hidden: np.ndarray, months: np.ndarray) -> dict[str, np.ndarray]:
    """Which derived figures of each (row, month) are hidden because they would give a hidden month back: the
    12-month count over a hidden month, the year to date since a hidden month of the year, the count a year
    before of a hidden month, and the year to date a year before likewise. `months`: the columns' month numbers."""
    n_months = hidden.shape[1]
    before = np.concatenate([np.zeros((hidden.shape[0], 1), dtype=np.int64), np.cumsum(hidden, axis=1)], axis=1)
    columns = np.arange(n_months)
    january = np.maximum(columns - months % 12, 0)
    rolling = (before[:, columns + 1] - before[:, np.maximum(columns - 11, 0)]) > 0
    year_to_date = (before[:, columns + 1] - before[:, january]) > 0
    year_before = np.zeros_like(hidden, dtype=bool)
    year_before[:, 12:] = hidden[:, :-12]
    year_to_date_before = np.zeros_like(hidden, dtype=bool)
    year_to_date_before[:, 12:] = year_to_date[:, :-12]
    return {
        "rolling_count": rolling,
        "ytd_count": year_to_date,
        "count_year_before": year_before,
        "ytd_count_year_before": year_to_date_before,
    }
