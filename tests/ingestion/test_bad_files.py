"""A file that cannot be read is refused with its reason; one read otherwise than its profile says (another
encoding or separator, title lines, odd column names) is read right, and the file's notes say how."""

import pytest
from django.utils import translation

from ingestion.models import ImportRun
from observatory.records.models import SourceRecord

from .conftest import CORONER_HEADER, POLICE_HEADER, csv_bytes, file_notes, police_row

pytestmark = pytest.mark.django_db


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


def test_a_file_without_the_optional_columns_reads_the_required_ones(demo_city, run_file):
    run = run_file(b"numero_autopsia;fecha_levantamiento\nAUT-7;2024-01-02\n", source="coroner", filename="minimo.csv")

    assert run.summary() == "read=1 created=1 updated=0 unchanged=0 rejected=0"
    assert any(
        note.startswith("minimo.csv: optional column(s) absent, left empty: causa_basica_cie10")
        for note in file_notes(run)
    )
