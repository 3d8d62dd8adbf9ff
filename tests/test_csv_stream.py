"""The one CSV writer of the API: a header, UTF-8, blocks of bounded size, formula-like text neutralised and
numbers left as numbers."""

import csv
import io

from observatory.csv_stream import BLOCK_BYTES, csv_blocks


def test_text_a_spreadsheet_would_run_starts_with_an_apostrophe_and_numbers_stay_numbers():
    row = [
        "=HYPERLINK(1)",
        "+1+1",
        "-x",
        "@SUM",
        "\tTab",
        "\rCR",
        "plain",
        -3.5,
        "-12.5",
        "-2+3",
        None,
        {"ñ": [1]},
        True,
    ]
    written = b"".join(csv_blocks(header=[f"c{n}" for n in range(len(row))], rows=[row])).decode("utf-8")
    header, read = list(csv.reader(io.StringIO(written, newline="")))
    assert header[0] == "c0"
    assert read == [
        "'=HYPERLINK(1)",
        "'+1+1",
        "'-x",
        "'@SUM",
        "'\tTab",
        "'\rCR",
        "plain",
        "-3.5",
        "-12.5",
        "'-2+3",
        "",
        '{"ñ": [1]}',
        "True",
    ]


def test_many_rows_come_in_blocks_of_about_the_block_size():
    rows = ([number, "x" * 100] for number in range(20_000))
    blocks = list(csv_blocks(header=["number", "text"], rows=rows))
    assert len(blocks) > 2 and all(len(block) < BLOCK_BYTES + 200 for block in blocks)
    assert b"".join(blocks).count(b"\r\n") == 20_001
