import csv
from collections.abc import Iterator
from pathlib import Path

from observatory.errors import ApplicationError


class CsvImportError(ApplicationError):
    """The whole file cannot be imported."""


def csv_rows(*, path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for each data row of a UTF-8 CSV (the header is row 1), once its columns are checked."""
    if not path.exists():
        raise CsvImportError(f"{path}: no such file.")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise CsvImportError(f"{path}: missing column(s) {', '.join(missing)} (header: {reader.fieldnames}).")
        yield from enumerate(reader, start=2)
