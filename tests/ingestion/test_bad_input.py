"""Every kind of bad file gets a specific message naming the file, row and field; no good row is lost."""

import numpy as np
import pytest
from django.utils import translation

from ingestion.chunk_reading import NeedsCarefulReading, careful_chunks, fast_chunks, read_chunks
from ingestion.models import ImportRun
from ingestion.profile_config import profile_config_parse
from ingestion.reading import inspect_file
from ingestion.selectors import source_profile_current
from observatory.records.models import Source, SourceRecord

from .conftest import CORONER_HEADER, HOSPITAL_HEADER, POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db
GOOD = csv_bytes(POLICE_HEADER, [police_row(correlativo_victima=str(number)) for number in (1, 2, 3)])


def file_notes(run: ImportRun) -> list[str]:
    return list(run.issues.filter(row_number=0).values_list("reason", flat=True))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "denuncias.csv: the file is empty."),
        (b"  \n\n", "denuncias.csv: the file is empty."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "denuncias.csv: this is a binary file (it contains NUL bytes), not a CSV",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "denuncias.csv: this is a ZIP archive or an Excel .xlsx workbook, not a CSV file.",
        ),
        (
            b"fecha,delito\n14/03/2024,HOMICIDIO\n",
            "denuncias.csv, row 1 (header): missing required column(s) correlativo_victima, fecha_hecho, no_denuncia. "
            "Header read: fecha, delito.",
        ),
        (
            b"\n\nFecha, Delito \n14/03/2024,HOMICIDIO\n",
            "denuncias.csv, row 3 (header): missing required column(s) correlativo_victima, fecha_hecho, no_denuncia. "
            "Header read: Fecha, Delito.",
        ),
        (
            b"  <!DOCTYPE html>\n<html><body>Error 500</body></html>\n",
            "denuncias.csv: this is a web page (HTML), not a CSV file; "
            "perhaps an error page was saved instead of the export.",
        ),
    ],
)
def test_a_whole_file_that_cannot_be_read_is_refused_with_its_reason(demo_city, run_file, content, message):
    run = run_file(content, filename="denuncias.csv")

    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith(message)
    assert file_notes(run) == [run.error]
    assert not SourceRecord.objects.exists()


def test_a_refused_header_holding_nul_bytes_is_refused_with_its_reason(demo_city, run_file):
    """The refusal quotes the header it read, whose NUL bytes a text column cannot hold."""
    run = run_file(b"no_\x00denuncia,fecha_hecho\nDPI-1,14/03/2024\n")

    assert run.status == ImportRun.Status.FAILED
    assert "missing required column(s)" in run.error and "\x00" not in run.error


def test_invisible_characters_in_column_names_are_taken_out(demo_city, run_file):
    """A NUL from a damaged export, or a zero-width space pasted from a web page, is no part of a column's name."""
    content = csv_bytes(POLICE_HEADER, [police_row(correlativo_victima=str(number)) for number in (1, 2)])
    content = content.replace(b"correlativo_victima", b"correlativo_vic\x00tima", 1)
    run = run_file(content.replace(b"victima_nombre", "victima_\u200bnombre".encode(), 1))

    assert run.summary() == "read=2 created=2 updated=0 unchanged=0 rejected=0"
    assert SourceRecord.objects.get(record_id="DPI-2024-000001#2").full_name == "JOSE LUIS MARTINEZ RIVERA"


def test_header_only_is_processed_with_nothing_read(demo_city, run_file):
    run = run_file(",".join(POLICE_HEADER).encode() + b"\n")

    assert (run.status, run.summary()) == (ImportRun.Status.DONE, "read=0 created=0 updated=0 unchanged=0 rejected=0")
    assert file_notes(run) == ["export.csv: the file holds a header but no rows."]


def test_unknown_extra_columns_are_ignored_and_reported(demo_city, run_file):
    content = csv_bytes([*POLICE_HEADER, "observaciones"], [police_row(observaciones="testigo vio moto")])

    run = run_file(content, filename="con_extra.csv")

    assert run.rows_created == 1
    assert "con_extra.csv: column(s) not in the profile, ignored: observaciones." in file_notes(run)
    assert SourceRecord.objects.get().row_as_sent["observaciones"] == "testigo vio moto"


