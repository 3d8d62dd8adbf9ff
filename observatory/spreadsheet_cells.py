"""CSV cells a spreadsheet would run as a formula, neutralised: the one CSV writer every export uses.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets (`=HYPERLINK(...)` from an uploaded row would reach the analyst's screen as a live link): it is written
with an apostrophe first, which the spreadsheet shows as text. Plain numbers ("-12.5") are left as they are.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same rule for PostgreSQL's regular expressions, where a COPY writes the CSV itself.
FORMULA_START_PATTERN = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer's writerow/writerows, every cell through `spreadsheet_safe`."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([spreadsheet_safe(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
