"""What a police, coroner or hospital row becomes: dates, ages, sex, categories, names, ids and places."""

from datetime import date, time
from decimal import Decimal

import pytest

from observatory.records.models import SourceRecord

from .conftest import CORONER_HEADER, HOSPITAL_HEADER, POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db


def record(record_id: str, source: str = "police") -> SourceRecord:
    return SourceRecord.objects.get(source_id=source, record_id=record_id)


def test_a_police_row_is_normalised(demo_city, run_file):
    run = run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(),
                police_row(
                    correlativo_victima="2",
                    delito="FEMICIDIO",
                    victima_sexo="MUJER",
                    victima_edad="8 meses",
                    victima_nombre="maría   de la Cruz  López",
                    victima_dni="0801-1990-12345",
                ),
                police_row(
                    correlativo_victima="3",
                    victima_edad="999",
                    victima_sexo="",
                    victima_nombre="DESCONOCIDO",
                    arma="SE IGNORA",
                    hora_hecho="",
                ),
                police_row(correlativo_victima="4", victima_edad="35 años", delito="lesiones", victima_sexo="HOMBRE"),
            ],
        )
    )

    assert run.summary() == "read=4 created=4 updated=0 unchanged=0 rejected=0"
    first = record("DPI-2024-000001#1")
    assert (first.event_date, first.event_time) == (date(2024, 3, 14), time(21, 40))
    assert (first.category, first.outcome, first.weapon, first.sex) == ("homicide", "died", "firearm", "M")
    assert first.age_years == Decimal("23.00")
    assert first.name_folded == "JOSE LUIS MARTINEZ RIVERA"
    assert first.row_as_sent["victima_nombre"] == "JOSE LUIS MARTINEZ RIVERA"
    femicide = record("DPI-2024-000001#2")
    assert (femicide.category, femicide.is_femicide, femicide.sex) == ("homicide", True, "F")
    assert femicide.age_years == Decimal("0.67")
    assert femicide.name_folded == "MARIA CRUZ LOPEZ"
    assert femicide.id_number == "0801199012345"
    unknown = record("DPI-2024-000001#3")
    assert (unknown.age_years, unknown.sex, unknown.weapon, unknown.event_time) == (None, "U", "", None)
    assert unknown.is_unidentified and unknown.name_folded == ""
    assert unknown.status == SourceRecord.Status.NORMALISED
    injured = record("DPI-2024-000001#4")
    assert (injured.category, injured.outcome, injured.age_years) == ("assault_injury", "survived", Decimal("35.00"))


def test_places_coordinates_win_inside_the_declared_municipality(demo_city, run_file):
    run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(correlativo_victima="1", latitud="14.62", longitud="-90.68", colonia="otra cosa"),
                police_row(correlativo_victima="2", latitud="-90.68", longitud="14.62"),
                police_row(correlativo_victima="3", latitud="14.52", longitud="-90.55"),
                police_row(correlativo_victima="4", latitud="", longitud="", colonia="Colonia Belen"),
                police_row(correlativo_victima="5", municipio="ATLANTIS", colonia=""),
                police_row(correlativo_victima="6", municipio="", latitud="14.62", longitud="-90.63"),
            ],
        )
    )

    by_point = record("DPI-2024-000001#1")
    assert (by_point.geo_method, by_point.municipality, by_point.colonia) == (
        "coordinates",
        demo_city["mixco"],
        demo_city["milagro"],
    )
    assert (round(by_point.point.x, 2), round(by_point.point.y, 2)) == (-90.68, 14.62)
    swapped = record("DPI-2024-000001#2")
    assert swapped.geo_method == "coordinates_swapped" and round(swapped.point.y, 2) == 14.62
    elsewhere = record("DPI-2024-000001#3")
    assert (elsewhere.geo_method, elsewhere.municipality, elsewhere.point) == ("gazetteer", demo_city["mixco"], None)
    assert "Villa Nueva" in elsewhere.geo_note and "Mixco" in elsewhere.geo_note
    named = record("DPI-2024-000001#4")
    assert (named.geo_method, named.colonia) == ("gazetteer", demo_city["belen"])
    lost = record("DPI-2024-000001#5")
    assert (lost.geo_method, lost.municipality) == ("unresolved", None)
    assert lost.geo_note == "municipality 'ATLANTIS' is not in the gazetteer"
    only_point = record("DPI-2024-000001#6")
    assert (only_point.geo_method, only_point.colonia) == ("coordinates_only", demo_city["belen"])


