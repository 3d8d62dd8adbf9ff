"""The rows of a file whose layout is known, in chunks. Clean files take the fast path (pyarrow's C++ reader);
around malformed lines (a wrong number of fields, a quote never closed) the file is read with Python's csv
module, which names each bad line exactly.
"""

import io
from collections import deque
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.utils.translation import gettext as _

from observatory.records.rows import csv_reader

from .encodings import decoding_errors
from .reading import FileLayout, MalformedRow, RawChunk
from .row_lines import sent_and_compared_rows

LINE_SCAN_BLOCK_BYTES = 4 * 1024 * 1024


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
    # Names no header column folds to (folded names never start with "_").
    trailing = [f"_unnamed_{position}" for position in range(layout.unnamed_trailing_columns)]
    line_break = layout.line_break.encode()  # the values' bytes are UTF-8, whatever the file's encoding
    next_line = from_line or layout.data_start_line
    with layout.path.open("rb") as handle:
        handle.seek(from_byte if from_line else 0)
        reader = _opened_or_careful(
            next_line, lambda: _arrow_reader(handle, layout, chunk_rows, trailing=trailing, after_header=not from_line)
        )
        while True:
            try:
                batch = _opened_or_careful(next_line, reader.read_next_batch)
            except StopIteration:
                return
            if trailing:
                batch = _without_unnamed_columns(batch, layout, line=next_line)
            characters = [_characters_held(column, (b"\x00", line_break)) for column in batch.columns]
            batch, held_nul = _without_nul_characters(batch, characters)
            lines_per_row = _lines_per_row(batch, characters, layout, line=next_line)
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


def _arrow_reader(
    handle: BinaryIO, layout: FileLayout, chunk_rows: int, *, trailing: list[str], after_header: bool
) -> pacsv.CSVStreamingReader:
    """Arrow's streaming reader of the file from the handle's position: every column a string (empty, never NULL),
    the header's lines skipped when it starts `after_header`. A malformed row raises."""
    return pacsv.open_csv(
        handle,
        read_options=pacsv.ReadOptions(
            encoding="utf-8" if layout.encoding == "utf-8-sig" else layout.encoding,
            skip_rows=layout.header_line if after_header else 0,
            column_names=layout.header + trailing,
            block_size=max(1 << 20, min(32 << 20, chunk_rows * 200)),
        ),
        parse_options=pacsv.ParseOptions(delimiter=layout.separator, newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in layout.header + trailing},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _without_unnamed_columns(batch: pa.RecordBatch, layout: FileLayout, *, line: int) -> pa.RecordBatch:
    """The batch without the columns after the header's last name, read for the separators a spreadsheet leaves
    at the end of each row; NeedsCarefulReading when one of them holds a value."""
    width = len(layout.header)
    if any(
        pc.max(pc.utf8_length(pc.utf8_trim_whitespace(column))).as_py()
        for column in batch.columns[width:]
        if len(column)
    ):
        raise NeedsCarefulReading("values under unnamed columns", line=line)
    return pa.RecordBatch.from_arrays(batch.columns[:width], names=layout.header)


def _lines_per_row(batch: pa.RecordBatch, characters: list[set[bytes]], layout: FileLayout, *, line: int) -> np.ndarray:
    """How many lines each row of the batch spans (a quoted value may hold line breaks); NeedsCarefulReading when
    a value holds whole rows, swallowed after a quote that was never closed. `characters`: those each column
    holds."""
    swallowed_fields = _swallowed_row_separators(len(layout.header))
    lines_per_row = np.ones(batch.num_rows, dtype=np.int64)
    for column, held in zip(batch.columns, characters, strict=False):
        if layout.line_break.encode() not in held:
            continue
        newlines = pc.count_substring(column, layout.line_break)
        if pc.max(newlines).as_py():
            lines_per_row += newlines.to_numpy(zero_copy_only=False)
            separators = pc.count_substring(column, layout.separator)
            if pc.any(pc.and_(pc.greater(newlines, 0), pc.greater_equal(separators, swallowed_fields))).as_py():
                raise NeedsCarefulReading("a value holds whole lines: a quote is probably not closed", line=line)
    return lines_per_row


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
            while self.line < line and (block := handle.read(LINE_SCAN_BLOCK_BYTES)):
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
    with layout.path.open("rb") as binary:
        if from_byte is not None:
            binary.seek(from_byte)
        text = io.TextIOWrapper(binary, encoding=layout.encoding, errors=decoding_errors(layout.encoding), newline="")
        for _line in range(from_line - 1 if from_byte is None else 0):
            text.readline()
        lines = _PhysicalLines(text, from_line, layout.rows_with_nul, line_break=layout.line_break)
        reader = csv_reader(lines, layout.separator)
        rows, numbers, malformed = [], [], []
        for read in reader:
            record = lines.take_record()
            start = record[0][0]
            fields = _record_fields(read, record, layout, lines=lines)
            if isinstance(fields, MalformedRow):
                malformed.append(fields)
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


def _record_fields(
    fields: list[str], record: list[tuple[int, str]], layout: FileLayout, *, lines: _PhysicalLines
) -> list[str] | MalformedRow:
    """A record's fields, one per header column (a blank line: all empty); or why the record is malformed. The
    lines a quote never closed swallowed after the record's first are given back to `lines`, to be read again."""
    width = len(layout.header)
    start = record[0][0]
    if len(fields) > width and not any(value.strip() for value in fields[width:]):
        fields = fields[:width]  # trailing separators
    if len(record) > 1 and any(
        layout.line_break in value and value.count(layout.separator) >= _swallowed_row_separators(width)
        for value in fields
    ):
        fields = []  # a value that holds whole lines: the stray quote case below
    if len(fields) == width:
        return fields
    if len(record) == 1 and not "".join(fields).strip():
        return [""] * width  # a blank line: dropped with the other empty rows
    if len(record) > 1:
        # A quote opened on this line and never closed swallowed the lines after it: reject this line alone and
        # read the others again.
        lines.give_back(record[1:])
        return MalformedRow(start, [record[0][1].rstrip("\r\n")], _("a quote opened on this row is not closed"))
    return MalformedRow(
        start,
        fields,
        _("the row has %(fields)d fields, the header has %(width)d") % {"fields": len(fields), "width": width},
    )


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