def test_wrong_separator_is_detected_and_said(demo_city, run_file):
    run = run_file(csv_bytes(POLICE_HEADER, [police_row()], separator=";"), filename="punto_y_coma.csv")

    assert (run.separator, run.rows_created) == (";", 1)
    assert (
        "punto_y_coma.csv: the profile expects the separator «,» but the file uses «;»; it was read with «;»."
        in file_notes(run)
    )


def test_wrong_encoding_is_read_right_and_said(demo_city, run_file):
    police_in_cp1252 = csv_bytes(POLICE_HEADER, [police_row(victima_nombre="JOSÉ PÉREZ ÑUÑEZ")], encoding="cp1252")
    coroner_in_utf8 = csv_bytes(
        CORONER_HEADER,
        [
            {
                "numero_autopsia": "AUT-9",
                "fecha_levantamiento": "2024-03-15",
                "nombre_fallecido": "MARÍA JOSÉ CASTAÑEDA",
                "manera_muerte": "HOMICIDA",
                "municipio_levantamiento": "Mixco",
            }
        ],
        separator=";",
        encoding="utf-8",
    )

    police = run_file(police_in_cp1252, filename="ansi.csv")
    coroner = run_file(coroner_in_utf8, source="coroner", filename="forense_utf8.csv")

    assert SourceRecord.objects.get(source_id="police").full_name == "JOSÉ PÉREZ ÑUÑEZ"
    assert police.encoding == "cp1252"
    assert (
        "ansi.csv: the file is not valid UTF-8 (first invalid byte on line 2); it was read as Windows-1252."
        in file_notes(police)
    )
    assert SourceRecord.objects.get(source_id="coroner").full_name == "MARÍA JOSÉ CASTAÑEDA"
    assert coroner.encoding == "utf-8"
    assert any("expects Windows-1252 but the file is UTF-8" in note for note in file_notes(coroner))


@pytest.mark.parametrize(
    ("byte_order_mark", "positions"),
    [(b"", (1500, 2700)), (b"\xef\xbb\xbf", (1500, 2700)), (b"", (1, 2700))],
    ids=["without BOM", "with BOM", "first"],
)
def test_a_utf8_file_with_a_few_windows_1252_lines_keeps_every_accent(demo_city, run_file, byte_order_mark, positions):
    """Lines pasted from an older system into a UTF-8 export: each is read in its own encoding, not the whole
    file as Windows-1252, which garbled every other accent."""
    names = [f"JOSÉ PEÑA {number}" for number in range(1, 3001)]
    lines = csv_bytes(
        POLICE_HEADER,
        [
            police_row(no_denuncia=f"DPI-2024-{number:06d}", victima_nombre=name)
            for number, name in enumerate(names, start=1)
        ],
    ).split(b"\n")
    for position in positions:  # line 1 + position
        lines[position] = lines[position].decode().encode("cp1252")

    run = run_file(byte_order_mark + b"\n".join(lines), filename="mezcla.csv")

    assert run.rows_created == 3000
    assert sorted(SourceRecord.objects.values_list("full_name", flat=True)) == sorted(names)
    assert file_notes(run) == [
        f"mezcla.csv: the file is UTF-8, but some lines are not (the first on line "
        f"{positions[0] + 1}): their characters beyond ASCII were read as Windows-1252."
    ]


