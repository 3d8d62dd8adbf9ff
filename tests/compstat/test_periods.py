from datetime import date, timedelta

from observatory.compstat.periods import Span, compstat_periods, same_day_last_year


def _periods(end: date) -> dict:
    return {period.code: period for period in compstat_periods(end=end)}


def test_the_periods_ending_on_a_wednesday_and_their_comparisons():
    periods = _periods(date(2024, 3, 6))
    assert periods["week"].current == Span(date(2024, 3, 4), date(2024, 3, 6))
    assert periods["week"].previous == Span(date(2024, 3, 1), date(2024, 3, 3))
    assert periods["week"].last_year == Span(date(2023, 3, 6), date(2023, 3, 8))  # Monday to Wednesday again
    assert periods["7d"].current == Span(date(2024, 2, 29), date(2024, 3, 6))
    assert periods["7d"].previous == Span(date(2024, 2, 22), date(2024, 2, 28))
    assert periods["28d"].current == Span(date(2024, 2, 8), date(2024, 3, 6))
    assert periods["28d"].previous == Span(date(2024, 1, 11), date(2024, 2, 7))
    assert periods["28d"].last_year == Span(date(2023, 2, 9), date(2023, 3, 8))
    assert periods["ytd"].current == Span(date(2024, 1, 1), date(2024, 3, 6))
    assert periods["ytd"].previous == Span(date(2023, 10, 27), date(2023, 12, 31))
    assert periods["ytd"].last_year == Span(date(2023, 1, 1), date(2023, 3, 6))


def test_every_comparison_but_the_year_to_date_a_year_ago_has_the_same_length_and_weekdays():
    for end in (date(2024, 2, 29), date(2025, 3, 1), date(2024, 1, 1), date(2023, 12, 31)):
        for period in compstat_periods(end=end):
            assert period.previous.days == period.current.days
            assert period.previous.last == period.current.first - timedelta(days=1)
            if period.code != "ytd":
                assert period.last_year.days == period.current.days
                assert period.last_year.first.weekday() == period.current.first.weekday()


def test_a_week_to_date_on_a_monday_is_one_day_and_on_a_sunday_seven():
    assert _periods(date(2024, 3, 4))["week"].current.days == 1
    assert _periods(date(2024, 3, 10))["week"].current == Span(date(2024, 3, 4), date(2024, 3, 10))


def test_the_year_to_date_of_29_february_compares_with_28_february_a_year_earlier():
    periods = _periods(date(2024, 2, 29))
    assert periods["ytd"].current.days == 60
    assert periods["ytd"].last_year == Span(date(2023, 1, 1), date(2023, 2, 28))
    assert same_day_last_year(date(2024, 2, 29)) == date(2023, 2, 28)
    assert same_day_last_year(date(2025, 3, 1)) == date(2024, 3, 1)


def test_the_year_to_date_after_a_leap_february_a_year_on_holds_one_day_more():
    periods = _periods(date(2025, 3, 1))
    assert periods["ytd"].current.days == 60
    assert periods["ytd"].last_year == Span(date(2024, 1, 1), date(2024, 3, 1))
    assert periods["ytd"].last_year.days == 61


def test_periods_at_new_year_reach_back_into_the_previous_year():
    periods = _periods(date(2024, 1, 2))
    assert periods["ytd"].current == Span(date(2024, 1, 1), date(2024, 1, 2))
    assert periods["ytd"].previous == Span(date(2023, 12, 30), date(2023, 12, 31))
    assert periods["28d"].current == Span(date(2023, 12, 6), date(2024, 1, 2))
