import csv
import io
from pathlib import Path

import pytest
from django.utils import translation

from ingestion.models import ImportRun
from ingestion.services import import_run_create, import_run_process
from observatory.geography.models import Level
from observatory.records.models import Source
from tests.factories import AdminUnitFactory, square

POLICE_HEADER = [
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
]
CORONER_HEADER = [
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
]
HOSPITAL_HEADER = [
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
]


def police_row(**values) -> dict:
    row = {
        "no_denuncia": "DPI-2024-000001",
        "correlativo_victima": "1",
        "fecha_hecho": "14/03/2024",
        "hora_hecho": "21:40",
        "delito": "HOMICIDIO",
        "departamento": "GUATEMALA",
        "municipio": "MIXCO",
        "colonia": "COL. EL MILAGRO",
        "direccion": "3 calle, frente a pulperia",
        "latitud": "",
        "longitud": "",
        "tipo_lugar": "VIA PUBLICA",
        "arma": "ARMA DE FUEGO",
        "victima_nombre": "JOSE LUIS MARTINEZ RIVERA",
        "victima_dni": "0801199012345",
        "victima_sexo": "H",
        "victima_edad": "23",
        "unidad": "UMEP-3",
    }
    row.update(values)
    return row


def csv_bytes(header: list[str], rows: list[dict], *, separator: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=separator, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


# Three good police rows (victims 1 to 3 of one report), for the tests that spoil one of their lines.
GOOD = csv_bytes(POLICE_HEADER, [police_row(correlativo_victima=str(number)) for number in (1, 2, 3)])


def file_notes(run: ImportRun) -> list[str]:
    """The run's notes about the file as a whole (row 0), not about one of its rows."""
    return list(run.issues.filter(row_number=0).values_list("reason", flat=True))


@pytest.fixture(autouse=True)
def english_messages():
    """Issue reasons are written in the active language (Spanish by default); these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def raw_store(settings, tmp_path):
    settings.INGEST_RAW_ROOT = tmp_path / "raw"
    settings.INGEST_DROP_DIR = tmp_path / "drop"
    settings.INGEST_DROP_SETTLE_SECONDS = 0
    return settings.INGEST_RAW_ROOT


@pytest.fixture
def demo_city(small_hierarchy):
    """Mixco and Villa Nueva side by side, with two colonias in Mixco."""
    mixco = small_hierarchy["mixco"]
    milagro = AdminUnitFactory(
        level=Level.COLONIA, code="0108-001", name="El Milagro", parent=mixco, boundary=square(-90.7, 14.6, 0.05)
    )
    belen = AdminUnitFactory(
        level=Level.COLONIA, code="0108-002", name="Belén", parent=mixco, boundary=square(-90.65, 14.6, 0.05)
    )
    return {**small_hierarchy, "milagro": milagro, "belen": belen}


@pytest.fixture
def run_file(db):
    """Send bytes through the same service every channel uses and process them inline."""

    def send(
        content: bytes,
        *,
        source: str = "police",
        filename: str = "export.csv",
        channel: str = ImportRun.Channel.COMMAND,
    ) -> ImportRun:
        run = import_run_create(
            source=Source.objects.get(pk=source),
            stream=io.BytesIO(content),
            filename=filename,
            channel=channel,
            enqueue=False,
        )
        return import_run_process(run_id=run.pk)

    return send


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
