"""The calendar of the simulation: days counted from 1970, minutes within a day, and how dates are written."""

from datetime import date, datetime, timedelta

import numpy as np

DEFAULT_START_YEAR = 2022
DEFAULT_YEARS = 3
MINUTES_PER_DAY = 1440
EPOCH = date(1970, 1, 1)


def period(*, start_year: int, years: int) -> tuple[int, int]:
    first = date(start_year, 1, 1)
    return (first - EPOCH).days, (date(start_year + years, 1, 1) - first).days


def years_of(days: np.ndarray) -> np.ndarray:
    return (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype("datetime64[Y]").astype(int) + 1970


def day_text(day: int, pattern: str) -> str:
    return (EPOCH + timedelta(days=int(day))).strftime(pattern)


def timestamp_text(minute: int) -> str:
    return (datetime(1970, 1, 1) + timedelta(minutes=int(minute))).strftime("%Y-%m-%dT%H:%M:%S")


def days_text(days: np.ndarray, pattern: str) -> np.ndarray:
    distinct, inverse = np.unique(days, return_inverse=True)
    return np.array([day_text(day, pattern) for day in distinct], dtype=object)[inverse]
