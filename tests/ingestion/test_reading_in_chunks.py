"""Reading in chunks: the fast reader takes what it can, hands over to the careful one at the chunk holding a bad
line and takes over again after it; both number rows by the line they start on, whatever ends the lines."""

import numpy as np
import pytest

from ingestion.chunk_reading import NeedsCarefulReading, careful_chunks, fast_chunks, read_chunks
from ingestion.profile_config import profile_config_parse
from ingestion.reading import inspect_file
from ingestion.selectors import source_profile_current
from observatory.records.models import Source, SourceRecord

from .conftest import GOOD, POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db


def test_a_spreadsheet_export_ending_every_line_in_separators_is_read_by_the_fast_reader(demo_city, run_file, tmp_path):
    lines = GOOD.decode().splitlines()
    content = "\n".join(line + ",," for line in lines) + "\n"
    path = tmp_path / "excel.csv"
    path.write_text(content)
    config = profile_config_parse(source_profile_current(source=Source.objects.get(pk="police")).config)
    layout = inspect_file(path=path, config=config, display_name="excel.csv")

    chunks = list(fast_chunks(layout, 100))  # raises NeedsCarefulReading if it cannot take a line

    assert [list(chunk.frame.columns) for chunk in chunks] == [POLICE_HEADER]
    assert list(chunks[0].row_numbers) == [2, 3, 4]
    run = run_file(content.encode())
    assert run.summary() == "read=3 created=3 updated=0 unchanged=0 rejected=0"
    assert SourceRecord.objects.get(record_id="DPI-2024-000001#1").row_as_sent == police_row()


def test_a_large_file_is_read_in_chunks_with_exact_counts(demo_city, run_file, settings):
    settings.INGEST_CHUNK_ROWS = 1000
    rows = [
        police_row(no_denuncia=f"DPI-2024-{number:06d}", fecha_hecho="31/02/2024" if number == 4321 else "14/03/2024")
        for number in range(1, 5001)
    ]

    run = run_file(csv_bytes(POLICE_HEADER, rows))

    assert run.summary() == "read=5000 created=4999 updated=0 unchanged=0 rejected=1"
    assert run.issues.get(severity="rejected").row_number == 4322
    assert SourceRecord.objects.count() == 4999


def test_a_bad_line_late_in_a_large_file_is_read_carefully_from_its_chunk_on(demo_city, run_file, tmp_path):
    """The fast reader's chunks before the bad line are kept; the careful reader goes on from the chunk holding it,
    with every line number right (quoted values on two lines before and after it)."""
    rows = [
        police_row(
            no_denuncia=f"DPI-2024-{number:06d}",
            direccion="3 calle\nfrente a pulperia" if number in (700, 11_500) else "3 calle",
        )
        for number in range(1, 12_001)
    ]
    lines = csv_bytes(POLICE_HEADER, rows).decode().split("\n")
    bad_at = 11_003  # after row 11,000, on line 11,002 (1 header line; row 700 takes two lines)
    lines.insert(bad_at - 1, lines[bad_at - 2] + ",de mas")
    content = "\n".join(lines).encode()
    path = tmp_path / "grande.csv"
    path.write_bytes(content)
    config = profile_config_parse(source_profile_current(source=Source.objects.get(pk="police")).config)
    layout = inspect_file(path=path, config=config, display_name="grande.csv")

    with pytest.raises(NeedsCarefulReading) as stop:
        list(fast_chunks(layout, 100))
    chunks = list(read_chunks(layout=layout, chunk_rows=100))

    assert 2 < stop.value.line < bad_at  # resumed from the bad line's chunk, not from the top
    numbers = np.concatenate([chunk.row_numbers for chunk in chunks])
    expected = [2 + index + (index >= 700) + (index >= 11_500) for index in range(12_000)]  # two-line values
    expected = [number + (number >= bad_at) for number in expected]  # the bad line itself is not a row
    assert list(numbers) == expected
    assert [row.row_number for chunk in chunks for row in chunk.malformed] == [bad_at]
    run = run_file(content, filename="grande.csv")
    assert run.summary() == "read=12001 created=12000 updated=0 unchanged=0 rejected=1"
    assert run.issues.get(severity="rejected").row_number == bad_at
    record = SourceRecord.objects.get(record_id="DPI-2024-011500#1")
    assert record.address == "3 calle\nfrente a pulperia"


def test_a_chunk_read_fast_says_it_is_done_up_to_where_the_next_row_starts(demo_city, tmp_path):
    """The progress bar follows the rows read, not the blocks Arrow has read ahead of them."""
    rows = [
        police_row(
            no_denuncia=f"DPI-2024-{number:06d}",
            direccion="3 calle\nfrente a pulperia" if number % 1000 == 3 else "3 calle",
        )
        for number in range(1, 30_001)
    ]
    content = csv_bytes(POLICE_HEADER, rows)
    path = tmp_path / "progreso.csv"
    path.write_bytes(content)
    line_starts = [0, *(np.flatnonzero(np.frombuffer(content, dtype=np.uint8) == ord("\n")) + 1).tolist()]
    layout = inspect_file(
        path=path,
        config=profile_config_parse(source_profile_current(source=Source.objects.get(pk="police")).config),
        display_name="progreso.csv",
    )

    chunks = list(read_chunks(layout=layout, chunk_rows=100))

    next_rows_start = [line_starts[chunk.row_numbers[0] - 1] for chunk in chunks[1:]] + [len(content)]
    assert len(chunks) > 3 and [chunk.bytes_done for chunk in chunks] == next_rows_start