# Three autopsies: a homicide by firearm; a body found unidentified in a clandestine grave, no manner written, only its
# ICD-10 cause (Y09, an assault); a road death.
CORONER_ROWS = [
    {
        "numero_autopsia": "AUT-1",
        "fecha_levantamiento": "2024-03-15",
        "fecha_muerte": "2024-03-14",
        "nombre_fallecido": "JOSÉ LUIS MARTÍNEZ RIVERA",
        "identificacion": "0801-1990-12345",
        "sexo": "MASCULINO",
        "edad_anios": "23",
        "manera_muerte": "HOMICIDA",
        "causa_basica_cie10": "X95",
        "mecanismo": "PROYECTIL DE ARMA DE FUEGO",
        "municipio_levantamiento": "Mixco",
        "lugar_levantamiento": "Col. El Milagro",
        "estado_identificacion": "IDENTIFICADO",
        "hallazgo": "VIA PUBLICA",
    },
    {
        "numero_autopsia": "AUT-2",
        "fecha_levantamiento": "2024-04-02",
        "fecha_muerte": "",
        "nombre_fallecido": "NN",
        "identificacion": "",
        "sexo": "INDETERMINADO",
        "edad_anios": "",
        "manera_muerte": "",
        "causa_basica_cie10": "Y09",
        "mecanismo": "",
        "municipio_levantamiento": "Villa Nueva",
        "lugar_levantamiento": "",
        "estado_identificacion": "NO IDENTIFICADO",
        "hallazgo": "FOSA CLANDESTINA",
    },
    {
        "numero_autopsia": "AUT-3",
        "fecha_levantamiento": "2024-04-03",
        "fecha_muerte": "2024-04-03",
        "nombre_fallecido": "ANA PÉREZ",
        "identificacion": "",
        "sexo": "FEMENINO",
        "edad_anios": "70",
        "manera_muerte": "ACCIDENTAL",
        "causa_basica_cie10": "V89.2",
        "mecanismo": "HECHO DE TRANSITO",
        "municipio_levantamiento": "Mixco",
        "lugar_levantamiento": "",
        "estado_identificacion": "IDENTIFICADO",
        "hallazgo": "VIA PUBLICA",
    },
]


def test_coroner_rows_take_their_category_from_manner_and_icd10(demo_city, run_file):
    run = run_file(csv_bytes(CORONER_HEADER, CORONER_ROWS, separator=";", encoding="cp1252"), source="coroner")

    assert run.encoding == "cp1252" and run.separator == ";"
    first = record("AUT-1", "coroner")
    assert first.full_name == "JOSÉ LUIS MARTÍNEZ RIVERA"
    assert (first.category, first.manner, first.weapon, first.icd10_cause) == ("homicide", "homicide", "firearm", "X95")
    assert (first.event_date, first.death_date, first.recovery_date) == (
        date(2024, 3, 14),
        date(2024, 3, 14),
        date(2024, 3, 15),
    )
    unidentified = record("AUT-2", "coroner")
    assert (unidentified.category, unidentified.event_date, unidentified.place_type) == (
        "homicide",
        date(2024, 4, 2),
        "clandestine_grave",
    )
    assert unidentified.is_unidentified and unidentified.identification == "unidentified"
    road = record("AUT-3", "coroner")
    assert (road.category, road.icd10_cause, road.outcome) == ("road_traffic_death", "V892", "died")


