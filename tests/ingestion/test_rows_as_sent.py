"""The row as sent, stored as one CSV line: written in vectorised kernels, read back value for value."""

import csv
import io
import random

import pyarrow as pa
import pytest

from ingestion.row_lines import rows_as_lines
from observatory.records.rows import row_values

AWKWARD_CHARACTERS = ["a", "b", ",", ";", "|", "\t", '"', "\n", "\r", " ", "é", "ñ"]


def csv_module_line(values: list[str], separator: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()[:-2]


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
@pytest.mark.parametrize("width", [1, 2, 7])
def test_any_values_make_the_line_the_csv_module_writes_and_read_back_the_same(separator, width):
    chooser = random.Random(f"{separator}{width}")
    rows = [
        ["".join(chooser.choice(AWKWARD_CHARACTERS) for _ in range(chooser.randint(0, 5))) for _ in range(width)]
        for _ in range(2000)
    ]
    columns = [pa.array([row[index] for row in rows], type=pa.string()) for index in range(width)]

    lines = rows_as_lines(columns, separator).to_pylist()

    assert lines == [csv_module_line(row, separator) for row in rows]
    assert [row_values(line, separator, width) for line in lines] == rows
