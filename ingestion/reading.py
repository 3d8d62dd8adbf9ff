"""Reading a partner's CSV as it is: what kind of file it is, its encoding, separator and header (inspect_file),
and the shapes of what reading it gives. Encodings are found in encodings.py; the rows are read in chunks by
chunk_reading.py.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatory.errors import ApplicationError
from observatory.records.rows import csv_reader

from .encodings import decoding_errors, encoding_detect, utf16_codec
from .profile_config import ProfileConfig, fold_column, separator_name

SAMPLE_BYTES = 64 * 1024
SEPARATOR_CANDIDATES = (",", ";", "\t", "|")
CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in b"\t\n\r")
BINARY_CONTROL_SHARE = 0.05  # compressed or encoded data has about 11% of control bytes, a text none
SEPARATOR_HINT = re.compile(r"^sep=(.)$", re.IGNORECASE)
HEADER_SEARCH_LINES = 20
BINARY_SIGNATURES = {
    b"PK\x03\x04": gettext_lazy("a ZIP archive or an Excel .xlsx workbook"),
    b"\xd0\xcf\x11\xe0": gettext_lazy("an Excel 97-2003 .xls workbook"),
    b"%PDF": gettext_lazy("a PDF document"),
    b"\x1f\x8b": gettext_lazy("a gzip archive"),
}


class FileRefused(ApplicationError):
    """The whole file cannot be imported; nothing of it is loaded."""

    def __init__(self, message: str):
        super().__init__(message, code="file_refused")


@dataclass
class FileLayout:
    path: Path
    display_name: str
    encoding: str
    separator: str
    header: list[str]
    header_line: int
    size_bytes: int
    notes: list[str] = field(default_factory=list)
    # Header cells left empty after the last name, as spreadsheets export them: each row ends in as many separators.
    unnamed_trailing_columns: int = 0
    # Lines whose NUL characters the readers removed, as they read them (reported with the file's notes).
    rows_with_nul: list[int] = field(default_factory=list)
    # Lines end in a line feed ("\n" or "\r\n") in a one-byte-per-line-feed encoding: a line is found by its bytes.
    lines_end_in_line_feeds: bool = False
    # What ends a line, as an editor counts lines (and a line break inside a value starts one): "\r" in an old Mac
    # file, whose lines hold no line feed at all.
    line_break: str = "\n"

    def reading_notes(self) -> list[str]:
        """The notes on the file, with what reading it found."""
        if not self.rows_with_nul:
            return self.notes
        rows = sorted(set(self.rows_with_nul))
        shown = ", ".join(str(row) for row in rows[:20]) + (", …" if len(rows) > 20 else "")
        return [
            *self.notes,
            _(
                "%(file)s: %(count)d row(s) held NUL characters (binary zeros), which text cannot "
                "keep; they were removed. Rows: %(rows)s"
            )
            % {"file": self.display_name, "count": len(rows), "rows": shown},
        ]

    @property
    def data_start_line(self) -> int:
        return self.header_line + 1


@dataclass
class MalformedRow:
    row_number: int
    fields: list[str]
    reason: str


@dataclass
class RawChunk:
    frame: pd.DataFrame  # one string column per header column; "" where empty
    row_numbers: np.ndarray  # the line where each row starts
    malformed: list[MalformedRow]
    bytes_done: int
    lines: pa.Array  # each row as sent, as one CSV line in the file's separator (see rows_as_lines)
    # The same values as compared with a stored record (compared_values): a row re-sent in a file saved with
    # another separator, or with its columns in another order, is still the same row.
    compared_rows: pa.Array


def _line_break(sample: str) -> str:
    return "\r" if "\r" in sample and "\n" not in sample else "\n"


def _refuse_binary(name: str, sample: bytes) -> None:
    for signature, kind in BINARY_SIGNATURES.items():
        if sample.startswith(signature):
            raise FileRefused(
                _("%(file)s: this is %(kind)s, not a CSV file. Export the data as CSV and send it again.")
                % {"file": name, "kind": kind}
            )
    if sample.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise FileRefused(
            _(
                "%(file)s: this is a web page (HTML), not a CSV file; perhaps an error page was saved "
                "instead of the export."
            )
            % {"file": name}
        )
    if b"\x00" in sample and _control_share(sample) > BINARY_CONTROL_SHARE:  # a text's stray NULs are removed
        raise FileRefused(
            _("%(file)s: this is a binary file (it contains NUL bytes), not a CSV text file.") % {"file": name}
        )


def _control_share(sample: bytes) -> float:
    """The share of bytes that are control characters other than tabs and line breaks: none in a text."""
    return (len(sample) - len(sample.translate(None, CONTROL_BYTES))) / len(sample)


def _leading_lines(path: Path, encoding: str) -> tuple[list[tuple[str, int]], str | None]:
    """The first non-blank lines, where the header is looked for, with their numbers; and the separator a "sep=;"
    line before them names (Excel writes one first in some exports)."""
    named_separator, lines = None, []
    with path.open(encoding=encoding, errors=decoding_errors(encoding), newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            hint = SEPARATOR_HINT.match(line.rstrip("\r\n"))
            if hint and named_separator is None and not lines:
                named_separator = hint.group(1)
                continue
            lines.append((line, number))
            if len(lines) == HEADER_SEARCH_LINES:
                break
    return lines, named_separator


def _find_header(
    name: str, lines: list[tuple[str, int]], declared: str, config: ProfileConfig
) -> tuple[str, int, str, list[str]]:
    """The first line naming the required columns (a title or a report date may come before it): the line, its
    number, the separator and notes; FileRefused, about the first line, when none does."""
    first_refusal = None
    for line, number in lines:
        try:
            separator, notes = _choose_separator(name, line, number, declared, config)
        except FileRefused as refusal:
            first_refusal = first_refusal or refusal
            continue
        if number > lines[0][1]:
            skipped = " | ".join(text.strip() for text, before in lines if before < number)
            notes.append(
                _("%(file)s: the header is on line %(line)d; the lines before it were skipped: %(skipped)s")
                % {"file": name, "line": number, "skipped": skipped[:300]}
            )
        return line, number, separator, notes
    raise first_refusal


def _split(line: str, separator: str) -> list[str]:
    return next(csv_reader([line], separator), [])


def _missing_groups(columns: set[str], groups: list[tuple[str, ...]]) -> list[str]:
    return [_(" or ").join(group) for group in groups if not columns.intersection(group)]


def _choose_separator(
    name: str, header_line: str, header_number: int, declared: str, config: ProfileConfig
) -> tuple[str, list[str]]:
    groups = config.required_column_groups
    candidates = ([declared] if declared != "auto" else []) + [s for s in SEPARATOR_CANDIDATES if s != declared]
    scored = []
    for separator in candidates:
        columns = {fold_column(column) for column in _split(header_line, separator)}
        scored.append(
            (len(groups) - len(_missing_groups(columns, groups)), len(config.mapped_columns & columns), separator)
        )
    best = max(scored, key=lambda score: (score[0], score[1]))
    if best[0] < len(groups):
        best_columns = [column.strip() for column in _split(header_line, best[2])]
        missing = sorted(_missing_groups({fold_column(column) for column in best_columns}, groups))
        raise FileRefused(
            _("%(file)s, row %(row)d (header): missing required column(s) %(missing)s. Header read: %(header)s.")
            % {
                "file": name,
                "row": header_number,
                "missing": ", ".join(missing),
                "header": ", ".join(best_columns) or _("(empty)"),
            }
        )
    if declared not in ("auto", best[2]) and scored[0][0] < len(groups):
        return best[2], [
            _(
                "%(file)s: the profile expects the separator %(expected)s but the file uses %(found)s; it "
                "was read with %(found)s."
            )
            % {"file": name, "expected": separator_name(declared), "found": separator_name(best[2])}
        ]
    return best[2], []


def inspect_file(*, path: Path, config: ProfileConfig, display_name: str) -> FileLayout:
    """Everything needed to read the file, or FileRefused with the reason."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise FileRefused(_("%(file)s: the file is empty.") % {"file": display_name})
    if not utf16_codec(sample):
        _refuse_binary(display_name, sample)
    encoding, notes = encoding_detect(path=path, name=display_name, declared=config.encoding, sample=sample)
    leading_lines, named_separator = _leading_lines(path, encoding)
    if not leading_lines:
        raise FileRefused(_("%(file)s: the file is empty.") % {"file": display_name})
    header_line, header_number, separator, separator_notes = _find_header(
        display_name, leading_lines, named_separator or config.separator, config
    )
    header = [fold_column(column) for column in _split(header_line, separator)]
    unnamed_trailing = 0
    while header and header[-1] == "":
        header.pop()  # a trailing separator after the last column name
        unnamed_trailing += 1
    header = [column or f"column_{position}" for position, column in enumerate(header, start=1)]  # unnamed
    duplicates = sorted({column for column in header if header.count(column) > 1})
    if duplicates:
        raise FileRefused(
            _("%(file)s, row %(row)d (header): column(s) %(columns)s appear twice.")
            % {"file": display_name, "row": header_number, "columns": ", ".join(duplicates)}
        )
    layout = FileLayout(
        path=path,
        display_name=display_name,
        encoding=encoding,
        separator=separator,
        header=header,
        header_line=header_number,
        size_bytes=size,
        notes=notes + separator_notes,
        unnamed_trailing_columns=unnamed_trailing,
        lines_end_in_line_feeds=not encoding.startswith("utf-16") and b"\n" in sample,
        line_break=_line_break(sample.decode(encoding, errors="ignore")),
    )
    unknown = [column for column in header if column and column not in config.mapped_columns]
    if unknown:
        layout.notes.append(
            _("%(file)s: column(s) not in the profile, ignored: %(columns)s.")
            % {"file": display_name, "columns": ", ".join(unknown)}
        )
    absent = sorted(config.mapped_columns - set(header) - set(config.record_id_columns))
    if absent:
        layout.notes.append(
            _("%(file)s: optional column(s) absent, left empty: %(columns)s.")
            % {"file": display_name, "columns": ", ".join(absent)}
        )
    return layout
