"""A profile's parts read with the JSON types they must have, and the checks of its reading options (date and
time formats, encodings): each problem said in words that name where it is in the profile."""

import codecs
import json
from datetime import datetime

from django.utils.translation import gettext as _


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


class CheckedParts:
    """The parts of a profile read with their expected JSON types; a part of another type is a problem that names
    where it is (and is read as empty), not an error of the code that reads it."""

    def __init__(self):
        self.problems: list[str] = []

    def object(self, value, where: str) -> dict:
        if value is None or isinstance(value, dict):
            return value or {}
        self.problems.append(
            _('%(where)s must be an object ({"key": value, ...}), not %(value)s')
            % {"where": where, "value": shown(value)}
        )
        return {}

    def objects(self, value, where: str) -> list[dict]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(
                _("%(where)s must be a list ([...]), not %(value)s") % {"where": where, "value": shown(value)}
            )
            return []
        return [self.object(item, f"{where}[{index}]") for index, item in enumerate(value, start=1)]

    def text(self, value, where: str, default: str = "") -> str:
        if value is None:
            return default
        if isinstance(value, str):
            return value
        self.problems.append(
            _('%(where)s must be a text ("..."), not %(value)s') % {"where": where, "value": shown(value)}
        )
        return default

    def texts(self, value, where: str) -> tuple[str, ...]:
        """One text, or a list of texts."""
        if value is None or isinstance(value, str):
            return _as_tuple(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        self.problems.append(
            _("%(where)s must be a text or a list of texts, not %(value)s") % {"where": where, "value": shown(value)}
        )
        return ()

    def flag(self, value, where: str) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        self.problems.append(
            _("%(where)s must be true or false (without quotes), not %(value)s")
            % {"where": where, "value": shown(value)}
        )
        return False


def shown(value) -> str:
    return json.dumps(value, ensure_ascii=False)[:80]


# A moment every format must read back whole: a day past the 12th and an evening time tell day from month and
# 24-hour from 12-hour clocks.
FORMAT_PROBE = datetime(2024, 3, 14, 21, 40)


def format_problem(pattern: str, kind: str) -> str | None:
    """Why `pattern` cannot read a date (day, month and year) or a time (hour and minute), or None."""
    try:
        read = datetime.strptime(FORMAT_PROBE.strftime(pattern), pattern)
    except ValueError as error:  # a directive Python does not know, a stray "%"
        return _("it is not a format of %%-directives such as %%d/%%m/%%Y (%(error)s)") % {"error": error}
    if kind == "date" and read.date() != FORMAT_PROBE.date():
        return _("it does not read a whole date (day, month and year)")
    if kind == "time" and (read.hour, read.minute) != (FORMAT_PROBE.hour, FORMAT_PROBE.minute):
        return _("it does not read a whole time (hour and minutes, 24-hour or with AM/PM)")
    return None


def encoding_problem(encoding: str) -> str | None:
    if encoding == "auto":
        return None
    try:
        codecs.lookup(encoding)
    except LookupError:
        return _("encoding: unknown encoding %(value)s (write auto, or one such as utf-8, cp1252, latin-1, utf-16)") % {
            "value": shown(encoding)
        }
    return None