@pytest.mark.parametrize(("codec", "separator"), [("utf-16", "\t"), ("utf-16-le", ","), ("utf-16-be", ";")])
def test_a_utf16_export_is_read_right_with_or_without_byte_order_mark(demo_city, run_file, codec, separator):
    """Excel's "Unicode text" export: UTF-16 with a byte order mark, tab-separated; others leave the mark out."""
    rows = [police_row(correlativo_victima=str(number), victima_nombre="MARÍA JOSÉ PEÑA") for number in (1, 2)]
    text = csv_bytes(POLICE_HEADER, rows, separator=separator).decode().replace("\n", "\r\n")

    run = run_file(text.encode(codec), filename="unicode.txt")

    assert (run.status, run.summary()) == (ImportRun.Status.DONE, "read=2 created=2 updated=0 unchanged=0 rejected=0")
    assert run.encoding == codec and run.separator == separator
    assert run.read_as == {"\t": "UTF-16, tab", ",": "UTF-16, «,»", ";": "UTF-16, «;»"}[separator]
    assert "unicode.txt: the profile expects UTF-8 but the file is UTF-16; it was read as UTF-16." in file_notes(run)
    assert run.warnings == 0  # notes about the whole file are not row warnings
    record = SourceRecord.objects.get(record_id="DPI-2024-000001#2")
    assert (record.full_name, record.row_as_sent["victima_nombre"]) == ("MARÍA JOSÉ PEÑA", "MARÍA JOSÉ PEÑA")
    assert record.event_date.isoformat() == "2024-03-14"


def test_an_excel_separator_line_before_the_header_is_followed(demo_city, run_file):
    rows = [police_row(direccion="3 calle; casa 5"), police_row(correlativo_victima="2", fecha_hecho="31/02/2024")]
    content = b"sep=;\r\n" + csv_bytes(POLICE_HEADER, rows, separator=";")

    run = run_file(content, filename="excel_sep.csv")

    assert run.separator == ";"
    assert run.summary() == "read=2 created=1 updated=0 unchanged=0 rejected=1"
    assert run.issues.get(severity="rejected").row_number == 4  # line 1 names the separator, line 2 is the header
    record = SourceRecord.objects.get()
    assert record.address == "3 calle; casa 5" and record.row_as_sent["victima_edad"] == "23"
    assert not file_notes(run)


def test_title_lines_before_the_header_are_skipped_and_said(demo_city, run_file):
    rows = [police_row(), police_row(correlativo_victima="2", fecha_hecho="31/02/2024")]
    content = b"POLICIA NACIONAL - REPORTE DE DENUNCIAS\nGenerado: 01/04/2024,,\n\n" + csv_bytes(POLICE_HEADER, rows)

    run = run_file(content, filename="reporte.csv")

    assert run.summary() == "read=2 created=1 updated=0 unchanged=0 rejected=1"
    assert run.issues.get(severity="rejected").row_number == 6
    assert (
        "reporte.csv: the header is on line 4; the lines before it were skipped: POLICIA NACIONAL - REPORTE DE "
        "DENUNCIAS | Generado: 01/04/2024,,"
    ) in file_notes(run)


def test_column_names_are_matched_whatever_their_case_accents_spaces_or_dots(demo_city, run_file):
    spelled = {
        "no_denuncia": "No. Denuncia",
        "correlativo_victima": "CORRELATIVO VÍCTIMA",
        "fecha_hecho": "Fecha-Hecho",
        "victima_edad": " Víctima  Edad ",
    }
    header = [spelled.get(column, column) for column in POLICE_HEADER] + ["", "Observación"]
    content = csv_bytes(
        header,
        [
            {
                **{spelled.get(column, column): value for column, value in police_row().items()},
                "": "x",
                "Observación": "testigo",
            }
        ],
    )

    run = run_file(content, filename="encabezados.csv")

    assert run.summary() == "read=1 created=1 updated=0 unchanged=0 rejected=0"
    record = SourceRecord.objects.get()
    assert (record.record_id, str(record.age_years), record.event_date.isoformat()) == (
        "DPI-2024-000001#1",
        "23.00",
        "2024-03-14",
    )
    assert "encabezados.csv: column(s) not in the profile, ignored: column_19, observacion." in file_notes(run)
    assert record.row_as_sent["observacion"] == "testigo"


def test_file_messages_are_written_in_the_language_of_the_run(demo_city, run_file):
    with translation.override("es"):
        run = run_file(b"fecha,delito\n14/03/2024,HOMICIDIO\n", filename="denuncias.csv")

    assert run.error.startswith(
        "denuncias.csv, fila 1 (encabezado): faltan las columnas obligatorias "
        "correlativo_victima, fecha_hecho, no_denuncia."
    )


