"""Reading a partner's CSV as it is: encoding, separator and header found, rows streamed in chunks.

Clean files take the fast path (pyarrow's C++ reader). A file with malformed lines (a wrong number of
fields) is read again with Python's csv module, which names each bad line exactly.
"""

import codecs
import io
import re
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatory.errors import ApplicationError
from observatory.records.rows import csv_reader

from .profile_config import ProfileConfig, encoding_name, fold_column, separator_name

SAMPLE_BYTES = 64 * 1024
SCAN_BLOCK_BYTES = 4 * 1024 * 1024
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


# Joins a row's compared values: a control character no export holds, so no value needs quoting.
COMPARED_JOIN = "\x1f"


def compared_values(columns: list[pa.Array], names: list[str]) -> pa.Array:
    """Each row's values in the order of their column names, joined by COMPARED_JOIN: what a row is compared in,
    not how its file sent it (neither the separator nor the order of the columns changes a row)."""
    ordered = sorted(range(len(names)), key=names.__getitem__)
    return pc.binary_join_element_wise(
        *[columns[position].cast(pa.large_string()) for position in ordered],
        pa.scalar(COMPARED_JOIN, pa.large_string()),
    )


def sent_and_compared_rows(columns: list[pa.Array], names: list[str], separator: str) -> dict[str, pa.Array]:
    """The `lines` and `compared_rows` of a RawChunk from its columns, named `names`."""
    return {"lines": rows_as_lines(columns, separator), "compared_rows": compared_values(columns, names)}


def rows_as_lines(columns: list[pa.Array], separator: str) -> pa.Array:
    """Each row's values (one array per column, no NULLs) as one CSV line, as Python's csv module writes it
    (observatory.records.rows reads it back), built column by column in vectorised kernels."""
    values = [_quoted_where_needed(column.cast(pa.large_string()), separator) for column in columns]
    lines = pc.binary_join_element_wise(*values, pa.scalar(separator, pa.large_string()))
    if len(values) == 1:  # a single empty value is written "" so that the line is not blank
        lines = pc.if_else(pc.equal(lines, ""), pa.scalar('""', lines.type), lines)
    return lines


def _quoted_where_needed(values: pa.Array, separator: str) -> pa.Array:
    """Values holding the separator, a quote or a line break in quotes (quotes inside doubled); the others as
    they are. Most columns hold none of these characters: one look at their bytes tells."""
    data = values.buffers()[2]
    data = data.to_pybytes() if data is not None else b""
    if not any(character in data for character in (separator.encode(), b'"', b"\r", b"\n")):
        return values
    needs_quotes = pc.match_substring_regex(values, "[" + re.escape(separator) + '"\r\n]')
    quote, nothing = pa.scalar('"', values.type), pa.scalar("", values.type)
    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(values, '"', '""'), quote, nothing)
    return pc.if_else(needs_quotes, quoted, values)


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


def _utf16_codec(sample: bytes) -> str | None:
    """The codec of a UTF-16 text (Excel's "Unicode text" export), with or without a byte order mark: text that
    is mostly ASCII has a NUL in every other byte. None for anything else."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        even, odd = sample[0::2], sample[1::2]
        if len(sample) < 4 or not (even.count(0) > 0.9 * len(even)) ^ (odd.count(0) > 0.9 * len(odd)):
            return None
        codec = "utf-16-le" if odd.count(0) > even.count(0) else "utf-16-be"
    try:
        codecs.getincrementaldecoder(codec)().decode(sample[: len(sample) // 2 * 2])
    except UnicodeDecodeError:
        return None
    return codec


def _windows_1252_instead(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8, read as Windows-1252: a UTF-8 export with a few lines pasted from an older
    system keeps its accents on every line, those lines' too."""
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


UTF8_OR_WINDOWS_1252 = "observatory-utf8-or-cp1252"
codecs.register_error(UTF8_OR_WINDOWS_1252, _windows_1252_instead)
# A character beyond ASCII, where surrogateescape decoded each byte that is not UTF-8 as \udc80-\udcff.
VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
MIXED_ENCODING_LOOKAHEAD_BYTES = 16 * 1024 * 1024


