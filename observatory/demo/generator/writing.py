"""Writing a source's rows as its CSV file, with the defects of hand-kept systems."""

import calendar
import re
from typing import TextIO

import numpy as np

from .drawing import text_random
from .layouts import FileLayout

DEFECTS = (
    "impossible_date",
    "future_date",
    "unknown_value",
    "trailing_spaces",
    "blank_line",
    "empty_row",
    "trailing_separator",
)
UNKNOWN_VALUES = ("SE IGNORA", "ND", "-", "SIN DATO")
_DAY_MONTH_YEAR = re.compile(r"^(\d{2})/(\d{2})/(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _date_impossible(text: str) -> str:
    """The day after the month's last (31/04/2024, 30/02/2024, 32/01/2024), in the text's own format."""
    if found := _DAY_MONTH_YEAR.match(text):
        year, month, rest = int(found[3]), int(found[2]), text[found.end() :]
        return f"{calendar.monthrange(year, month)[1] + 1:02d}/{month:02d}/{year}{rest}"
    found = _YEAR_MONTH_DAY.match(text)
    year, month, rest = int(found[1]), int(found[2]), text[found.end() :]
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1] + 1:02d}{rest}"


def _date_in_future(text: str) -> str:
    """The decade mistyped: 2024 becomes 2034."""
    year = re.search(r"\d{4}", text)[0]
    return text.replace(year, str(int(year) + 10), 1)


Table = dict[str, np.ndarray]  # a file's rows as one array of texts per column, in the layout's order


def rows_table(rows: list[dict], layout: FileLayout) -> Table:
    return {column: np.array([row[column] for row in rows], dtype=object) for column in layout.columns}


def _defects_apply(*, table: Table, layout: FileLayout, rate: float, rng: np.random.Generator) -> dict[int, str]:
    """Spoil about `rate` of the rows as hand-kept systems do, never their record id; the defects of whole lines
    (a blank line or an empty row before the row, a trailing separator) are returned by row position."""
    text_rng = text_random(rng)
    line_defects = {}
    for position in np.flatnonzero(rng.random(len(table[layout.columns[0]])) < rate):
        defect = text_rng.choice(DEFECTS)
        if defect in ("blank_line", "empty_row", "trailing_separator"):
            line_defects[int(position)] = defect
            continue
        if defect == "unknown_value":
            column = text_rng.choice(layout.term_columns)
            value = text_rng.choice(UNKNOWN_VALUES)
        elif defect == "trailing_spaces":
            column = text_rng.choice(layout.text_columns)
            value = table[column][position] + "  "
        else:
            column = text_rng.choice(layout.date_columns)
            value = table[column][position]
            if not value:
                continue
            value = _date_impossible(value) if defect == "impossible_date" else _date_in_future(value)
        table[column][position] = value
    return line_defects


def _csv_lines(table: Table, *, separator: str) -> list[str]:
    """The rows as CSV lines, a field quoted only when it holds the separator or a quote, as csv.writer does."""
    fields = []
    for values in table.values():
        column_text = "\0".join(values)
        if separator in column_text or '"' in column_text:
            values = [_quoted(value) if separator in value or '"' in value else value for value in values]
        fields.append(values)
    return list(map(separator.join, zip(*fields, strict=False)))


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def header_write(handle: TextIO, layout: FileLayout) -> None:
    handle.write(layout.separator.join(layout.columns) + layout.line_end)


def rows_write(*, handle: TextIO, table: Table, layout: FileLayout, rate: float, rng: np.random.Generator) -> None:
    line_defects = _defects_apply(table=table, layout=layout, rate=rate, rng=rng)
    lines = _csv_lines(table, separator=layout.separator)
    for position, defect in line_defects.items():
        if defect == "trailing_separator":
            lines[position] += layout.separator
        elif defect == "blank_line":
            lines[position] = layout.line_end + lines[position]
        else:
            lines[position] = layout.separator * (len(layout.columns) - 1) + layout.line_end + lines[position]
    handle.writelines(line + layout.line_end for line in lines)
