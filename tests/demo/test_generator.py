"""The demo source files: the contract's layouts, determinism, a ground truth that matches the files, and the
realism that reconciliation and indicator work is tested on."""

import codecs
import csv
import io
import re
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from observatory.demo.generator import NOISE_LEVELS, demo_files_write, write_police_file
from observatory.demo.generator import police as police_generator
from observatory.geography.services.demo import demo_geography_load

pytestmark = pytest.mark.django_db

# The layouts of docs/sources.md, written out here so that a drifting generator fails.
HEADERS = {
    "police": [
        "no_denuncia",
        "correlativo_victima",
        "fecha_hecho",
        "hora_hecho",
        "delito",
        "departamento",
        "municipio",
        "colonia",
        "direccion",
        "latitud",
        "longitud",
        "tipo_lugar",
        "arma",
        "victima_nombre",
        "victima_dni",
        "victima_sexo",
        "victima_edad",
        "unidad",
    ],
    "coroner": [
        "numero_autopsia",
        "fecha_levantamiento",
        "fecha_muerte",
        "nombre_fallecido",
        "identificacion",
        "sexo",
        "edad_anios",
        "manera_muerte",
        "causa_basica_cie10",
        "mecanismo",
        "municipio_levantamiento",
        "lugar_levantamiento",
        "estado_identificacion",
        "hallazgo",
    ],
    "hospital": [
        "id_registro",
        "establecimiento",
        "fecha_ingreso",
        "fecha_egreso",
        "condicion_egreso",
        "paciente",
        "documento",
        "sexo",
        "edad",
        "unidad_edad",
        "cie10_lesion",
        "cie10_causa_externa",
        "intencionalidad",
        "municipio_ocurrencia",
        "municipio_residencia",
    ],
}
FILES = {
    "police": ("police.csv", "utf-8", ","),
    "coroner": ("coroner.csv", "cp1252", ";"),
    "hospital": ("hospital.csv", "utf-8-sig", ","),
}
UNKNOWN_VALUES = {"SE IGNORA", "ND", "-", "SIN DATO"}
SMALL = {"victims_per_year": 400, "years": 1, "start_year": 2023}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every file the tests read, written once with the demo geography loaded; the database is rolled back."""
    root = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), transaction.atomic():
        demo_geography_load()
        demo_files_write(out_dir=root / "seed-7", seed=7, **SMALL)
        demo_files_write(out_dir=root / "seed-7-again", seed=7, **SMALL)
        demo_files_write(out_dir=root / "seed-8", seed=8, **SMALL)
        demo_files_write(out_dir=root / "hard", seed=7, noise=NOISE_LEVELS["hard"], **SMALL)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(police_generator, "CHUNK_ROWS", 1000)  # three chunks
            large_rows = write_police_file(path=root / "large.csv", rows=2500, seed=3)
        command_output, police_only_output = io.StringIO(), io.StringIO()
        call_command("generate_demo", out=root / "command", victims_per_year=50, years=1, stdout=command_output)
        call_command(
            "generate_demo",
            "--police-only",
            "--police-rows",
            "300",
            out=root / "police-only",
            stdout=police_only_output,
        )
        transaction.set_rollback(True)
    return {
        "root": root,
        "large_rows": large_rows,
        "command_output": command_output.getvalue(),
        "police_only_output": police_only_output.getvalue(),
    }


def lines_of(path, *, encoding: str, separator: str) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=separator))


def records(directory, source: str) -> list[dict[str, str]]:
    """The rows of a source file that hold a record: blank lines and rows of bare separators skipped."""
    file_name, encoding, separator = FILES[source]
    header, *rows = lines_of(directory / file_name, encoding=encoding, separator=separator)
    return [dict(zip(header, row, strict=False)) for row in rows if any(row)]


def record_id(source: str, row: dict[str, str]) -> str:
    if source == "police":
        return f"{row['no_denuncia']}#{row['correlativo_victima']}"
    return row["numero_autopsia"] if source == "coroner" else row["id_registro"]


def ground_truth(directory) -> dict[tuple[str, str], str]:
    with (directory / "ground_truth.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["source", "record_id", "victim_key"]
        lines = list(reader)
    keys = {(source, identifier): key for source, identifier, key in lines}
    assert len(keys) == len(lines), "a record appears twice in the ground truth"
    return keys


def records_by_victim(directory) -> dict[str, list[tuple[str, dict[str, str]]]]:
    truth = ground_truth(directory)
    by_victim = defaultdict(list)
    for source in FILES:
        for row in records(directory, source):
            by_victim[truth[source, record_id(source, row)]].append((source, row))
    return by_victim


def parsed(text: str, pattern: str) -> date | None:
    try:
        return datetime.strptime(text, pattern).date()
    except ValueError:
        return None


def moment(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None


def test_files_have_the_contract_layouts_encodings_and_separators(generated):
    directory = generated["root"] / "seed-7"
    police = (directory / "police.csv").read_bytes()
    assert not police.startswith(codecs.BOM_UTF8)
    assert police.decode("utf-8").split("\n", 1)[0] == ",".join(HEADERS["police"])

    coroner = (directory / "coroner.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        coroner.decode("utf-8")  # accented letters are single Windows-1252 bytes
    assert coroner.decode("cp1252").split("\r\n", 1)[0] == ";".join(HEADERS["coroner"])
    names = [row["nombre_fallecido"] for row in records(directory, "coroner")]
    assert sum(any(letter in name for letter in "ÁÉÍÓÚÑ") for name in names) > len(names) / 3

    hospital = (directory / "hospital.csv").read_bytes()
    assert hospital.startswith(codecs.BOM_UTF8)
    assert hospital.decode("utf-8-sig").split("\r\n", 1)[0] == ",".join(HEADERS["hospital"])

    for source, (file_name, encoding, separator) in FILES.items():
        header, *rows = lines_of(directory / file_name, encoding=encoding, separator=separator)
        assert header == HEADERS[source]
        widths = Counter(len(row) for row in rows if row)
        # Every row has the header's width; a trailing separator adds one empty field and shifts nothing.
        assert set(widths) <= {len(header), len(header) + 1}, (source, widths)
        assert widths[len(header)] > 0.99 * len(rows)
        assert all(row[-1] == "" for row in rows if len(row) == len(header) + 1)


def test_dates_are_written_in_each_source_format(generated):
    directory = generated["root"] / "seed-7"
    formats = {
        ("police", "fecha_hecho"): "%d/%m/%Y",
        ("coroner", "fecha_levantamiento"): "%Y-%m-%d",
        ("hospital", "fecha_ingreso"): "%Y-%m-%dT%H:%M:%S",
    }
    for (source, column), pattern in formats.items():
        values = [row[column] for row in records(directory, source)]
        readable = [value for value in values if parsed(value, pattern)]
        assert 0.98 * len(values) <= len(readable) < len(values) + 1
    times = [row["hora_hecho"] for row in records(directory, "police") if row["hora_hecho"]]
    assert all(re.fullmatch(r"[0-2]\d:[0-5]\d", time) for time in times)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(generated):
    root = generated["root"]
    for file_name in ("police.csv", "coroner.csv", "hospital.csv", "ground_truth.csv"):
        assert (root / "seed-7" / file_name).read_bytes() == (root / "seed-7-again" / file_name).read_bytes()
        assert (root / "seed-7" / file_name).read_bytes() != (root / "seed-8" / file_name).read_bytes()


def test_the_ground_truth_names_exactly_the_records_of_the_files(generated):
    directory = generated["root"] / "seed-7"
    truth = ground_truth(directory)
    in_files = Counter((source, record_id(source, row)) for source in FILES for row in records(directory, source))
    assert max(in_files.values()) == 1, "record ids are unique within a file"
    assert set(in_files) == set(truth)
    assert {source for source, _ in truth} == {"police", "coroner", "hospital"}


def test_victim_keys_link_records_across_sources_and_within_the_police(generated):
    by_victim = records_by_victim(generated["root"] / "seed-7")
    patterns = Counter(frozenset(source for source, _ in found) for found in by_victim.values())
    assert patterns[frozenset({"police", "coroner"})] > 50
    assert patterns[frozenset({"police", "coroner", "hospital"})] > 10
    assert patterns[frozenset({"coroner", "hospital"})] > 0
    assert patterns[frozenset({"police"})] > 0 and patterns[frozenset({"coroner"})] > 0
    reported_twice = [
        found
        for found in by_victim.values()
        if len({row["no_denuncia"] for source, row in found if source == "police"}) > 1
        and not any(
            source == "police" and row["delito"] in ("DESAPARICION", "PERSONA DESAPARECIDA") for source, row in found
        )
    ]
    assert reported_twice, "some victims are reported by two police units"
    incidents = Counter(row["no_denuncia"] for row in records(generated["root"] / "seed-7", "police"))
    assert max(incidents.values()) in (2, 3)


def test_each_source_sees_its_share_of_the_homicides(generated):
    by_victim = records_by_victim(generated["root"] / "seed-7")
    homicides = [
        found
        for found in by_victim.values()
        if any(source == "coroner" and row["manera_muerte"] == "HOMICIDA" for source, row in found)
    ]
    assert 120 < len(homicides) < 260  # about 43% of 400 victims, 95% of them at the coroner
    in_police = sum(any(source == "police" for source, _ in found) for found in homicides) / len(homicides)
    in_hospital = sum(any(source == "hospital" for source, _ in found) for found in homicides) / len(homicides)
    assert 0.7 < in_police < 0.97
    assert 0.12 < in_hospital < 0.4
    filed_otherwise = [
        row["delito"]
        for found in homicides
        for source, row in found
        if source == "police" and row["delito"] in ("MUERTE EN INVESTIGACION", "ACCIDENTE DE TRANSITO")
    ]
    assert filed_otherwise, "some homicides are filed by the police under another offence"


def test_missing_persons_found_dead_are_linked_to_a_later_autopsy(generated):
    by_victim = records_by_victim(generated["root"] / "seed-7")
    missing = {
        key: found
        for key, found in by_victim.items()
        if any(
            source == "police" and row["delito"] in ("DESAPARICION", "PERSONA DESAPARECIDA") for source, row in found
        )
    }
    found_dead = []
    for found in missing.values():
        reported = min(
            filter(None, (parsed(row["fecha_hecho"], "%d/%m/%Y") for source, row in found if source == "police")),
            default=None,
        )
        recovered = [parsed(row["fecha_levantamiento"], "%Y-%m-%d") for source, row in found if source == "coroner"]
        if reported and any(day and (day - reported).days >= 7 for day in recovered):
            found_dead.append(found)
    assert 0.1 < len(found_dead) / len(missing) < 0.5  # about a third found dead, most of them by the coroner


def test_unidentified_bodies_are_in_the_coroner_file_and_twice_as_many_with_hard_noise(generated):
    def unidentified_share(directory) -> float:
        rows = records(directory, "coroner")
        unidentified = [row for row in rows if row["estado_identificacion"] == "NO IDENTIFICADO"]
        assert all(
            row["nombre_fallecido"].strip() in ("NN", "DESCONOCIDO") or row["nombre_fallecido"] in UNKNOWN_VALUES
            for row in unidentified
        )
        return len(unidentified) / len(rows)

    default_share, hard_share = (unidentified_share(generated["root"] / name) for name in ("seed-7", "hard"))
    assert 0.02 < default_share < 0.09
    assert hard_share > 1.5 * default_share
    police_names = [row["victima_nombre"] for row in records(generated["root"] / "seed-7", "police")]
    assert "DESCONOCIDO" in police_names


def test_identity_numbers_are_missing_as_each_source_misses_them(generated):
    def missing_share(directory, source: str, column: str) -> float:
        rows = records(directory, source)
        return sum(not row[column] for row in rows) / len(rows)

    default, hard = generated["root"] / "seed-7", generated["root"] / "hard"
    assert 0.4 < missing_share(default, "police", "victima_dni") < 0.75
    assert missing_share(default, "coroner", "identificacion") < 0.35
    assert missing_share(hard, "coroner", "identificacion") > 0.4
    assert missing_share(default, "hospital", "documento") > 0.8
    ids = [row["identificacion"] for row in records(default, "coroner") if row["identificacion"]]
    assert any(re.fullmatch(r"\d{4}-\d{5}-\d{4}", value) for value in ids)
    assert all(len(re.sub(r"\D", "", value)) == 13 for value in ids if value not in UNKNOWN_VALUES)


def test_each_source_writes_its_own_codes(generated):
    directory = generated["root"] / "seed-7"
    police, coroner, hospital = (records(directory, source) for source in FILES)
    assert {row["victima_sexo"] for row in police} - UNKNOWN_VALUES <= {"M", "F", "H", "MUJER", "HOMBRE", ""}
    assert {row["sexo"] for row in coroner} - UNKNOWN_VALUES <= {"MASCULINO", "FEMENINO", "INDETERMINADO"}
    assert {row["sexo"] for row in hospital} - UNKNOWN_VALUES <= {"1", "2", "9"}
    assert {row["unidad_edad"] for row in hospital} <= {"A", "M", "D", ""}
    assert {row["departamento"] for row in police} == {"GUATEMALA"}
    assert {row["delito"] for row in police if row["victima_sexo"] in ("F", "MUJER")} >= {"FEMICIDIO"}
    femicide_victims = {row["victima_sexo"] for row in police if row["delito"] == "FEMICIDIO"}
    assert femicide_victims - UNKNOWN_VALUES <= {"F", "MUJER", ""}
    with_point = sum(bool(row["latitud"]) for row in police) / len(police)
    assert 0.3 < with_point < 0.5
    assert any(re.fullmatch(r"\d+ (AÑOS|años|ANOS)", row["victima_edad"]) for row in police)
    assert any(row["victima_edad"] == "999" for row in police)
    cause_ranges = {
        "HOMICIDA": ("X85", "Y09"),
        "SUICIDA": ("X60", "X84"),
        "ACCIDENTAL": ("V01", "V99"),
        "INDETERMINADA": ("Y10", "Y34"),
    }
    for row in coroner:
        if row["manera_muerte"] in cause_ranges and row["causa_basica_cie10"]:
            low, high = cause_ranges[row["manera_muerte"]]
            assert low <= row["causa_basica_cie10"][:3] <= high, row
    assert any(row["hallazgo"] == "FOSA CLANDESTINA" for row in coroner)
    assert any(row["manera_muerte"] == "NATURAL" for row in coroner)
    survivors = [row for row in hospital if row["condicion_egreso"] == "VIVO" and row["intencionalidad"] == "AGRESION"]
    assert {row["cie10_causa_externa"][:3] for row in survivors} >= {"X95", "X99", "Y00", "Y04"}


def test_common_names_are_shared_by_different_people_a_few_weeks_apart(generated):
    truth = ground_truth(generated["root"] / "seed-7")
    seen = defaultdict(list)  # (first given name, first surname) -> (victim, day)
    for row in records(generated["root"] / "seed-7", "police"):
        words, day = row["victima_nombre"].split(), parsed(row["fecha_hecho"], "%d/%m/%Y")
        if len(words) == 4 and day:
            seen[words[0], words[2]].append((truth["police", record_id("police", row)], day))
    collisions = [
        (first, second)
        for sightings in seen.values()
        for first in sightings
        for second in sightings
        if first[0] < second[0] and abs((first[1] - second[1]).days) <= 60
    ]
    assert len(collisions) >= 3


def test_hospital_deaths_follow_admission_and_reach_the_coroner_from_hospital(generated):
    by_victim = records_by_victim(generated["root"] / "seed-7")
    died_in_hospital = [
        found
        for found in by_victim.values()
        if any(source == "hospital" and row["condicion_egreso"] == "FALLECIDO" for source, row in found)
    ]
    assert died_in_hospital
    for found in died_in_hospital:
        for source, row in found:
            if source == "hospital":
                admitted, left = (moment(row[column]) for column in ("fecha_ingreso", "fecha_egreso"))
                assert not (admitted and left) or admitted < left
    recovered_at_hospital = [
        found
        for found in died_in_hospital
        if any(source == "coroner" and row["hallazgo"] == "HOSPITAL" for source, row in found)
    ]
    assert len(recovered_at_hospital) > 0.7 * len(died_in_hospital)


def test_a_few_bad_values_stay_in_the_files_without_breaking_them(generated):
    _header, *rows = lines_of(generated["root"] / "large.csv", encoding="utf-8", separator=",")
    blank = [row for row in rows if not any(row)]
    dated = [row[2] for row in rows if any(row)]
    impossible = [day for day in dated if re.fullmatch(r"\d{2}/\d{2}/\d{4}", day) and not parsed(day, "%d/%m/%Y")]
    future = [day for day in dated if parsed(day, "%d/%m/%Y") and parsed(day, "%d/%m/%Y").year > 2030]
    defects = len(blank) + len(impossible) + len(future)
    assert 0 < defects < 0.01 * len(rows)


def test_the_large_police_file_has_exactly_the_rows_asked_for(generated):
    assert generated["large_rows"] == 2500
    header, *rows = lines_of(generated["root"] / "large.csv", encoding="utf-8", separator=",")
    assert header == HEADERS["police"]
    victims = [row for row in rows if any(row)]
    assert len(victims) == 2500
    assert len({(row[0], row[1]) for row in victims}) == 2500  # report numbers carry on across chunks
    assert Counter(row[1] for row in victims)["2"] > 0
    assert {row[4] for row in victims} >= {"HOMICIDIO", "ROBO", "LESIONES", "DESAPARICION", "FEMICIDIO"}


def test_the_command_prints_one_line_per_file(generated):
    lines = generated["command_output"].splitlines()
    assert [line.split(":")[0] for line in lines] == ["police.csv", "coroner.csv", "hospital.csv", "ground_truth.csv"]
    police_rows = len(records(generated["root"] / "command", "police"))
    assert lines[0] == f"police.csv: {police_rows} rows"
    assert generated["police_only_output"].splitlines() == ["police.csv: 300 rows"]
    assert len(records(generated["root"] / "police-only", "police")) == 300