def decoding_errors(encoding: str) -> str:
    """How to read bytes the encoding cannot: in a UTF-8 file, as Windows-1252 (see _windows_1252_instead)."""
    return UTF8_OR_WINDOWS_1252 if encoding in ("utf-8", "utf-8-sig") else "replace"


@dataclass
class _Utf8Scan:
    first_invalid_line: int = 0  # 0: every byte is UTF-8
    non_ascii: bool = False  # characters beyond ASCII written in UTF-8


def _utf8_scan(path: Path) -> _Utf8Scan:
    """Whether the whole file is UTF-8, where the first byte that is not is, and whether the file holds characters
    written in UTF-8 beyond ASCII (then a byte that is not UTF-8 is a line from elsewhere, not the file's own
    encoding): looked for up to the first such byte and a little beyond it, so that a file in another encoding is
    not read to its end to find none."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    scan, lines_before = _Utf8Scan(), 1
    with path.open("rb") as handle:
        while block := handle.read(SCAN_BLOCK_BYTES):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                scan.first_invalid_line = lines_before + block[: max(error.start, 0)].count(b"\n")
                ahead = block + handle.read(MIXED_ENCODING_LOOKAHEAD_BYTES)
                scan.non_ascii = (
                    scan.non_ascii
                    or VALID_NON_ASCII.search(ahead.decode("utf-8", errors="surrogateescape")) is not None
                )
                return scan
            scan.non_ascii = scan.non_ascii or not block.isascii()
            lines_before += block.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.first_invalid_line = lines_before
    return scan


def _detect_encoding(path: Path, name: str, declared: str, sample: bytes) -> tuple[str, list[str]]:
    declared = "utf-8" if declared == "utf-8-sig" else declared
    utf16 = _utf16_codec(sample)
    if utf16:
        return utf16, [] if declared == "auto" or declared.startswith("utf-16") else [
            _encoding_note(name, declared, utf16)
        ]
    scan = _utf8_scan(path)
    utf8 = "utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8"
    if scan.first_invalid_line and (scan.non_ascii or utf8 == "utf-8-sig"):
        return utf8, [
            _(
                "%(file)s: the file is UTF-8, but some lines are not (the first on line %(line)d): their "
                "characters beyond ASCII were read as Windows-1252."
            )
            % {"file": name, "line": scan.first_invalid_line}
        ]
    if not scan.first_invalid_line:
        if utf8 == "utf-8-sig":
            return utf8, []
        if scan.non_ascii and declared not in ("utf-8", "auto"):
            return "utf-8", [_encoding_note(name, declared, "utf-8")]
        return ("utf-8" if declared == "auto" else declared), []
    if declared in ("utf-8", "auto"):
        note = (
            []
            if declared == "auto"
            else [
                _(
                    "%(file)s: the file is not valid UTF-8 (first invalid byte on line %(line)d); it was read as "
                    "Windows-1252."
                )
                % {"file": name, "line": scan.first_invalid_line}
            ]
        )
        return "cp1252", note
    return declared, []


def _encoding_note(name: str, declared: str, found: str) -> str:
    return _("%(file)s: the profile expects %(expected)s but the file is %(found)s; it was read as %(found)s.") % {
        "file": name,
        "expected": encoding_name(declared),
        "found": encoding_name(found),
    }


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
    if not _utf16_codec(sample):
        _refuse_binary(display_name, sample)
    encoding, notes = _detect_encoding(path, display_name, config.encoding, sample)
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


class NeedsCarefulReading(Exception):
    """The fast reader met a line it cannot take (a wrong number of fields, an undecodable byte) in the chunk
    starting on `line`; the chunks before it were good."""

    def __init__(self, reason: str, *, line: int):
        super().__init__(reason)
        self.line = line


def fast_chunks(
    layout: FileLayout,
    chunk_rows: int,
    *,
    from_line: int | None = None,
    from_byte: int = 0,
    starts: "_LineStarts | None" = None,
) -> Iterator[RawChunk]:
    """The rows, read by Arrow's CSV reader, from the start or from line `from_line` starting at byte `from_byte`;
    NeedsCarefulReading at the first chunk holding a line it cannot take. Each chunk's bytes done are where its
    next line starts, found by `starts` (Arrow reads blocks far ahead of the rows it has given: the file's
    position said a 190 MB file was done at its first chunk); without `starts`, the file's position."""
    width = len(layout.header)
    # Names no header column folds to (folded names never start with "_").
    trailing = [f"_unnamed_{position}" for position in range(layout.unnamed_trailing_columns)]
    columns = {name: pa.string() for name in layout.header + trailing}
    swallowed_fields = _swallowed_row_separators(width)
    line_break = layout.line_break.encode()  # the values' bytes are UTF-8, whatever the file's encoding
    next_line = from_line or layout.data_start_line
    with layout.path.open("rb") as handle:
        handle.seek(from_byte if from_line else 0)
        reader = _opened_or_careful(
            next_line,
            lambda: pacsv.open_csv(
                handle,
                read_options=pacsv.ReadOptions(
                    encoding="utf-8" if layout.encoding == "utf-8-sig" else layout.encoding,
                    skip_rows=0 if from_line else layout.header_line,
                    column_names=layout.header + trailing,
                    block_size=max(1 << 20, min(32 << 20, chunk_rows * 200)),
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=layout.separator, newlines_in_values=True, ignore_empty_lines=False
                ),  # a malformed row raises
                convert_options=pacsv.ConvertOptions(
                    column_types=columns, strings_can_be_null=False, quoted_strings_can_be_null=False
                ),
            ),
        )
        while True:
            try:
                batch = _opened_or_careful(next_line, reader.read_next_batch)
            except StopIteration:
                return
            if trailing:
                if any(
                    pc.max(pc.utf8_length(pc.utf8_trim_whitespace(column))).as_py()
                    for column in batch.columns[width:]
                    if len(column)
                ):
                    raise NeedsCarefulReading("values under unnamed columns", line=next_line)
                batch = pa.RecordBatch.from_arrays(batch.columns[:width], names=layout.header)
            characters = [_characters_held(column, (b"\x00", line_break)) for column in batch.columns]
            batch, held_nul = _without_nul_characters(batch, characters)
            lines_per_row = np.ones(batch.num_rows, dtype=np.int64)
            for column, held in zip(batch.columns, characters, strict=False):
                if line_break not in held:
                    continue
                newlines = pc.count_substring(column, layout.line_break)
                if pc.max(newlines).as_py():
                    lines_per_row += newlines.to_numpy(zero_copy_only=False)
                    separators = pc.count_substring(column, layout.separator)
                    if pc.any(pc.and_(pc.greater(newlines, 0), pc.greater_equal(separators, swallowed_fields))).as_py():
                        raise NeedsCarefulReading(
                            "a value holds whole lines: a quote is probably not closed", line=next_line
                        )
            frame = batch.to_pandas()
            row_starts = next_line + np.concatenate(([0], np.cumsum(lines_per_row)[:-1]))
            next_line += int(lines_per_row.sum())
            if held_nul is not None:
                layout.rows_with_nul.extend(row_starts[held_nul].tolist())
            bytes_done = starts.offset_of(next_line) if starts else handle.tell()
            yield RawChunk(
                frame=frame,
                row_numbers=row_starts,
                malformed=[],
                bytes_done=min(bytes_done, layout.size_bytes),
                **sent_and_compared_rows(batch.columns, layout.header, layout.separator),
            )