@pytest.mark.parametrize(("encoding", "line_end"), [("utf-8", "\n"), ("cp1252", "\r\n"), ("utf-16", "\r\n")])
def test_reading_around_bad_lines_gives_what_careful_reading_of_the_whole_file_gives(
    demo_city, tmp_path, encoding, line_end
):
    """The fast reader hands over to the careful one at each bad line's chunk and takes over again after it (not
    in UTF-16, where a line cannot be found by its bytes)."""
    rows = [
        police_row(
            no_denuncia=f"DPI-2024-{number:06d}",
            victima_nombre="JOSÉ PEÑA",
            direccion="3 calle\nfrente a pulperia" if number % 1500 == 7 else "3 calle, casa 5",
        )
        for number in range(1, 24_001)
    ]
    lines = csv_bytes(POLICE_HEADER, rows).decode().split("\n")
    for position in (20_000, 12_000, 11_999, 40):  # bad lines, each insert moving those after it one line on
        lines.insert(position, f"DPI-2024-9{position:05d},1,14/03/2024,de,mas")
    path = tmp_path / "varias.csv"
    path.write_bytes(line_end.join(lines).encode(encoding))
    config = profile_config_parse(source_profile_current(source=Source.objects.get(pk="police")).config)
    layout = inspect_file(path=path, config=config, display_name="varias.csv")

    around = list(read_chunks(layout=layout, chunk_rows=500))
    whole = list(careful_chunks(layout, 500, from_line=layout.data_start_line))

    def read(chunks) -> tuple[list, list, list]:
        return (
            [number for chunk in chunks for number in chunk.row_numbers.tolist()],
            [line for chunk in chunks for line in chunk.lines.to_pylist()],
            [(row.row_number, row.reason) for chunk in chunks for row in chunk.malformed],
        )

    assert read(around) == read(whole)
    assert len(read(around)[0]) == 24_000 and [number for number, _ in read(around)[2]] == [41, 12_001, 12_003, 20_004]
    fast_after_the_first_bad_line = max(len(chunk.frame) for chunk in around) > 500  # careful chunks hold 500
    assert fast_after_the_first_bad_line == (encoding != "utf-16")


def test_a_carriage_return_inside_a_value_numbers_rows_alike_in_both_readers(demo_city, tmp_path):
    """Lines are counted by their line feeds, as an editor shows a file whose lines end in them: a lone carriage
    return inside a quoted value starts no line, for the careful reader as for the fast one, which takes over
    again after a bad line."""
    rows = [
        police_row(
            no_denuncia=f"DPI-2024-{number:06d}",
            direccion="3 calle\rfrente a pulperia"
            if number % 7 == 0
            else "3 calle\r\nfrente a pulperia"
            if number % 11 == 0
            else "3 calle",
        )
        for number in range(1, 201)
    ]
    content = csv_bytes(POLICE_HEADER, rows).replace(b"3 calle\rfrente a pulperia", b'"3 calle\rfrente a pulperia"')
    (tmp_path / "retornos.csv").write_bytes(content)
    lines = content.split(b"\n")
    bad_at = next(position for position in range(60, len(lines)) if lines[position].startswith(b"DPI-"))
    lines.insert(bad_at, b"DPI-2024-900000,1,14/03/2024,de,mas")
    (tmp_path / "con_una_mala.csv").write_bytes(b"\n".join(lines))
    config = profile_config_parse(source_profile_current(source=Source.objects.get(pk="police")).config)
    clean, bad = (
        inspect_file(path=tmp_path / name, config=config, display_name=name)
        for name in ("retornos.csv", "con_una_mala.csv")
    )

    def numbers(chunks) -> list[int]:
        return [number for chunk in chunks for number in chunk.row_numbers.tolist()]

    fast = numbers(fast_chunks(clean, 30))
    assert numbers(careful_chunks(clean, 30, from_line=clean.data_start_line)) == fast
    assert fast[:12] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]  # row 11 holds a "\r\n": two lines
    around = list(read_chunks(layout=bad, chunk_rows=30))
    assert numbers(around) == numbers(careful_chunks(bad, 30, from_line=bad.data_start_line))
    assert [row.row_number for chunk in around for row in chunk.malformed] == [bad_at + 1]
    assert max(len(chunk.frame) for chunk in around) > 30  # the fast reader took over again


def test_an_old_mac_file_whose_lines_end_in_carriage_returns_is_read_with_its_line_numbers(
    demo_city, run_file, tmp_path
):
    content = csv_bytes(
        POLICE_HEADER,
        [
            police_row(),
            police_row(correlativo_victima="2", direccion="3 calle\nfrente"),
            police_row(correlativo_victima="3", fecha_hecho="31/02/2024"),
        ],
    )
    path = tmp_path / "mac.csv"
    path.write_bytes(content.replace(b"\n", b"\r"))
    layout = inspect_file(
        path=path,
        config=profile_config_parse(source_profile_current(source=Source.objects.get(pk="police")).config),
        display_name="mac.csv",
    )

    run = run_file(path.read_bytes())

    assert run.summary() == "read=3 created=2 updated=0 unchanged=0 rejected=1"
    assert run.issues.get(severity="rejected").row_number == 5  # row 2's address holds a line break
    assert SourceRecord.objects.get(record_id="DPI-2024-000001#2").address == "3 calle\rfrente"
    for chunks in (fast_chunks(layout, 10), careful_chunks(layout, 10, from_line=layout.data_start_line)):
        assert [number for chunk in chunks for number in chunk.row_numbers.tolist()] == [2, 3, 5]
