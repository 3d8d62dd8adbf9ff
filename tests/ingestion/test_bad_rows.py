"""Every kind of bad row gets a specific message naming the file, row and field; no good row is lost."""

import pytest

from ingestion.models import ImportRun
from observatory.records.models import SourceRecord

from .conftest import CORONER_HEADER, GOOD, HOSPITAL_HEADER, POLICE_HEADER, csv_bytes, file_notes, police_row

pytestmark = pytest.mark.django_db


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