def test_a_line_with_too_many_fields_is_rejected_alone(demo_city, run_file):
    lines = GOOD.decode().splitlines()
    lines.insert(2, lines[1].replace("DPI-2024-000001,1", "DPI-2024-000009,1") + ",sobra,otra")
    run = run_file(("\n".join(lines) + "\n").encode(), filename="campos.csv")

    assert run.summary() == "read=4 created=3 updated=0 unchanged=0 rejected=1"
    issue = run.issues.get(severity="rejected")
    assert issue.row_number == 3
    assert issue.reason == "the row has 20 fields, the header has 18"
    assert "DPI-2024-000009" in issue.value


def test_trailing_separators_and_blank_lines_are_tolerated(demo_city, run_file):
    lines = GOOD.decode().splitlines()
    content = "\n".join([lines[0], lines[1] + ",,", "", "   ", lines[2] + ",", lines[3]]) + "\n"

    run = run_file(content.encode())

    assert run.summary() == "read=3 created=3 updated=0 unchanged=0 rejected=0"


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


def test_a_value_under_an_unnamed_column_rejects_its_row_alone(demo_city, run_file):
    lines = GOOD.decode().splitlines()
    content = "\n".join([lines[0] + ",", lines[1] + ",", lines[2] + ",anotado", lines[3] + ","]) + "\n"

    run = run_file(content.encode(), filename="anotado.csv")

    assert run.summary() == "read=3 created=2 updated=0 unchanged=0 rejected=1"
    issue = run.issues.get(severity="rejected")
    assert (issue.row_number, issue.reason) == (3, "the row has 19 fields, the header has 18")


@pytest.mark.parametrize("with_a_bad_line", [False, True], ids=["fast reader", "careful reader"])
def test_a_very_long_value_is_kept_as_sent_and_cut_where_stored(demo_city, run_file, with_a_bad_line):
    narrative = "vecinos relatan, " * 20_000  # 340,000 characters, beyond the csv module's default limit
    lines = csv_bytes(POLICE_HEADER, [police_row(direccion=narrative), police_row(correlativo_victima="2")]).decode()
    if with_a_bad_line:
        lines += "DPI-2024-000001,3,14/03/2024,de,mas\n"

    run = run_file(lines.encode(), filename="largo.csv")

    assert run.rows_created == 2 and run.rows_rejected == int(with_a_bad_line)
    record = SourceRecord.objects.get(record_id="DPI-2024-000001#1")
    assert record.address == narrative[:500] and record.row_as_sent["direccion"] == narrative


def test_values_and_column_names_too_long_to_store_are_cut_not_fatal(demo_city, run_file):
    header = [*POLICE_HEADER, "nota " * 100]
    rows = [
        {**police_row(municipio="SAN " * 300, unidad="UNIDAD " * 100), header[-1]: "x"},
        {**police_row(correlativo_victima="2", victima_dni="1" * 300), header[-1]: "y"},
    ]

    run = run_file(csv_bytes(header, rows), filename="largos.csv")

    assert run.summary() == "read=2 created=2 updated=0 unchanged=0 rejected=0"
    first, second = SourceRecord.objects.order_by("record_id")
    assert len(first.geo_note) == 300 and first.reporting_unit == ("UNIDAD " * 100)[:200]
    assert first.row_as_sent[("nota_" * 100)[:200]] == "x" and first.row_as_sent["municipio"] == "SAN " * 300
    assert second.id_number == ""  # one digit repeated is no id
    cut = run.issues.get(column="unidad")
    assert (cut.row_number, cut.severity, cut.record_id) == (2, "warning", "DPI-2024-000001#1")
    assert cut.reason == "longer than 200 characters: kept whole in the row as sent, cut in the record"


