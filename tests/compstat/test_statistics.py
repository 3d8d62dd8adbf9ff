from math import comb

import pytest

from observatory.compstat.statistics import poisson_change


def test_ten_against_two_in_equal_periods_is_beyond_chance_at_five_percent():
    # Under no change the current count is Binomial(12, 1/2): P(X >= 10) = (66 + 12 + 1) / 4096, doubled.
    change = poisson_change(current=10, earlier=2, current_days=7, earlier_days=7, alpha=0.05)
    assert change.p_value == pytest.approx(158 / 4096)
    assert change.significant
    assert change.percent == 400.0


def test_six_against_three_is_within_chance():
    # P(X >= 6 | n = 9, 1/2) = (84 + 36 + 9 + 1) / 512, doubled.
    change = poisson_change(current=6, earlier=3, current_days=28, earlier_days=28, alpha=0.05)
    assert change.p_value == pytest.approx(260 / 512)
    assert not change.significant
    assert change.percent == 100.0


def test_unequal_lengths_weigh_the_days():
    # 4 events in 1 day against 4 in 3 days: under no change the current count is Binomial(8, 1/4). Two-sided:
    # the outcomes no likelier than 4 (P = 0.0865) are 4 to 8 (P(0) = 0.1001 is likelier), so p = P(X >= 4).
    change = poisson_change(current=4, earlier=4, current_days=1, earlier_days=3, alpha=0.05)
    tail = sum(comb(8, k) * 3 ** (8 - k) for k in range(4, 9)) / 4**8
    assert change.p_value == pytest.approx(tail)
    assert not change.significant
    assert change.percent == 0.0


def test_no_events_at_all_has_no_test_and_no_percent_from_zero():
    assert poisson_change(current=0, earlier=0, current_days=7, earlier_days=7, alpha=0.05).p_value is None
    assert poisson_change(current=3, earlier=0, current_days=7, earlier_days=7, alpha=0.05).percent is None
