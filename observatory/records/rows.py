"""The row as sent, as a record keeps it: one CSV line, in the separator of the file it came from, with quotes
only around the values holding the separator, a quote or a line break (ingestion.row_lines.rows_as_lines writes it).
One text value per row costs a bulk load far less than an array of values: measured on a million-row file, the
arrays took a third of PostgreSQL's work."""

import csv
from collections.abc import Collection, Iterable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

RowLayout = tuple[list[str], str]  # the header and separator a run's lines are written in

# A partner's value may be long (a narrative pasted into an address); the csv module's default limit, 131,072
# characters, would fail a whole file on it.
MAX_FIELD_CHARACTERS = 2**31 - 1


def csv_reader(lines: Iterable[str], separator: str):
    """csv.reader without the default limit on a value's length."""
    csv.field_size_limit(MAX_FIELD_CHARACTERS)
    return csv.reader(lines, delimiter=separator)


def row_values(line: str, separator: str, width: int) -> list[str]:
    """The `width` values of a stored line."""
    values = next(csv_reader([line], separator), [])
    return values + [""] * (width - len(values))


def row_as_sent(line: str, header: list[str], separator: str) -> dict[str, str]:
    """A stored line as {column: value}, read with the header and separator of the run that wrote it (runs from
    before separators were recorded read as ",")."""
    return dict(zip(header, row_values(line, separator or ",", len(header)), strict=False))


class RunLayoutLookup(Protocol):
    def __call__(self, *, run_ids: Collection[int]) -> dict[int, RowLayout]: ...


_run_layouts_lookup: RunLayoutLookup | None = None


def run_layouts_provide(*, lookup: RunLayoutLookup) -> None:
    """Say how to find the layout of the runs that wrote records: the app that writes them (ingestion) calls this
    when it starts, so that the records read their rows as sent without depending on it."""
    global _run_layouts_lookup
    _run_layouts_lookup = lookup


def run_layouts(*, run_ids: Collection[int]) -> dict[int, RowLayout]:
    """{run id: (header, separator)} of the runs that wrote records."""
    if _run_layouts_lookup is None:
        raise ImproperlyConfigured("No installed app provides the layouts of the runs that write records.")
    return _run_layouts_lookup(run_ids=run_ids)