def _opened_or_careful(next_line: int, read: Callable):
    """What `read` gives, or NeedsCarefulReading when Arrow cannot parse a line of the block it reads."""
    try:
        return read()
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise NeedsCarefulReading(str(error), line=next_line) from error


def _characters_held(column: pa.Array, characters: tuple[bytes, ...]) -> set[bytes]:
    """Which of `characters` some value of the column holds: one look at the column's bytes, far cheaper than
    counting per value."""
    data = column.buffers()[2]
    data = data.to_pybytes() if data is not None else b""
    return {character for character in characters if character in data}


def _without_nul_characters(
    batch: pa.RecordBatch, characters: list[set[bytes]]
) -> tuple[pa.RecordBatch, np.ndarray | None]:
    """The batch with NUL characters (binary zeros, which PostgreSQL's text cannot hold) removed from its values,
    and which rows held one (None when none did, the usual case). `characters`: those each column holds."""
    held = None
    columns = []
    for column, column_characters in zip(batch.columns, characters, strict=False):
        if b"\x00" in column_characters:
            found = pc.match_substring(column, "\x00").to_numpy(zero_copy_only=False)
            held = found if held is None else held | found
            column = pc.replace_substring(column, "\x00", "")
        columns.append(column)
    return (batch if held is None else pa.RecordBatch.from_arrays(columns, names=batch.schema.names)), held