def test_hospital_rows_with_bom_age_units_and_outcome(demo_city, run_file):
    rows = [
        {
            "id_registro": "HE-1",
            "establecimiento": "HOSPITAL ROOSEVELT",
            "fecha_ingreso": "2024-03-14T23:55:00",
            "fecha_egreso": "2024-03-15T02:10:00",
            "condicion_egreso": "FALLECIDO",
            "paciente": "Jose L. Martinez",
            "documento": "",
            "sexo": "1",
            "edad": "23",
            "unidad_edad": "A",
            "cie10_lesion": "S21.1",
            "cie10_causa_externa": "X95.4",
            "intencionalidad": "AGRESION",
            "municipio_ocurrencia": "MIXCO",
            "municipio_residencia": "MIXCO",
        },
        {
            "id_registro": "HE-2",
            "establecimiento": "HOSPITAL ROOSEVELT",
            "fecha_ingreso": "2024-05-01T10:00:00",
            "fecha_egreso": "",
            "condicion_egreso": "VIVO",
            "paciente": "Bebé García",
            "documento": "",
            "sexo": "2",
            "edad": "6",
            "unidad_edad": "M",
            "cie10_lesion": "S06.0",
            "cie10_causa_externa": "W01",
            "intencionalidad": "ACCIDENTAL",
            "municipio_ocurrencia": "",
            "municipio_residencia": "VILLA NUEVA",
        },
    ]
    run_file(b"\xef\xbb\xbf" + csv_bytes(HOSPITAL_HEADER, rows), source="hospital")

    died = record("HE-1", "hospital")
    assert (died.category, died.outcome, died.event_time, died.discharge_date) == (
        "homicide",
        "died",
        time(23, 55),
        date(2024, 3, 15),
    )
    assert (died.icd10_injury, died.icd10_cause, died.intent) == ("S211", "X954", "assault")
    baby = record("HE-2", "hospital")
    assert (baby.sex, baby.age_years, baby.category, baby.outcome) == ("F", Decimal("0.50"), "other", "survived")
    assert baby.geo_method == "unresolved"


def test_unknown_vocabulary_values_are_kept_as_unmapped(demo_city, run_file):
    run = run_file(csv_bytes(POLICE_HEADER, [police_row(delito="ASALTO A MANO ARMADA", arma="MACHETE")]))

    kept = record("DPI-2024-000001#1")
    assert kept.status == SourceRecord.Status.UNMAPPED
    assert kept.category == ""
    assert {(entry["column"], entry["value"]) for entry in kept.unmapped} == {
        ("delito", "ASALTO A MANO ARMADA"),
        ("arma", "MACHETE"),
    }
    assert run.rows_rejected == 0
    assert set(run.issues.filter(severity="unmapped").values_list("row_number", "column")) == {
        (2, "delito"),
        (2, "arma"),
    }


AGES_AS_WRITTEN = {
    "2 años y 3 meses": "2.25",
    "2 AÑOS, 6 MESES": "2.50",
    "23 años.": "23.00",
    "3 sem.": "0.06",
    "15 DIAS": "0.04",
    "RN": "0.00",
    "Recién nacido": "0.00",
    "0,5": "0.50",
    "1.5 AÑOS": "1.50",
    "23A": "23.00",
}


def test_ages_are_read_as_people_write_them(demo_city, run_file):
    unreadable = ["2 años 3", "dos años", "2 3", "1" * 40 + "!"]  # the last one took minutes to refuse
    rows = [
        police_row(correlativo_victima=str(number), victima_edad=age)
        for number, age in enumerate([*AGES_AS_WRITTEN, *unreadable], start=1)
    ]

    run = run_file(csv_bytes(POLICE_HEADER, rows))

    ages = dict(SourceRecord.objects.values_list("record_id", "age_years"))
    assert {
        age: str(ages[f"DPI-2024-000001#{number}"]) for number, age in enumerate(AGES_AS_WRITTEN, start=1)
    } == AGES_AS_WRITTEN
    warnings = run.issues.filter(severity="warning", column="victima_edad")
    assert sorted(warnings.values_list("value", "reason")) == sorted(
        (age, f"'{age}' is not an age") for age in unreadable
    )
    assert run.rows_created == len(rows)  # an unreadable age is a warning, the row is kept


