"""A row as sent, kept as one CSV line in its file's separator (what observatory.records.rows reads back), and
its values as compared with a stored record: neither the separator nor the order of the columns changes a row."""

import re

import pyarrow as pa
import pyarrow.compute as pc

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
