"""The three sources' export layouts (docs/sources.md), the ground truth's, and the noise levels."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FileLayout:
    file_name: str
    columns: tuple[str, ...]
    encoding: str
    separator: str
    line_end: str
    date_columns: tuple[str, ...]  # where an impossible or a future date may be typed
    term_columns: tuple[str, ...]  # where an unknown value ("SE IGNORA", "ND", "-") may be typed
    text_columns: tuple[str, ...]  # where stray trailing spaces may be left


POLICE = FileLayout(
    file_name="police.csv",
    columns=(
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
    ),
    encoding="utf-8",
    separator=",",
    line_end="\n",
    date_columns=("fecha_hecho",),
    term_columns=("delito", "arma", "tipo_lugar", "victima_sexo", "victima_edad"),
    text_columns=("victima_nombre", "colonia", "municipio", "direccion"),
)
CORONER = FileLayout(
    file_name="coroner.csv",
    columns=(
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
    ),
    encoding="cp1252",
    separator=";",
    line_end="\r\n",
    date_columns=("fecha_levantamiento", "fecha_muerte"),
    term_columns=("sexo", "edad_anios", "manera_muerte", "mecanismo", "hallazgo"),
    text_columns=("nombre_fallecido", "municipio_levantamiento", "lugar_levantamiento"),
)
HOSPITAL = FileLayout(
    file_name="hospital.csv",
    columns=(
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
    ),
    encoding="utf-8-sig",
    separator=",",
    line_end="\r\n",
    date_columns=("fecha_ingreso", "fecha_egreso"),
    term_columns=("sexo", "condicion_egreso", "intencionalidad"),
    text_columns=("paciente", "establecimiento", "municipio_residencia"),
)
GROUND_TRUTH_FILE = "ground_truth.csv"
GROUND_TRUTH_COLUMNS = ("source", "record_id", "victim_key")


@dataclass(frozen=True)
class Noise:
    typo_rate: float  # names with one character substituted, dropped or transposed
    police_id_missing: float
    coroner_id_missing: float
    hospital_id_missing: float
    unidentified_factor: float  # multiplies every chance that a victim's identity is unknown
    date_shift_rate: float  # dates typed a day or two off
    age_shift_rate: float  # ages one year off
    bad_value_rate: float  # rows with an impossible date, an unknown value, a stray line...


NOISE_LEVELS = {
    "default": Noise(
        typo_rate=0.03,
        police_id_missing=0.5,
        coroner_id_missing=0.12,
        hospital_id_missing=0.85,
        unidentified_factor=1.0,
        date_shift_rate=0.04,
        age_shift_rate=0.12,
        bad_value_rate=0.003,
    ),
    "hard": Noise(
        typo_rate=0.10,
        police_id_missing=0.6,
        coroner_id_missing=0.40,
        hospital_id_missing=0.9,
        unidentified_factor=2.0,
        date_shift_rate=0.15,
        age_shift_rate=0.25,
        bad_value_rate=0.003,
    ),
}
