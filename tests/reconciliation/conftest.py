"""Small, realistic sets of police, coroner and hospital rows, taken in through the real ingestion pipeline, and
helpers to run the linkage over them (with the shipped priors: too few records to estimate a model)."""

import pytest

from observatory.reconciliation.models import CandidatePair, LinkageRun, VictimRecord
from observatory.reconciliation.services import linkage_run_now
from observatory.records.models import SourceRecord
from tests.ingestion.conftest import (
    CORONER_HEADER,
    HOSPITAL_HEADER,
    POLICE_HEADER,
    csv_bytes,
    demo_city,  # noqa: F401
    english_messages,  # noqa: F401
    police_row,
    raw_store,  # noqa: F401
    run_file,  # noqa: F401
)

HEADERS = {"police": POLICE_HEADER, "coroner": CORONER_HEADER, "hospital": HOSPITAL_HEADER}


def coroner_row(**values) -> dict:
    row = {
        "numero_autopsia": "AUT-GUA-2024-00412",
        "fecha_levantamiento": "2024-03-15",
        "fecha_muerte": "2024-03-14",
        "nombre_fallecido": "JOSÉ LUIS MARTÍNEZ RIVERA",
        "identificacion": "0801199012345",
        "sexo": "MASCULINO",
        "edad_anios": "23",
        "manera_muerte": "HOMICIDA",
        "causa_basica_cie10": "X95",
        "mecanismo": "PROYECTIL DE ARMA DE FUEGO",
        "municipio_levantamiento": "Mixco",
        "lugar_levantamiento": "Col. El Milagro, 3a. calle",
        "estado_identificacion": "RECLAMADO",
        "hallazgo": "VIA PUBLICA",
    }
    row.update(values)
    return row


def hospital_row(**values) -> dict:
    row = {
        "id_registro": "HR-2024-118204",
        "establecimiento": "HOSPITAL ROOSEVELT",
        "fecha_ingreso": "2024-03-14T22:10:00",
        "fecha_egreso": "2024-03-14T23:55:00",
        "condicion_egreso": "FALLECIDO",
        "paciente": "JOSE LUIS MARTINEZ",
        "documento": "",
        "sexo": "1",
        "edad": "23",
        "unidad_edad": "A",
        "cie10_lesion": "S21.1",
        "cie10_causa_externa": "X95.4",
        "intencionalidad": "AGRESION",
        "municipio_ocurrencia": "MIXCO",
        "municipio_residencia": "MIXCO",
    }
    row.update(values)
    return row


ROW_BUILDERS = {"police": police_row, "coroner": coroner_row, "hospital": hospital_row}


@pytest.fixture
def send_rows(run_file, demo_city):  # noqa: F811
    """Import rows of one source through the pipeline; fails loudly if a row was rejected."""

    def send(source: str, rows: list[dict]):
        run = run_file(csv_bytes(HEADERS[source], rows), source=source, filename=f"{source}.csv")
        assert run.rows_rejected == 0, list(run.issues.values_list("row_number", "column", "reason"))
        return run

    return send


def record(source: str, record_id: str) -> SourceRecord:
    return SourceRecord.objects.get(source_id=source, record_id=record_id)


def victim_of(source: str, record_id: str) -> int | None:
    link = VictimRecord.objects.filter(record=record(source, record_id)).first()
    return link.victim_id if link else None


def pair_of(first: tuple[str, str], second: tuple[str, str]) -> CandidatePair | None:
    low, high = sorted((record(*first).pk, record(*second).pk))
    return CandidatePair.objects.filter(record_low_id=low, record_high_id=high).first()


@pytest.fixture
def link():
    def run(kind: str = LinkageRun.Kind.INCREMENTAL) -> LinkageRun:
        finished = linkage_run_now(kind=kind)
        assert finished.status == LinkageRun.Status.DONE, finished.error
        return finished

    return run
