"""The coroner: forensic findings, where bodies were collected, and how autopsies are written and numbered."""

import random
from collections import Counter
from datetime import timedelta

from observatory.geography.folding import strip_accents

from .drawing import pick
from .events import (
    BLUNT,
    BUSINESS,
    FIREARM,
    GRAVE,
    HOME,
    IN_HOSPITAL,
    NONE,
    OTHER,
    PUBLIC_ROAD,
    RAVINE,
    SHARP,
    STRANGULATION,
    TRANSPORT,
    UNDETERMINED_CAUSES,
    UNKNOWN,
    VEHICLE,
    Kind,
)
from .layouts import Noise
from .places import CityPlaces
from .slips import name_typo, national_id_written, words
from .timeline import EPOCH, day_text

# Forensic findings: manner as the coroner records it (disputes included).
MANNERS = {
    Kind.HOMICIDE: {"HOMICIDA": 0.94, "EN ESTUDIO": 0.04, "INDETERMINADA": 0.02},
    Kind.FEMICIDE: {"HOMICIDA": 0.95, "EN ESTUDIO": 0.03, "INDETERMINADA": 0.02},
    Kind.SUICIDE: {"SUICIDA": 0.96, "EN ESTUDIO": 0.04},
    Kind.ROAD_TRAFFIC_DEATH: {"ACCIDENTAL": 0.97, "EN ESTUDIO": 0.03},
    Kind.UNDETERMINED_DEATH: {"INDETERMINADA": 0.8, "EN ESTUDIO": 0.2},
    Kind.NATURAL_DEATH: {"NATURAL": 0.95, "EN ESTUDIO": 0.05},
    Kind.MISSING_PERSON: {"HOMICIDA": 0.55, "INDETERMINADA": 0.35, "EN ESTUDIO": 0.1},
}
CAUSE_MECHANISMS = {
    "X70": {"AHORCAMIENTO": 0.6, "ASFIXIA POR SUSPENSION": 0.4},
    "X68": {"INTOXICACION": 1.0},
    "X80": {"CAIDA": 1.0},
    "V03": {"ATROPELLAMIENTO": 1.0},
}
RIVERS = ("Río Villalobos", "Río Las Vacas", "Río Platanitos", "Río Pinula")

CORONER_SEXES = {"M": "MASCULINO", "F": "FEMENINO"}
CORONER_PLACES = {
    PUBLIC_ROAD: {"VIA PUBLICA": 1.0},
    HOME: {"VIVIENDA": 1.0},
    BUSINESS: {"COMERCIO": 1.0},
    TRANSPORT: {"VIA PUBLICA": 0.7, "OTRO": 0.3},
    RAVINE: {"BARRANCO": 0.6, "RIO": 0.4},
    GRAVE: {"FOSA CLANDESTINA": 1.0},
    IN_HOSPITAL: {"HOSPITAL": 1.0},
    OTHER: {"OTRO": 1.0},
}
CORONER_MECHANISMS = {
    FIREARM: {"PROYECTIL DE ARMA DE FUEGO": 0.7, "HERIDA POR ARMA DE FUEGO": 0.3},
    SHARP: {"ARMA BLANCA": 0.6, "OBJETO CORTOPUNZANTE": 0.4},
    BLUNT: {"TRAUMA CONTUSO": 0.6, "OBJETO CONTUNDENTE": 0.4},
    STRANGULATION: {"ESTRANGULAMIENTO": 0.5, "ASFIXIA": 0.5},
    VEHICLE: {"HECHO DE TRANSITO": 0.6, "COLISION": 0.4},
    OTHER: {"OTRO": 1.0},
    UNKNOWN: {"": 0.5, "SE IGNORA": 0.5},
    NONE: {"ENFERMEDAD": 1.0},
}
UNIDENTIFIED_NAMES = {"NN": 0.6, "DESCONOCIDO": 0.4}


