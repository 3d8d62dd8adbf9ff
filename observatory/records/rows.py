"""The row as sent, as a record keeps it: one CSV line, in the separator of the file it came from, with quotes
only around the values holding the separator, a quote or a line break (ingestion.reading.rows_as_lines writes it).
One text value per row costs a bulk load far less than an array of values: measured on a million-row file, the
arrays took a third of PostgreSQL's work."""
import csv


def row_values(line: str, separator: str, width: int) -> list[str]:
    """The `width` values of a stored line."""
    values = next(csv.reader([line], delimiter=separator), [])
    return values + [""] * (width - len(values))


def row_as_sent(line: str, header: list[str], separator: str) -> dict[str, str]:
    """A stored line as {column: value}, read with the header and separator of the run that wrote it (runs from
    before separators were recorded read as ",")."""
    return dict(zip(header, row_values(line, separator or ",", len(header))))
