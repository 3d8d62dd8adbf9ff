"""The one way the observatory writes CSV for a client: UTF-8, a header row, written in blocks as the rows come,
and every text cell that a spreadsheet would run as a formula given with an apostrophe first (OWASP's CSV injection
advice). Numbers stay numbers: a negative change is a number, not a formula, and so is the text of a plain number
("-12.5"); "-2+3" is a formula.

`csv_blocks` streams; `SafeCsvWriter` is csv.writer with the same cells, for a file or a response written at once.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence

# A text cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same rule as a PostgreSQL regular expression, for CSV that PostgreSQL's COPY writes itself.
FORMULA_START_PATTERN = r"^[=+\-@\t\r]"
BLOCK_BYTES = 256 * 1024
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value) -> object:
    """A value as a CSV cell: nested values as JSON text, None empty, formula-like text neutralised."""
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer's writerow/writerows, every cell through `csv_cell`."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_blocks(*, header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The header and `rows` as UTF-8 CSV, yielded in blocks of about BLOCK_BYTES (not one write per row), so a
    streamed response holds one block in memory whatever the number of rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        if out.tell() >= BLOCK_BYTES:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode()