def test_record_ids_too_long_to_store_are_refused_not_cut_into_one(demo_city, run_file):
    """Cut to fit, two ids that differ only after the 200th character would be taken for one record."""
    long_ids = ["X" * 250 + "A", "X" * 250 + "B"]
    rows = [police_row(no_denuncia=record_id) for record_id in long_ids] + [police_row(fecha_hecho="31/02/2024")]

    run = run_file(csv_bytes(POLICE_HEADER, rows))

    assert run.summary() == "read=3 created=0 updated=0 unchanged=0 rejected=3"
    refused = run.issues.filter(reason="the record id is longer than 200 characters")
    assert sorted(refused.values_list("row_number", flat=True)) == [2, 3]
    assert set(refused.values_list("record_id", flat=True)) == {""}
    assert run.issues.get(row_number=4).record_id == "DPI-2024-000001#1"  # a row's issue names its record


@pytest.mark.parametrize("with_a_bad_line", [False, True], ids=["fast reader", "careful reader"])
def test_stray_nul_characters_are_removed_and_said(demo_city, run_file, with_a_bad_line):
    rows = [police_row(correlativo_victima=str(number)) for number in range(1, 5)]
    content = csv_bytes(POLICE_HEADER, rows).replace(b"MARTINEZ", b"MARTI\x00NEZ", 2)
    if with_a_bad_line:
        content += b"DPI-2024-000001,9,14/03/2024,de,mas\n"

    run = run_file(content, filename="ceros.csv")

    assert (
        run.summary() == f"read={4 + with_a_bad_line} created=4 updated=0 unchanged=0 rejected={int(with_a_bad_line)}"
    )
    assert (
        "ceros.csv: 2 row(s) held NUL characters (binary zeros), which text cannot keep; they were removed. "
        "Rows: 2, 3" in file_notes(run)
    )
    record = SourceRecord.objects.get(record_id="DPI-2024-000001#1")
    assert record.full_name == "JOSE LUIS MARTINEZ RIVERA" and record.row_as_sent["victima_nombre"] == record.full_name


@pytest.mark.parametrize(
    ("source", "header"), [("police", POLICE_HEADER), ("coroner", CORONER_HEADER), ("hospital", HOSPITAL_HEADER)]
)
def test_a_file_whose_only_rows_are_malformed_is_processed_with_them_rejected(demo_city, run_file, source, header):
    content = (",".join(header) + "\nuno,dos\n\n" + ",".join(["x"] * (len(header) + 1)) + "\n").encode()

    run = run_file(content, source=source, filename="solo_malas.csv")

    assert (run.status, run.summary()) == (ImportRun.Status.DONE, "read=2 created=0 updated=0 unchanged=0 rejected=2")
    assert list(run.issues.filter(severity="rejected").values_list("row_number", flat=True)) == [2, 4]


def test_a_quoted_field_spanning_lines_keeps_row_numbers_right(demo_city, run_file):
    content = csv_bytes(
        POLICE_HEADER,
        [
            police_row(correlativo_victima="1", direccion="3 calle\nfrente a la pulperia\nal lado del taller"),
            police_row(correlativo_victima="2", fecha_hecho="31/02/2024"),
        ],
    )

    run = run_file(content)

    assert SourceRecord.objects.get(record_id="DPI-2024-000001#1").address.count("\n") == 2
    rejected = run.issues.get(severity="rejected")
    assert (rejected.row_number, rejected.column, rejected.value) == (5, "fecha_hecho", "31/02/2024")
    assert rejected.reason == "'31/02/2024' is not a valid date (expected dd/mm/yyyy)"
    assert rejected.raw_row["no_denuncia"] == "DPI-2024-000001"


