"""The arithmetic of a series against values computed by hand."""

from datetime import date

import numpy as np
import pytest

from observatory.indicators.figures import derive, month_number, poisson_interval


def test_exact_poisson_interval_matches_the_published_tables():
    # Garwood (1936) 95% limits, as tabulated (e.g. Ulm 1990): 0 -> [0, 3.689]; 1 -> [0.0253, 5.572];
    # 10 -> [4.795, 18.39]; 20 -> [12.22, 30.89].
    low, high = poisson_interval(np.array([0, 1, 10, 20]), confidence=0.95)
    assert low == pytest.approx([0, 0.0253, 4.7954, 12.2165], abs=1e-3)
    assert high == pytest.approx([3.6889, 5.5716, 18.3904, 30.8884], abs=1e-3)


def test_rates_rolling_year_on_year_and_year_to_date_by_hand():
    counts = np.array([np.arange(1, 26)])  # January 2020: 1, February: 2, ..., January 2022: 25
    populations = np.full((1, 25), 120_000.0)
    figures = derive(
        counts=counts,
        populations=populations,
        first_month=month_number(date(2020, 1, 1)),
        confidence=0.95,
        unstable_below=20,
    )
    assert figures.rate[0, 0] == pytest.approx(1 / 120_000 * 100_000)  # 0.8333 per 100,000 in January
    assert figures.annual_rate[0, 0] == pytest.approx(10.0)  # x 12
    low, high = poisson_interval(np.array([1]), confidence=0.95)
    assert figures.rate_low[0, 0] == pytest.approx(low[0] / 120_000 * 100_000)
    assert figures.rate_high[0, 0] == pytest.approx(high[0] / 120_000 * 100_000)
    # Rolling 12 months: none before December 2020; in December 1 + ... + 12 = 78, a rate of 65 per 100,000.
    assert np.isnan(figures.rolling_count[0, 10])
    assert figures.rolling_count[0, 11] == 78 and figures.rolling_rate[0, 11] == pytest.approx(65.0)
    assert figures.rolling_count[0, 12] == 78 - 1 + 13
    # Year on year: January 2021 (13) against January 2020 (1) is +1,200%.
    assert np.isnan(figures.count_year_before[0, 11])
    assert figures.count_year_before[0, 12] == 1 and figures.change_year_before[0, 12] == pytest.approx(1200.0)
    # Year to date: February 2021 is 13 + 14 = 27 against 1 + 2 = 3 in 2020: +800%.
    assert figures.ytd_count[0, 13] == 27 and figures.ytd_count_year_before[0, 13] == 3
    assert figures.change_ytd[0, 13] == pytest.approx(800.0)
    assert figures.ytd_count[0, 11] == 78 and np.isnan(figures.ytd_count_year_before[0, 11])
    # Unstable below 20 events.
    assert figures.unstable[0, 18] and not figures.unstable[0, 19]


def test_a_series_starting_mid_year_has_no_year_to_date_until_january():
    counts = np.ones((1, 14))
    figures = derive(
        counts=counts,
        populations=np.full((1, 14), np.nan),
        first_month=month_number(date(2020, 3, 1)),
        confidence=0.95,
        unstable_below=20,
    )
    assert np.isnan(figures.ytd_count[0, :10]).all()  # March to December 2020: January 2020 not covered
    assert figures.ytd_count[0, 10] == 1  # January 2021
    assert np.isnan(figures.rate).all()  # no population, no rate
    assert figures.change_year_before[0, 12] == 0.0  # March 2021 against March 2020: 1 vs 1