DATES_AS_WRITTEN = {
    "14/3/2024": date(2024, 3, 14),
    "14/03/2024 00:00:00": date(2024, 3, 14),
    "13/03/2024 0:00": date(2024, 3, 13),
    "2024-03-12": date(2024, 3, 12),
    "2024-03-11T21:40:00.000": date(2024, 3, 11),
    "10-03-2024": date(2024, 3, 10),
    "09.03.2024": date(2024, 3, 9),
    "08/03/24": date(2024, 3, 8),
    "07/03/2024 9:40 p. m.": date(2024, 3, 7),
    "2024-03-06T05:55:00Z": date(2024, 3, 5),
}  # UTC, and the observatory is at UTC-6
TIMES_AS_WRITTEN = {
    "21:40:00": time(21, 40),
    "9:40 PM": time(21, 40),
    "9:40 p. m.": time(21, 40),
    "9 pm": time(21),
    "12:05 a.m.": time(0, 5),
    "21.40": time(21, 40),
    "2140": time(21, 40),
    "21:40 hrs": time(21, 40),
    "21h40": time(21, 40),
    "14/03/2024 21:40": time(21, 40),
    "2024-03-15T03:40:00Z": time(21, 40),
    "2024-03-14T21:40:00-06:00": time(21, 40),
}


def test_dates_and_times_are_read_in_every_form_that_cannot_be_misread(demo_city, run_file, settings):
    """Beyond the profile's formats (dd/mm/yyyy; HH:MM, HH:MM:SS): a datetime export's time after the date, ISO
    8601 (a timestamp with its UTC offset is the observatory's local date and time), the same order with other
    separators or a two-digit year; 12-hour and other 24-hour spellings. A form that could mean another date
    (3/14/2024 is month first) is still refused."""
    settings.TIME_ZONE = "America/Guatemala"  # UTC-6 all year
    dates, times = list(DATES_AS_WRITTEN), list(TIMES_AS_WRITTEN)
    unreadable_dates, unreadable_times = (
        ["3/14/2024", "2024-14-03", "31/02/2024 00:00", "14/03/2024 25:00", "0001-01-01T00:00:00Z"],
        ["25:00", "2560", "13:00 pm", "0001-01-01T00:00:00Z"],
    )
    rows = [
        police_row(
            correlativo_victima=str(number),
            fecha_hecho=dates[number % len(dates)],
            hora_hecho=times[number % len(times)],
        )
        for number in range(len(dates) * len(times))
    ]
    rows += [police_row(correlativo_victima=f"sin-fecha-{value}", fecha_hecho=value) for value in unreadable_dates]
    rows += [police_row(correlativo_victima=f"sin-hora-{value}", hora_hecho=value) for value in unreadable_times]

    run = run_file(csv_bytes(POLICE_HEADER, rows))

    stored = {
        record_id: (day, moment)
        for record_id, day, moment in SourceRecord.objects.values_list("record_id", "event_date", "event_time")
    }
    assert all(
        stored[f"DPI-2024-000001#{row['correlativo_victima']}"]
        == (DATES_AS_WRITTEN[row["fecha_hecho"]], TIMES_AS_WRITTEN[row["hora_hecho"]])
        for row in rows[: len(dates) * len(times)]
    )
    assert sorted(run.issues.filter(severity="rejected").values_list("value", flat=True)) == sorted(unreadable_dates)
    assert sorted(run.issues.filter(severity="warning").values_list("value", flat=True)) == sorted(unreadable_times)
    notes = list(run.issues.filter(severity="file").values_list("reason", flat=True))
    assert len(notes) == 2 and "column fecha_hecho holds dates written in a form the profile does not list" in notes[0]
    assert "column hora_hecho holds times" in notes[1]


def test_names_written_for_someone_not_identified_are_no_names_to_match_on(demo_city, run_file):
    placeholders = [
        "N.N.",
        "N/N",
        "XX",
        "Desconocido",
        "Persona no identificada",
        "NO IDENTIFICADO (MASCULINO)",
        "Cadáver N.N. 23",
        "sin nombre",
        "X",
    ]
    names = ["JOSE NINO XOL", "XIMENA NAJERA", "ANA X LOPEZ"]
    rows = [
        police_row(correlativo_victima=str(number), victima_nombre=name)
        for number, name in enumerate([*placeholders, *names], start=1)
    ]

    run_file(csv_bytes(POLICE_HEADER, rows))

    stored = {
        name: SourceRecord.objects.filter(full_name=name).values_list("is_unidentified", "name_folded").get()
        for name in [*placeholders, *names]
    }
    assert {name: stored[name] for name in placeholders} == dict.fromkeys(placeholders, (True, ""))
    assert {name: stored[name] for name in names} == {name: (False, name) for name in names}