def _swallowed_row_separators(width: int) -> int:
    """A quoted value spanning lines is legitimate (an address on two lines); one holding this many separators
    has swallowed whole rows after a quote that was never closed."""
    return max(2, width // 2)


class _PhysicalLines:
    """The file's lines for csv.reader, numbered, with the lines of the last record kept so that a record a
    stray quote ran on over later lines can be given back and read again from its second line.

    Lines are numbered as the fast reader numbers them and an editor shows them: where lines end in line feeds, a
    lone carriage return inside a quoted value ends a piece for csv.reader, not a line."""

    def __init__(self, text, first_line_number: int, rows_with_nul: list[int], *, line_break: str):
        self.text = text
        self.pending: deque[tuple[int, str]] = deque()
        self.record: list[tuple[int, str]] = []
        self.next_number = first_line_number
        self.rows_with_nul = rows_with_nul  # NUL characters are removed from the lines, and their lines noted
        self.line_break = line_break
        self.lone_carriage_returns = False  # a record ended by "\r" alone (old Mac files, or a mixed file)

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pending:
            number, line = self.pending.popleft()
        else:
            line = next(self.text)
            number = self.next_number
            if "\x00" in line:
                line = line.replace("\x00", "")
                self.rows_with_nul.append(number)
            if not line.endswith("\r"):
                self.next_number += 1
            elif self.line_break == "\r" or not self._quote_open_after(line):
                self.next_number += 1
                self.lone_carriage_returns = True
        self.record.append((number, line))
        return line

    def _quote_open_after(self, line: str) -> bool:
        """Whether `line`, read after the record's earlier lines, ends inside a quoted value (an odd number of
        quotes so far: a quote inside a quoted value is doubled)."""
        return (line.count('"') + sum(earlier.count('"') for _, earlier in self.record)) % 2 == 1

    def take_record(self) -> list[tuple[int, str]]:
        record, self.record = self.record, []
        return record

    def give_back(self, lines: list[tuple[int, str]]) -> None:
        self.pending.extendleft(reversed(lines))

    def next_record_line(self) -> int:
        return self.pending[0][0] if self.pending else self.next_number


class _LineStarts:
    """Where lines start in the file, found by counting line feeds forward from the last line asked for (lines
    are asked for in increasing order, so the file is scanned once in all)."""

    def __init__(self, path: Path):
        self.path = path
        self.line, self.offset = 1, 0

    def offset_of(self, line: int) -> int:
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            while self.line < line and (block := handle.read(SCAN_BLOCK_BYTES)):
                feeds = block.count(b"\n")
                if self.line + feeds < line:
                    self.line, self.offset = self.line + feeds, self.offset + len(block)
                    continue
                feed_positions = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n"))
                self.offset += int(feed_positions[line - self.line - 1]) + 1
                self.line = line
        return self.offset


def careful_chunks(
    layout: FileLayout, chunk_rows: int, *, from_line: int, from_byte: int | None = None, one_chunk: bool = False
) -> Generator[RawChunk, None, int | None]:
    """The rows starting on line `from_line` (the first line of a record, at byte `from_byte` when known) or
    later, read with Python's csv module, which names each malformed line. With `one_chunk`, it stops after one
    full chunk and returns the line the next record starts on, for the fast reader to go on from; None when it
    read to the end, or met line breaks other than line feeds (lines then cannot be found by their bytes)."""
    width = len(layout.header)
    swallowed_fields = _swallowed_row_separators(width)
    with layout.path.open("rb") as binary:
        if from_byte is not None:
            binary.seek(from_byte)
        text = io.TextIOWrapper(binary, encoding=layout.encoding, errors=decoding_errors(layout.encoding), newline="")
        for _line in range(from_line - 1 if from_byte is None else 0):
            text.readline()
        lines = _PhysicalLines(text, from_line, layout.rows_with_nul, line_break=layout.line_break)
        reader = csv_reader(lines, layout.separator)
        rows, numbers, malformed = [], [], []
        for fields in reader:
            record = lines.take_record()
            start = record[0][0]
            if len(fields) > width and not any(value.strip() for value in fields[width:]):
                fields = fields[:width]  # trailing separators
            if len(record) > 1 and any(
                layout.line_break in value and value.count(layout.separator) >= swallowed_fields for value in fields
            ):
                fields = []  # a value that holds whole lines: the stray quote case below
            if len(fields) != width:
                if len(record) == 1 and not "".join(fields).strip():
                    fields = [""] * width  # a blank line: dropped with the other empty rows
                elif len(record) > 1:
                    # A quote opened on this line and never closed swallowed the lines after it: reject this line
                    # alone and read the others again.
                    lines.give_back(record[1:])
                    malformed.append(
                        MalformedRow(
                            start, [record[0][1].rstrip("\r\n")], _("a quote opened on this row is not closed")
                        )
                    )
                    continue
                else:
                    malformed.append(
                        MalformedRow(
                            start,
                            fields,
                            _("the row has %(fields)d fields, the header has %(width)d")
                            % {"fields": len(fields), "width": width},
                        )
                    )
                    continue
            rows.append(fields)
            numbers.append(start)
            if len(rows) >= chunk_rows:
                yield _careful_chunk(layout, rows, numbers, malformed, min(binary.tell(), layout.size_bytes))
                rows, numbers, malformed = [], [], []
                if one_chunk and not lines.lone_carriage_returns:
                    return lines.next_record_line()
        yield _careful_chunk(layout, rows, numbers, malformed, layout.size_bytes)
    return None


def _careful_chunk(
    layout: FileLayout, rows: list[list[str]], numbers: list[int], malformed: list[MalformedRow], bytes_done: int
) -> RawChunk:
    """The rows as Arrow string columns, as the fast reader gives them. `rows` is emptied: the reader holds its
    list while the chunk is processed, and its Python strings are no longer needed."""
    columns = (
        [pa.array(values, type=pa.string()) for values in zip(*rows, strict=False)]
        if rows
        else [pa.array([], type=pa.string()) for _column in layout.header]
    )
    rows.clear()
    frame = pa.Table.from_arrays(columns, names=layout.header).to_pandas()
    return RawChunk(
        frame,
        np.array(numbers, dtype=np.int64),
        malformed,
        bytes_done,
        **sent_and_compared_rows(columns, layout.header, layout.separator),
    )


def read_chunks(*, layout: FileLayout, chunk_rows: int = 100_000) -> Iterator[RawChunk]:
    """Rows in chunks, each with the line it starts on. The fast reader gives way to the careful one at the first
    chunk holding a line it cannot take; the careful one reads that chunk's rows and hands back to the fast one
    at the next record, so a large file with a few bad lines is read carefully only around them. (Files whose
    lines are not found by their line feeds, UTF-16 or old Mac ones, are read carefully on to the end.)"""
    starts = _LineStarts(layout.path) if layout.lines_end_in_line_feeds else None
    line, offset = None, 0
    while True:
        try:
            yield from fast_chunks(layout, chunk_rows, from_line=line, from_byte=offset, starts=starts)
            return
        except NeedsCarefulReading as stop:
            line = yield from careful_chunks(
                layout,
                chunk_rows,
                from_line=stop.line,
                from_byte=starts.offset_of(stop.line) if starts else None,
                one_chunk=starts is not None,
            )
            if line is None:
                return
            offset = starts.offset_of(line)