def forensic_findings(*, kind: str, weapon: str, cause: str, r: random.Random) -> tuple[str, str, str]:
    """Manner, ICD-10 underlying cause and mechanism as the autopsy records them; a few stay under study."""
    manner = pick(r, MANNERS[kind])
    if manner == "EN ESTUDIO":
        cause = ""
    elif manner == "INDETERMINADA":
        cause = UNDETERMINED_CAUSES[weapon]
    mechanism = pick(r, CAUSE_MECHANISMS.get(cause) or CORONER_MECHANISMS[weapon])
    if cause and r.random() < 0.15:
        cause += ".9"
    return manner, cause, mechanism


def place_described(person, place: str, places: CityPlaces, r: random.Random) -> str:
    colonia = places.colonias[person.colonia].name
    prefix = "Col." if r.random() < 0.7 else "Colonia"
    if place == GRAVE:
        return f"Fosa clandestina, {prefix} {colonia}"
    if place == RAVINE:
        if r.random() < 0.6:
            return f"Barranco de la {prefix} {colonia}"
        return f"{r.choice(RIVERS)}, altura de {prefix} {colonia}"
    return f"{prefix} {colonia}, {person.address.lower()}"


def coroner_row(
    *,
    person,
    died: int,
    recovered: int,
    death_known: float,
    municipality: int,
    place: str,
    where: str,
    unidentified: bool,
    manner: str,
    cause: str,
    mechanism: str,
    places: CityPlaces,
    noise: Noise,
    r: random.Random,
) -> dict:
    if r.random() < noise.date_shift_rate:
        died -= 1  # the estimated date of death, a day off
    return {
        "victim_key": person.key,
        "recovered": recovered,
        "fecha_levantamiento": day_text(recovered, "%Y-%m-%d"),
        "fecha_muerte": day_text(min(died, recovered), "%Y-%m-%d") if r.random() < death_known else "",
        "nombre_fallecido": pick(r, UNIDENTIFIED_NAMES) if unidentified else _coroner_name(person, noise, r),
        "identificacion": (
            ""
            if unidentified or not person.national_id or r.random() < noise.coroner_id_missing
            else national_id_written(person.national_id, r)
        ),
        "sexo": (
            "INDETERMINADO" if unidentified and place == GRAVE and r.random() < 0.4 else CORONER_SEXES[person.sex]
        ),
        "edad_anios": _coroner_age(person.age_days, unidentified, r),
        "manera_muerte": manner,
        "causa_basica_cie10": cause,
        "mecanismo": mechanism,
        "municipio_levantamiento": pick(r, places.coroner_municipality_spellings[municipality]),
        "lugar_levantamiento": where,
        "estado_identificacion": (
            "NO IDENTIFICADO" if unidentified else pick(r, {"IDENTIFICADO": 0.7, "RECLAMADO": 0.3})
        ),
        "hallazgo": pick(r, CORONER_PLACES[place]),
    }


def _coroner_name(person, noise: Noise, r: random.Random) -> str:
    """Upper case with accents (JOSÉ LUIS MARTÍNEZ RIVERA), a married woman's DE, now and then surname first."""
    surnames = words(
        person.surname1,
        person.surname2 if r.random() >= 0.04 else "",
        f"DE {person.married_surname}" if person.married_surname and r.random() < 0.5 else "",
    )
    given = words(person.given1, person.given2)
    name = f"{surnames}, {given}" if r.random() < 0.03 else f"{given} {surnames}"
    if r.random() < 0.15:
        name = strip_accents(name)
    return name_typo(name, r) if r.random() < noise.typo_rate else name


def _coroner_age(age_days: int, unidentified: bool, r: random.Random) -> str:
    if unidentified:
        return "" if r.random() < 0.4 else str(max(1, round(age_days / 365 / 5) * 5))
    if age_days < 365:
        return f"{age_days / 365:.2f}"
    return "" if r.random() < 0.03 else str(age_days // 365)


def coroner_numbered(rows: list[dict], r: random.Random) -> list[dict]:
    """Autopsy numbers in order of recovery per year, with gaps for the cases of other municipalities."""
    rows = sorted(rows, key=lambda row: (row["recovered"], row["victim_key"]))
    counters: Counter = Counter()
    for row in rows:
        year = (EPOCH + timedelta(days=int(row["recovered"]))).year
        counters[year] += r.randint(1, 3)
        row["numero_autopsia"] = f"AUT-GUA-{year}-{counters[year]:05d}"
    return rows