def test_impossible_future_and_missing_dates_and_ids_are_rejected_with_reasons(demo_city, run_file):
    run = run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(correlativo_victima="1", fecha_hecho="31/02/2024"),
                police_row(correlativo_victima="2", fecha_hecho="01/01/2099"),
                police_row(correlativo_victima="3", fecha_hecho=""),
                police_row(correlativo_victima="", no_denuncia="DPI-2024-000002"),
                police_row(correlativo_victima="5", hora_hecho="25:99"),
            ],
        )
    )

    reasons = {(issue.row_number, issue.column): issue.reason for issue in run.issues.all()}
    assert reasons[(2, "fecha_hecho")] == "'31/02/2024' is not a valid date (expected dd/mm/yyyy)"
    assert reasons[(3, "fecha_hecho")] == "the date 01/01/2099 is in the future"
    assert reasons[(4, "fecha_hecho")] == "the date is empty"
    assert reasons[(5, "correlativo_victima")] == "the record id is empty"
    assert reasons[(6, "hora_hecho")] == "'25:99' is not a valid time (expected HH:MM | HH:MM:SS)"
    assert run.summary() == "read=5 created=1 updated=0 unchanged=0 rejected=4"
    assert SourceRecord.objects.get().event_time is None


def test_duplicate_record_ids_in_one_file_last_one_wins(demo_city, run_file):
    run = run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(victima_edad="23"),
                police_row(correlativo_victima="2"),
                police_row(victima_edad="24"),
            ],
        )
    )

    assert run.summary() == "read=3 created=2 updated=0 unchanged=0 rejected=0"
    assert str(SourceRecord.objects.get(record_id="DPI-2024-000001#1").age_years) == "24.00"
    warning = run.issues.get(severity="warning")
    assert warning.row_number == 2
    assert warning.reason == "the same record id appears again on row 4, which replaces this row"


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


def test_an_invalid_date_falls_back_to_the_next_column_with_a_warning(demo_city, run_file):
    run = run_file(
        csv_bytes(
            CORONER_HEADER,
            [
                {
                    "numero_autopsia": "AUT-1",
                    "fecha_levantamiento": "2024-12-01",
                    "fecha_muerte": "2024-11-31",
                    "manera_muerte": "HOMICIDA",
                    "municipio_levantamiento": "Mixco",
                },
                {
                    "numero_autopsia": "AUT-2",
                    "fecha_levantamiento": "2024-12-32",
                    "fecha_muerte": "",
                    "manera_muerte": "HOMICIDA",
                    "municipio_levantamiento": "Mixco",
                },
            ],
            separator=";",
        ),
        source="coroner",
    )

    kept = SourceRecord.objects.get(record_id="AUT-1")
    assert str(kept.event_date) == "2024-12-01"
    issues = {(issue.row_number, issue.column, issue.severity) for issue in run.issues.exclude(row_number=0)}
    assert issues == {(2, "fecha_muerte", "warning"), (3, "fecha_levantamiento", "rejected")}
    assert run.summary() == "read=2 created=1 updated=0 unchanged=0 rejected=1"


def test_a_quote_never_closed_rejects_its_row_and_loses_none_after_it(demo_city, run_file):
    lines = csv_bytes(POLICE_HEADER, [police_row(correlativo_victima=str(number)) for number in (1, 2, 3, 4)]).decode()
    lines = lines.splitlines()
    lines[2] = lines[2].replace('"3 calle, frente a pulperia"', '"3 calle sin cerrar')
    run = run_file(("\n".join(lines) + "\n").encode(), filename="comilla.csv")

    assert run.summary() == "read=4 created=3 updated=0 unchanged=0 rejected=1"
    issue = run.issues.get(severity="rejected")
    assert (issue.row_number, issue.reason) == (3, "a quote opened on this row is not closed")
    assert sorted(SourceRecord.objects.values_list("record_id", flat=True)) == [
        "DPI-2024-000001#1",
        "DPI-2024-000001#3",
        "DPI-2024-000001#4",
    ]


def test_a_file_without_the_optional_columns_reads_the_required_ones(demo_city, run_file):
    run = run_file(b"numero_autopsia;fecha_levantamiento\nAUT-7;2024-01-02\n", source="coroner", filename="minimo.csv")

    assert run.summary() == "read=1 created=1 updated=0 unchanged=0 rejected=0"
    assert any(
        note.startswith("minimo.csv: optional column(s) absent, left empty: causa_basica_cie10")
        for note in file_notes(run)
    )
