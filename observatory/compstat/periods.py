"""The CompStat periods, all ending at a day (the police data's cut-off unless another is chosen).

Each period is compared with the period of the same length just before it and with the same period a year
earlier. A year earlier is 364 days (52 weeks) for the week to date and the 7 and 28 days, so that weekdays match;
for the year to date it is the same calendar dates (1 January to the same day and month; 29 February reads 28
February).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

YEAR_IN_WEEKS = timedelta(days=364)


@dataclass(frozen=True)
class Span:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def shifted(self, by: timedelta) -> "Span":
        return Span(self.first - by, self.last - by)

    def before(self) -> "Span":
        """The span of the same length that ends the day before this one starts."""
        return self.shifted(timedelta(days=self.days))


@dataclass(frozen=True)
class Period:
    code: str
    label: str
    current: Span
    previous: Span
    last_year: Span


def same_day_last_year(day: date) -> date:
    """The same day and month a year earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def week_to_date(end: date) -> Span:
    return Span(end - timedelta(days=end.weekday()), end)


def last_days(end: date, days: int) -> Span:
    return Span(end - timedelta(days=days - 1), end)


def year_to_date(end: date) -> Span:
    return Span(date(end.year, 1, 1), end)


def compstat_periods(*, end: date) -> list[Period]:
    """Week to date, the last 7 and 28 days and the year to date, each with its two comparisons."""
    periods = []
    for code, label, span in (
        ("week", _("Week to date"), week_to_date(end)),
        ("7d", _("Last 7 days"), last_days(end, 7)),
        ("28d", _("Last 28 days"), last_days(end, 28)),
    ):
        periods.append(Period(code, label, span, span.before(), span.shifted(YEAR_IN_WEEKS)))
    ytd = year_to_date(end)
    periods.append(
        Period(
            "ytd",
            _("Year to date"),
            ytd,
            ytd.before(),
            Span(date(end.year - 1, 1, 1), same_day_last_year(end)),
        )
    )
    return periods


PERIOD_CODES = ("week", "7d", "28d", "ytd")


def period_span(*, code: str, end: date) -> Span:
    """The current span of one period code."""
    return next(period.current for period in compstat_periods(end=end) if period.code == code)
