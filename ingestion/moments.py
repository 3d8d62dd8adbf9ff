"""Dates and times as partners write them: in the profile's formats first, then in the forms that cannot be
misread whatever the profile says (a date with the time a datetime export adds, ISO 8601, the profile's own order
of day, month and year with other separators or a two-digit year; 9:40 p.m., 21.40, 21h40, 2140, 21:40 hrs). A
timestamp with its UTC offset ("2024-03-15T05:55:00Z") is read as the observatory's local date and time.

Each is tried once per distinct value (the normaliser spreads the result over the rows)."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

DATE_SEPARATORS = ("/", "-", ".")
ISO_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
# The time part of a datetime after its date: " 00:00:00", " 0:00", "T21:40:00.000", " 9:40 p. m.".
TRAILING_TIME = re.compile(
    r"(?:\s+|T)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?\s*(?:[ap]\.?\s*m\.?)?\s*$", re.IGNORECASE
)
LEADING_DATE = re.compile(r"^\S*\d[/.-]\d+[/.-]\d+\S*\s+")
TIME_WORDS = re.compile(r"\s*(?:horas|hrs|hr|h)\.?\s*$", re.IGNORECASE)
TWELVE_HOUR = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?", re.IGNORECASE)
TWENTY_FOUR_HOUR = re.compile(r"(\d{1,2})[:.h](\d{2})(?::(\d{2}))?|(\d{2})(\d{2})", re.IGNORECASE)


# No date or time is written in more characters; longer values are not searched for one (patterns with spaces or
# separators in them slow down on long strings of them: a value of 20,000 spaces took seconds).
LONGEST_MOMENT = 40
UTC_OFFSET = re.compile(r"\d(?:Z|[+-]\d{2}(?::?\d{2})?)$")


def _local(value: str) -> datetime | None:
    """An ISO 8601 timestamp with its UTC offset, in the observatory's time zone: the date and time it was there."""
    if not UTC_OFFSET.search(value):
        return None
    try:
        moment = datetime.fromisoformat(value)
        return moment.astimezone(ZoneInfo(settings.TIME_ZONE)) if moment.tzinfo else None
    except (ValueError, OverflowError):  # not a timestamp, or one at the ends of the calendar ("0001-01-01T00:00Z")
        return None


def _first_read(value: str, patterns: list[str] | tuple[str, ...]) -> datetime | None:
    for pattern in patterns:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    return None


def _other_date_formats(formats: tuple[str, ...]) -> list[str]:
    """The profile's formats with other separators and two-digit years, then ISO 8601: the same order of day,
    month and year, so "14-03-2024" cannot be read as anything but what "14/03/2024" means."""
    others = [
        pattern.replace(separator, other)
        for pattern in formats
        for separator in DATE_SEPARATORS
        if separator in pattern
        for other in DATE_SEPARATORS
        if other != separator
    ]
    spelled = [*formats, *others]
    return [*others, *(pattern.replace("%Y", "%y") for pattern in spelled if "%Y" in pattern), *ISO_DATE_FORMATS]


def moment_read(value: str, *, kind: str, formats: tuple[str, ...]) -> tuple[date | time | None, bool]:
    """The date (`kind` "date") or time of day ("time"), and whether it was written in a form the profile does not
    list."""
    written = _first_read(value, formats)
    if written is not None:
        return _part(written, kind), False
    if len(value) > LONGEST_MOMENT:
        return None, False
    if (local := _local(value)) is not None:
        return _part(local, kind), True
    other = _date_in_other_forms(value, formats) if kind == "date" else _time_in_other_forms(value)
    return other, other is not None


def _part(moment: datetime, kind: str) -> date | time:
    return moment.date() if kind == "date" else moment.time()


def _date_in_other_forms(value: str, formats: tuple[str, ...]) -> date | None:
    without_time = TRAILING_TIME.sub("", value)
    other = _first_read(without_time, [*formats, *_other_date_formats(formats)]) if without_time else None
    return other.date() if other is not None else None


def _time_in_other_forms(value: str) -> time | None:
    text = TIME_WORDS.sub("", LEADING_DATE.sub("", value.strip()))
    if match := TWELVE_HOUR.fullmatch(text):
        hour, minute, second = int(match[1]), int(match[2] or 0), int(match[3] or 0)
        if 1 <= hour <= 12 and minute < 60 and second < 60:
            return time(hour % 12 + (12 if match[4].lower() == "p" else 0), minute, second)
    elif match := TWENTY_FOUR_HOUR.fullmatch(text):
        hour, minute = int(match[1] or match[4]), int(match[2] or match[5])
        second = int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    return None
