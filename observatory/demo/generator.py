"""Demo exports of the three sources for the demo city, and the ground truth of who is who.

A population of victims is drawn first: who they are, and when, where and how it happened. Each source then
records the victims it would have seen, in its own layout and spelling (shared/contract/sources.md), with the
slips of hand-kept systems and, now and then, a plainly bad value. Everything follows from the seed.
"""

import calendar
import math
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
from django.db import connection

from observatory.errors import ApplicationError
from observatory.geography.folding import strip_accents
from observatory.geography.models import AdminUnit, Level
from observatory.geography.services.demo import DEMO_CITY, DEMO_CITY_BASE_POPULATION

DEFAULT_SEED = 42
DEFAULT_START_YEAR = 2022
DEFAULT_YEARS = 3
# About 1.9 M people at 30-90 homicides per 100,000, plus injuries, suicides, road deaths, missing persons
# and the property crimes whose victims the police name.
DEFAULT_VICTIMS_PER_YEAR = 1500
NATURAL_DEATHS_PER_VICTIM = 0.15  # bodies the coroner receives that are out of scope
CHUNK_ROWS = 100_000
POINTS_PER_COLONIA = 500  # the pool of points inside each colonia that incidents are placed on
DUPLICATE_SHARE = 0.02  # police victims reported a second time, by another unit
FOUND_DEAD_SHARE = 1 / 3  # missing persons whose body the coroner receives weeks or months later
HOSPITAL_REGISTER_COVERAGE = 0.9  # deaths in hospital that the injury register records
SURVIVOR_SHARE = 0.25  # further victims of a homicide incident who survive their injuries
INVESTIGATION_SHARE = 0.08  # incidents filed by the investigation unit rather than the local station
INVESTIGATION_UNIT = "DEIC"
HOTSPOT_SEED = 20240501  # the same colonias are violent whatever the seed, as in a real city
MINUTES_PER_DAY = 1440
EPOCH = date(1970, 1, 1)


# --- Layouts ---------------------------------------------------------------------------------------------


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


# --- What happens ----------------------------------------------------------------------------------------


class Kind(StrEnum):
    HOMICIDE = "homicide"
    FEMICIDE = "femicide"
    ASSAULT_INJURY = "assault_injury"
    SUICIDE = "suicide"
    ROAD_TRAFFIC_DEATH = "road_traffic_death"
    ROAD_TRAFFIC_INJURY = "road_traffic_injury"
    UNDETERMINED_DEATH = "undetermined_death"
    MISSING_PERSON = "missing_person"
    ROBBERY = "robbery"
    THEFT = "theft"
    EXTORTION = "extortion"
    SEXUAL_VIOLENCE = "sexual_violence"
    KIDNAPPING = "kidnapping"
    NATURAL_DEATH = "natural_death"


SURVIVOR_KINDS = frozenset({Kind.ASSAULT_INJURY, Kind.ROAD_TRAFFIC_INJURY})
DEATH_KINDS = frozenset(
    {Kind.HOMICIDE, Kind.FEMICIDE, Kind.SUICIDE, Kind.ROAD_TRAFFIC_DEATH, Kind.UNDETERMINED_DEATH, Kind.NATURAL_DEATH}
)

# Place types and weapons, in the observatory's own terms (observatory.records.terms), plus "none".
PUBLIC_ROAD, HOME, BUSINESS, TRANSPORT = "public_road", "home", "business", "public_transport"
RAVINE, GRAVE, IN_HOSPITAL, OTHER = "river_or_ravine", "clandestine_grave", "hospital", "other"
FIREARM, SHARP, BLUNT, STRANGULATION = "firearm", "sharp_object", "blunt_object", "strangulation"
VEHICLE, UNKNOWN, NONE = "vehicle", "unknown", "none"

NIGHT_HOURS = (6, 4, 3, 2, 2, 2, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 7, 8, 9, 9, 9, 8, 7)
DAY_HOURS = (1, 1, 1, 1, 1, 2, 4, 6, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 6, 4, 3, 2, 1)
TRAFFIC_HOURS = (5, 4, 4, 3, 3, 4, 7, 8, 6, 5, 5, 5, 5, 5, 5, 6, 6, 7, 8, 7, 6, 6, 6, 5)


@dataclass(frozen=True)
class KindProfile:
    """How one kind of event happens, to whom, and which sources see it."""

    share: float  # of the victims; natural deaths are drawn apart
    female: float
    age: tuple[int, int, int, int]  # mean, standard deviation, minimum and maximum, in years
    sizes: dict[int, float]  # victims per incident
    places: dict[str, float]
    weapons: dict[str, float]
    hours: tuple[int, ...]
    delitos: dict[str, float]  # how the police file it
    police: float = 0.0
    coroner: float = 0.0
    hospital: float = 0.0  # survivors: chance of an admission; deaths: chance of dying in hospital
    unidentified: float = 0.0  # chance that nobody at the scene knows who the victim is
    infants: float = 0.0  # share of victims under one year old


KINDS: dict[str, KindProfile] = {
    Kind.HOMICIDE: KindProfile(
        share=0.40,
        female=0.12,
        age=(29, 11, 13, 85),
        sizes={1: 0.86, 2: 0.10, 3: 0.04},
        places={PUBLIC_ROAD: 0.62, HOME: 0.16, BUSINESS: 0.08, TRANSPORT: 0.06, RAVINE: 0.03, OTHER: 0.05},
        weapons={FIREARM: 0.65, SHARP: 0.16, BLUNT: 0.07, STRANGULATION: 0.05, OTHER: 0.03, UNKNOWN: 0.04},
        hours=NIGHT_HOURS,
        police=0.85,
        coroner=0.95,
        hospital=0.28,
        unidentified=0.06,
        infants=0.005,
        delitos={
            "HOMICIDIO": 0.66,
            "ASESINATO": 0.22,
            "MUERTE EN INVESTIGACION": 0.09,
            "ACCIDENTE DE TRANSITO": 0.015,
            "PARRICIDIO": 0.015,
        },
    ),
    Kind.FEMICIDE: KindProfile(
        share=0.035,
        female=1.0,
        age=(30, 12, 13, 80),
        sizes={1: 1.0},
        places={HOME: 0.5, PUBLIC_ROAD: 0.35, BUSINESS: 0.05, RAVINE: 0.05, OTHER: 0.05},
        weapons={FIREARM: 0.45, SHARP: 0.2, STRANGULATION: 0.2, BLUNT: 0.1, UNKNOWN: 0.05},
        hours=NIGHT_HOURS,
        police=0.88,
        coroner=0.95,
        hospital=0.22,
        unidentified=0.05,
        delitos={"FEMICIDIO": 0.8, "HOMICIDIO": 0.12, "ASESINATO": 0.05, "MUERTE EN INVESTIGACION": 0.03},
    ),
    Kind.ASSAULT_INJURY: KindProfile(
        share=0.20,
        female=0.2,
        age=(27, 10, 10, 80),
        sizes={1: 0.85, 2: 0.12, 3: 0.03},
        places={PUBLIC_ROAD: 0.6, HOME: 0.2, BUSINESS: 0.08, TRANSPORT: 0.07, OTHER: 0.05},
        weapons={FIREARM: 0.4, SHARP: 0.33, BLUNT: 0.15, OTHER: 0.12},
        hours=NIGHT_HOURS,
        police=0.45,
        hospital=0.8,
        infants=0.005,
        delitos={"LESIONES": 0.72, "LESIONES GRAVES": 0.12, "TENTATIVA DE HOMICIDIO": 0.1, "LESIONES LEVES": 0.06},
    ),
    Kind.SUICIDE: KindProfile(
        share=0.045,
        female=0.2,
        age=(32, 15, 10, 90),
        sizes={1: 1.0},
        places={HOME: 0.85, OTHER: 0.1, RAVINE: 0.05},
        weapons={STRANGULATION: 0.65, OTHER: 0.2, FIREARM: 0.1, SHARP: 0.05},
        hours=NIGHT_HOURS,
        police=0.6,
        coroner=0.97,
        hospital=0.17,
        unidentified=0.02,
        delitos={"SUICIDIO": 0.75, "MUERTE EN INVESTIGACION": 0.25},
    ),
    Kind.ROAD_TRAFFIC_DEATH: KindProfile(
        share=0.09,
        female=0.18,
        age=(37, 17, 1, 90),
        sizes={1: 0.9, 2: 0.08, 3: 0.02},
        places={PUBLIC_ROAD: 1.0},
        weapons={VEHICLE: 1.0},
        hours=TRAFFIC_HOURS,
        police=0.8,
        coroner=0.95,
        hospital=0.38,
        unidentified=0.04,
        delitos={"ACCIDENTE DE TRANSITO": 0.95, "MUERTE EN INVESTIGACION": 0.05},
    ),
    Kind.ROAD_TRAFFIC_INJURY: KindProfile(
        share=0.03,
        female=0.3,
        age=(31, 14, 1, 85),
        sizes={1: 0.8, 2: 0.15, 3: 0.05},
        places={PUBLIC_ROAD: 1.0},
        weapons={VEHICLE: 1.0},
        hours=TRAFFIC_HOURS,
        hospital=0.95,
        infants=0.01,
        delitos={},
    ),
    Kind.UNDETERMINED_DEATH: KindProfile(
        share=0.04,
        female=0.15,
        age=(38, 17, 14, 90),
        sizes={1: 1.0},
        places={RAVINE: 0.35, PUBLIC_ROAD: 0.35, HOME: 0.2, OTHER: 0.1},
        weapons={UNKNOWN: 0.6, BLUNT: 0.2, FIREARM: 0.1, STRANGULATION: 0.1},
        hours=NIGHT_HOURS,
        police=0.75,
        coroner=0.97,
        hospital=0.05,
        unidentified=0.25,
        infants=0.02,
        delitos={"MUERTE EN INVESTIGACION": 0.8, "HOMICIDIO": 0.15, "MUERTE POR ESCLARECER": 0.05},
    ),
    Kind.MISSING_PERSON: KindProfile(
        share=0.06,
        female=0.55,
        age=(22, 12, 2, 80),
        sizes={1: 0.92, 2: 0.08},
        places={PUBLIC_ROAD: 0.5, HOME: 0.3, OTHER: 0.2},
        weapons={NONE: 1.0},
        hours=DAY_HOURS,
        police=1.0,
        delitos={"DESAPARICION": 0.85, "PERSONA DESAPARECIDA": 0.15},
    ),
    Kind.ROBBERY: KindProfile(
        share=0.045,
        female=0.4,
        age=(34, 13, 12, 85),
        sizes={1: 0.85, 2: 0.1, 3: 0.05},
        places={PUBLIC_ROAD: 0.5, TRANSPORT: 0.25, BUSINESS: 0.2, HOME: 0.05},
        weapons={FIREARM: 0.55, SHARP: 0.25, UNKNOWN: 0.2},
        hours=DAY_HOURS,
        police=1.0,
        delitos={"ROBO": 0.75, "ROBO AGRAVADO": 0.25},
    ),
    Kind.THEFT: KindProfile(
        share=0.025,
        female=0.45,
        age=(36, 14, 12, 90),
        sizes={1: 1.0},
        places={PUBLIC_ROAD: 0.4, BUSINESS: 0.3, HOME: 0.2, TRANSPORT: 0.1},
        weapons={NONE: 1.0},
        hours=DAY_HOURS,
        police=1.0,
        delitos={"HURTO": 0.85, "HURTO AGRAVADO": 0.15},
    ),
    Kind.EXTORTION: KindProfile(
        share=0.02,
        female=0.3,
        age=(42, 12, 18, 85),
        sizes={1: 1.0},
        places={BUSINESS: 0.6, HOME: 0.4},
        weapons={NONE: 0.7, FIREARM: 0.3},
        hours=DAY_HOURS,
        police=1.0,
        delitos={"EXTORSION": 1.0},
    ),
    Kind.SEXUAL_VIOLENCE: KindProfile(
        share=0.008,
        female=0.9,
        age=(17, 9, 3, 70),
        sizes={1: 1.0},
        places={HOME: 0.6, PUBLIC_ROAD: 0.3, OTHER: 0.1},
        weapons={NONE: 0.7, OTHER: 0.3},
        hours=NIGHT_HOURS,
        police=1.0,
        delitos={"VIOLACION": 0.85, "AGRESION SEXUAL": 0.15},
    ),
    Kind.KIDNAPPING: KindProfile(
        share=0.002,
        female=0.3,
        age=(25, 15, 1, 80),
        sizes={1: 1.0},
        places={PUBLIC_ROAD: 0.8, HOME: 0.2},
        weapons={FIREARM: 0.6, NONE: 0.4},
        hours=DAY_HOURS,
        police=1.0,
        delitos={"SECUESTRO": 0.8, "PLAGIO O SECUESTRO": 0.2},
    ),
    Kind.NATURAL_DEATH: KindProfile(
        share=0.0,
        female=0.45,
        age=(64, 18, 0, 100),
        sizes={1: 1.0},
        places={HOME: 0.65, PUBLIC_ROAD: 0.25, OTHER: 0.1},
        weapons={NONE: 1.0},
        hours=DAY_HOURS,
        coroner=1.0,
        hospital=0.1,
        unidentified=0.02,
        infants=0.03,
        delitos={},
    ),
}
DELITO_SYNONYMS = {
    "HOMICIDIO": "ASESINATO",
    "ASESINATO": "HOMICIDIO",
    "FEMICIDIO": "HOMICIDIO",
    "LESIONES": "LESIONES GRAVES",
    "ROBO": "ROBO AGRAVADO",
}
BODY_FOUND_DELITOS = {"MUERTE EN INVESTIGACION": 0.6, "HOMICIDIO": 0.4}
FOUND_DEAD_PLACES = {GRAVE: 0.35, RAVINE: 0.35, PUBLIC_ROAD: 0.2, HOME: 0.1}
FOUND_DEAD_WEAPONS = {UNKNOWN: 0.5, FIREARM: 0.3, STRANGULATION: 0.2}
RECOVERY_LAG_DAYS = {0: 0.62, 1: 0.27, 2: 0.07, 3: 0.04}

# Forensic findings: manner as the coroner records it (disputes included), and ICD-10 underlying causes.
MANNERS = {
    Kind.HOMICIDE: {"HOMICIDA": 0.94, "EN ESTUDIO": 0.04, "INDETERMINADA": 0.02},
    Kind.FEMICIDE: {"HOMICIDA": 0.95, "EN ESTUDIO": 0.03, "INDETERMINADA": 0.02},
    Kind.SUICIDE: {"SUICIDA": 0.96, "EN ESTUDIO": 0.04},
    Kind.ROAD_TRAFFIC_DEATH: {"ACCIDENTAL": 0.97, "EN ESTUDIO": 0.03},
    Kind.UNDETERMINED_DEATH: {"INDETERMINADA": 0.8, "EN ESTUDIO": 0.2},
    Kind.NATURAL_DEATH: {"NATURAL": 0.95, "EN ESTUDIO": 0.05},
    Kind.MISSING_PERSON: {"HOMICIDA": 0.55, "INDETERMINADA": 0.35, "EN ESTUDIO": 0.1},
}
ASSAULT_CAUSES = {
    FIREARM: {"X95": 0.72, "X93": 0.23, "X94": 0.05},
    SHARP: {"X99": 1.0},
    BLUNT: {"Y00": 1.0},
    STRANGULATION: {"X91": 1.0},
    VEHICLE: {"Y03": 1.0},
    OTHER: {"Y04": 0.6, "Y08": 0.4},
    UNKNOWN: {"Y09": 1.0},
}
SUICIDE_CAUSES = {
    STRANGULATION: {"X70": 1.0},
    OTHER: {"X68": 0.7, "X80": 0.3},
    FIREARM: {"X74": 1.0},
    SHARP: {"X78": 1.0},
}
UNDETERMINED_CAUSES = {
    UNKNOWN: "Y34",
    BLUNT: "Y29",
    FIREARM: "Y24",
    STRANGULATION: "Y20",
    SHARP: "Y28",
    OTHER: "Y33",
    VEHICLE: "Y32",
}
TRAFFIC_CAUSES = {"V03": 0.35, "V89": 0.3, "V29": 0.2, "V49": 0.15}
TRAFFIC_FOURTH_CHARACTER = {"V03": "1", "V89": "2", "V29": "4", "V49": "4"}  # traffic, not non-traffic
NATURAL_CAUSES = {"I21": 0.22, "I64": 0.14, "J18": 0.12, "E14": 0.1, "K74": 0.1, "I10": 0.08, "C16": 0.06, "R99": 0.18}
PLACE_OF_OCCURRENCE = {HOME: "0", PUBLIC_ROAD: "4", TRANSPORT: "4", BUSINESS: "5", RAVINE: "8", OTHER: "8"}
CAUSE_MECHANISMS = {
    "X70": {"AHORCAMIENTO": 0.6, "ASFIXIA POR SUSPENSION": 0.4},
    "X68": {"INTOXICACION": 1.0},
    "X80": {"CAIDA": 1.0},
    "V03": {"ATROPELLAMIENTO": 1.0},
}
CAUSE_INJURIES = {"X70": ("T71",), "Y20": ("T71",), "X68": ("T60.0",), "X80": ("T02.9", "S32.8")}
INJURIES = {
    FIREARM: ("S21.1", "S31.1", "S01.9", "S36.9", "T14.1", "S71.1"),
    SHARP: ("S21.1", "S31.1", "S11.9", "S41.1", "S51.9", "T14.1"),
    BLUNT: ("S06.0", "S02.9", "S00.9", "S20.2", "T14.0"),
    OTHER: ("S00.9", "S06.0", "S20.2", "T14.0"),
    STRANGULATION: ("T71",),
    VEHICLE: ("S06.9", "S72.0", "S82.2", "S32.8", "T06.8", "S42.0"),
    UNKNOWN: ("T14.9", "S06.9"),
}
INTENTS = {
    Kind.HOMICIDE: {"AGRESION": 0.85, "SE IGNORA": 0.1, "ACCIDENTAL": 0.05},
    Kind.FEMICIDE: {"AGRESION": 0.85, "SE IGNORA": 0.15},
    Kind.ASSAULT_INJURY: {"AGRESION": 0.85, "SE IGNORA": 0.1, "ACCIDENTAL": 0.05},
    Kind.SUICIDE: {"AUTOINFLIGIDA": 0.85, "SE IGNORA": 0.15},
    Kind.ROAD_TRAFFIC_DEATH: {"ACCIDENTAL": 0.95, "SE IGNORA": 0.05},
    Kind.ROAD_TRAFFIC_INJURY: {"ACCIDENTAL": 0.95, "SE IGNORA": 0.05},
    Kind.UNDETERMINED_DEATH: {"SE IGNORA": 0.7, "AGRESION": 0.3},
}
SURVIVOR_OUTCOMES = {"VIVO": 0.86, "REFERIDO": 0.07, "FUGA": 0.07}

# --- How each source writes it ---------------------------------------------------------------------------

POLICE_PLACES = {
    PUBLIC_ROAD: {"VIA PUBLICA": 0.85, "CALLE": 0.1, "CARRETERA": 0.05},
    HOME: {"VIVIENDA": 0.8, "CASA": 0.15, "RESIDENCIA": 0.05},
    BUSINESS: {"COMERCIO": 0.7, "NEGOCIO": 0.3},
    TRANSPORT: {"BUS": 0.6, "TRANSPORTE PUBLICO": 0.4},
    RAVINE: {"BARRANCO": 0.7, "RIO": 0.3},
    GRAVE: {"OTRO": 0.6, "FOSA CLANDESTINA": 0.4},
    OTHER: {"OTRO": 0.9, "OTROS": 0.1},
}
POLICE_WEAPONS = {
    FIREARM: {"ARMA DE FUEGO": 1.0},
    SHARP: {"ARMA BLANCA": 1.0},
    BLUNT: {"OBJETO CONTUNDENTE": 1.0},
    STRANGULATION: {"ASFIXIA": 0.5, "ESTRANGULAMIENTO": 0.3, "OTRA": 0.2},
    VEHICLE: {"VEHICULO": 1.0},
    OTHER: {"OTRA": 1.0},
    UNKNOWN: {"SE IGNORA": 0.6, "": 0.4},
    NONE: {"": 1.0},
}
POLICE_SEXES = {"M": {"M": 0.55, "H": 0.25, "HOMBRE": 0.15, "": 0.05}, "F": {"F": 0.6, "MUJER": 0.35, "": 0.05}}
POLICE_AGE_FORMS = {
    "years": 0.66,
    "years_upper": 0.14,
    "years_lower": 0.06,
    "years_without_tilde": 0.04,
    "blank": 0.06,
    "unknown": 0.04,
}
POLICE_UNITS = {
    "0101": (
        "COMISARIA 11",
        "COMISARIA 12",
        "COMISARIA 13",
        "COMISARIA 14",
        "EST. 11-2",
        "EST. 12-1",
        "EST. 13-4",
        "EST. 14-3",
    ),
    "0108": ("COMISARIA 16", "EST. 16-1", "EST. 16-2", "SUBEST. 16-2-3"),
    "0115": ("COMISARIA 15", "EST. 15-1", "EST. 15-3", "SUBEST. 15-1-2"),
}
# Places the police name that the gazetteer does not know: informal settlements, new lots, plain zones.
OFF_GAZETTEER_PLACES = (
    "ASENTAMIENTO 4 DE FEBRERO",
    "LOTIFICACION LOS ANGELES",
    "SECTOR EL CAMPITO",
    "ALDEA LAS ANONAS",
    "RESIDENCIALES VALLE DEL SOL",
    "CONDOMINIO LAS ACACIAS",
    "BARRIO EL GALLITO II",
    "PROYECTO 4-10",
    "ZONA 18",
    "CENTRO",
)
MUNICIPALITY_ALIASES = {"0101": ("Ciudad de Guatemala", "Guatemala Ciudad", "Ciudad Capital"), "0115": ("Villanueva",)}
MAX_ZONE = {"0101": 25, "0108": 11, "0115": 12}
LANDMARKS = (
    "TIENDA LA BENDICION",
    "IGLESIA EVANGELICA",
    "ESCUELA OFICIAL MIXTA",
    "PARADA DE BUSES",
    "CANCHA DE FUTBOL",
    "MERCADO MUNICIPAL",
    "GASOLINERA",
    "FARMACIA",
    "PANADERIA",
    "TALLER MECANICO",
    "CENTRO DE SALUD",
    "TORTILLERIA",
    "CANTINA",
    "GIMNASIO",
)
MAIN_ROADS = (
    "CALZADA AGUILAR BATRES",
    "CALZADA ROOSEVELT",
    "ANILLO PERIFERICO",
    "AVENIDA PETAPA",
    "CALZADA SAN JUAN",
    "CARRETERA INTERAMERICANA",
    "CARRETERA AL PACIFICO",
    "BOULEVARD EL NARANJO",
)
ADDRESS_FORMS = {"street": 0.4, "avenue": 0.2, "corner": 0.15, "landmark": 0.15, "road": 0.05, "lot": 0.05}
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
UNKNOWN_PATIENT_NAMES = {"DESCONOCIDO": 0.4, "NN": 0.3, "Paciente desconocido": 0.2, "XX": 0.1}
HOSPITAL_SEXES = {"M": "1", "F": "2"}


@dataclass(frozen=True)
class Hospital:
    name: str
    short_name: str
    place_name: str  # as the coroner describes where the body was collected
    id_prefix: str
    municipality_code: str


HOSPITALS = (
    Hospital("HOSPITAL ROOSEVELT", "HOSP. ROOSEVELT", "Hospital Roosevelt", "HR", "0101"),
    Hospital("HOSPITAL GENERAL SAN JUAN DE DIOS", "HGSJDD", "Hospital General San Juan de Dios", "SJD", "0101"),
    Hospital(
        "HOSPITAL GENERAL DE ACCIDENTES IGSS", "IGSS ACCIDENTES", "IGSS, Hospital General de Accidentes", "IGA", "0108"
    ),
    Hospital(
        "HOSPITAL NACIONAL DE VILLA NUEVA", "HOSP. VILLA NUEVA", "Hospital Nacional de Villa Nueva", "HVN", "0115"
    ),
)
HOSPITAL_CHOICE = {
    "0101": {0: 0.35, 1: 0.45, 2: 0.2},
    "0108": {0: 0.5, 2: 0.4, 1: 0.1},
    "0115": {3: 0.55, 1: 0.3, 0: 0.15},
}

# --- Names: frequent ones very frequent, so that different people share names ----------------------------

MALE_NAMES = {
    "JOSÉ": 90,
    "JUAN": 60,
    "LUIS": 50,
    "CARLOS": 45,
    "ÁNGEL": 28,
    "JORGE": 25,
    "MIGUEL": 25,
    "MARIO": 22,
    "MANUEL": 20,
    "ANTONIO": 20,
    "DAVID": 20,
    "FRANCISCO": 18,
    "EDGAR": 18,
    "DANIEL": 18,
    "ÓSCAR": 16,
    "ERICK": 16,
    "WALTER": 14,
    "KEVIN": 14,
    "ALEXANDER": 14,
    "ROBERTO": 14,
    "JULIO": 14,
    "ESTUARDO": 14,
    "PEDRO": 15,
    "BYRON": 12,
    "MARVIN": 12,
    "BRYAN": 12,
    "CHRISTIAN": 12,
    "HÉCTOR": 12,
    "FERNANDO": 12,
    "ALEJANDRO": 12,
    "EDUARDO": 10,
    "ALBERTO": 10,
    "EDWIN": 10,
    "RAFAEL": 10,
    "SERGIO": 10,
    "RICARDO": 10,
    "JONATHAN": 10,
    "DIEGO": 10,
    "ENRIQUE": 10,
    "JESÚS": 10,
    "RUBÉN": 8,
    "ELMER": 8,
    "HUGO": 8,
    "SELVIN": 8,
    "GERSON": 8,
    "ARMANDO": 8,
    "JOSUÉ": 8,
    "VÍCTOR": 8,
    "CÉSAR": 8,
    "RAÚL": 6,
    "NELSON": 6,
    "HENRY": 6,
    "RONALDO": 6,
    "ADRIÁN": 6,
    "MARTÍN": 6,
    "ANDRÉS": 6,
    "OTTO": 5,
    "ANDERSON": 5,
    "RAMÓN": 5,
    "GERMÁN": 5,
    "IVÁN": 5,
    "SEBASTIÁN": 5,
    "RONY": 5,
    "WILMER": 5,
    "GUSTAVO": 5,
    "ROLANDO": 5,
    "OSWALDO": 5,
    "NOÉ": 4,
    "JOAQUÍN": 4,
    "FÉLIX": 4,
    "ABEL": 4,
    "MOISÉS": 4,
    "ISRAEL": 4,
    "ARNOLDO": 4,
    "RIGOBERTO": 4,
    "ALFONSO": 4,
}
FEMALE_NAMES = {
    "MARÍA": 110,
    "ANA": 50,
    "ROSA": 25,
    "CARMEN": 18,
    "CLAUDIA": 18,
    "SANDRA": 15,
    "ANDREA": 15,
    "KARLA": 14,
    "PATRICIA": 14,
    "ALEJANDRA": 14,
    "GABRIELA": 14,
    "ISABEL": 14,
    "GLORIA": 12,
    "LUCÍA": 12,
    "BRENDA": 12,
    "MARTA": 12,
    "JUANA": 12,
    "JULIA": 10,
    "JENNIFER": 10,
    "MAYRA": 10,
    "ELENA": 10,
    "VERÓNICA": 10,
    "SOFÍA": 10,
    "FERNANDA": 10,
    "LETICIA": 10,
    "EVELYN": 10,
    "ELIZABETH": 10,
    "SONIA": 8,
    "LESLY": 8,
    "HEIDY": 8,
    "ESTELA": 8,
    "MÓNICA": 8,
    "YESENIA": 8,
    "GUADALUPE": 8,
    "WENDY": 8,
    "FLOR": 8,
    "INGRID": 8,
    "BEATRIZ": 8,
    "LORENA": 8,
    "SILVIA": 8,
    "AURA": 8,
    "DORA": 6,
    "ELVIA": 6,
    "HILDA": 6,
    "JOHANNA": 6,
    "ESPERANZA": 6,
    "JOSEFA": 6,
    "MARLENY": 6,
    "DAYANA": 6,
    "ROXANA": 6,
    "LIDIA": 6,
    "OLGA": 6,
    "NORMA": 6,
    "MIRIAM": 6,
    "KIMBERLY": 5,
    "AMANDA": 5,
    "GRISELDA": 5,
    "ASUNCIÓN": 4,
    "CONCEPCIÓN": 4,
    "ASHLEY": 4,
    "ODILIA": 4,
    "ZOILA": 4,
    "DULCE": 4,
}
# Given names that go together, very often.
MALE_COMPOUND_NAMES = {
    "JOSÉ LUIS": 10,
    "JUAN CARLOS": 10,
    "MIGUEL ÁNGEL": 8,
    "JOSÉ ANTONIO": 6,
    "JUAN JOSÉ": 5,
    "JOSÉ MANUEL": 5,
    "LUIS FERNANDO": 5,
    "CARLOS ENRIQUE": 4,
    "JOSÉ ÁNGEL": 4,
    "JUAN PABLO": 4,
    "EDGAR ESTUARDO": 3,
    "LUIS ALBERTO": 3,
    "JORGE MARIO": 3,
    "MARIO ROBERTO": 3,
    "JULIO CÉSAR": 3,
    "JOSÉ DAVID": 3,
}
FEMALE_COMPOUND_NAMES = {
    "MARÍA JOSÉ": 8,
    "ANA MARÍA": 8,
    "MARÍA FERNANDA": 6,
    "ANA LUCÍA": 5,
    "MARÍA ISABEL": 5,
    "ROSA MARÍA": 5,
    "MARÍA DEL CARMEN": 5,
    "MARÍA ELENA": 4,
    "MARÍA GUADALUPE": 4,
    "ANA GABRIELA": 3,
    "MARÍA DE LOS ÁNGELES": 3,
    "SANDRA PATRICIA": 3,
    "CLAUDIA PATRICIA": 3,
}
COMPOUND_NAME_SHARE = 0.35
SURNAMES = {
    "HERNÁNDEZ": 90,
    "LÓPEZ": 80,
    "GARCÍA": 70,
    "PÉREZ": 70,
    "MARTÍNEZ": 55,
    "GONZÁLEZ": 55,
    "RODRÍGUEZ": 50,
    "RAMÍREZ": 40,
    "MORALES": 40,
    "CRUZ": 32,
    "JUÁREZ": 30,
    "MÉNDEZ": 28,
    "CASTILLO": 28,
    "REYES": 28,
    "GÓMEZ": 22,
    "VÁSQUEZ": 22,
    "ORTIZ": 20,
    "RAMOS": 20,
    "SÁNCHEZ": 20,
    "ESTRADA": 20,
    "AGUILAR": 20,
    "FLORES": 18,
    "DÍAZ": 18,
    "DE LEÓN": 18,
    "MEJÍA": 16,
    "VELÁSQUEZ": 16,
    "ESCOBAR": 15,
    "CHÁVEZ": 14,
    "BARRIOS": 14,
    "SALAZAR": 14,
    "ALVARADO": 14,
    "RIVERA": 14,
    "ARGUETA": 12,
    "OROZCO": 12,
    "GUZMÁN": 12,
    "FUENTES": 12,
    "TORRES": 12,
    "ÁLVAREZ": 12,
    "SOLÍS": 10,
    "CIFUENTES": 10,
    "SANTOS": 10,
    "CARDONA": 10,
    "PINEDA": 10,
    "MIRANDA": 10,
    "CABRERA": 10,
    "RUIZ": 10,
    "ORELLANA": 10,
    "ROSALES": 10,
    "MONTERROSO": 8,
    "XOL": 8,
    "CAAL": 8,
    "DE LA CRUZ": 8,
    "MONROY": 8,
    "GIRÓN": 8,
    "MARROQUÍN": 8,
    "NÚÑEZ": 8,
    "MUÑOZ": 8,
    "SOSA": 8,
    "CALDERÓN": 8,
    "CHOC": 7,
    "COC": 6,
    "CORADO": 6,
    "CORDÓN": 6,
    "OLIVA": 6,
    "LEMUS": 6,
    "QUIÑÓNEZ": 6,
    "PAZ": 6,
    "SOTO": 6,
    "TOLEDO": 6,
    "BARRERA": 6,
    "CHACÓN": 6,
    "ARRIAGA": 5,
    "ZÚÑIGA": 5,
    "TZOC": 4,
    "TUM": 4,
    "SIC": 4,
    "PAIZ": 4,
    "CANO": 4,
    "ESPAÑA": 4,
    "BATZ": 3,
    "PATZÁN": 3,
    "YAX": 3,
    "ARGÜELLO": 3,
    "COJULÚN": 3,
}
# Slips of the ear: Spanish spellings that sound alike.
SOUND_ALIKE = (("V", "B"), ("B", "V"), ("S", "Z"), ("Z", "S"), ("C", "S"), ("LL", "Y"), ("Y", "LL"), ("H", ""))

DEFECTS = (
    "impossible_date",
    "future_date",
    "unknown_value",
    "trailing_spaces",
    "blank_line",
    "empty_row",
    "trailing_separator",
)
UNKNOWN_VALUES = ("SE IGNORA", "ND", "-", "SIN DATO")
_DAY_MONTH_YEAR = re.compile(r"^(\d{2})/(\d{2})/(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_CLOCK = np.array([f"{minute // 60:02d}:{minute % 60:02d}" for minute in range(MINUTES_PER_DAY)], dtype=object)
_NUMBERS = np.array([str(number) for number in range(131)], dtype=object)


# --- Geography -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Colonia:
    code: str
    name: str
    municipality: int  # position in CityPlaces.municipality_codes
    zone: int
    risk: float  # relative chance that an incident happens here: population times a hotspot factor


@dataclass(frozen=True)
class CityPlaces:
    """The demo city as the generator needs it, read once from the database."""

    municipality_codes: tuple[str, ...]
    municipality_names: tuple[str, ...]
    colonias: tuple[Colonia, ...]
    points: dict[str, np.ndarray]  # (longitude, latitude) pairs inside each colonia, by colonia code
    nearby_municipality_names: tuple[str, ...]  # the rest of the department, where some patients live
    registration_codes: tuple[str, ...]  # every municipality code: where an ID number may have been issued

    @cached_property
    def colonia_risk(self) -> np.ndarray:
        risk = np.array([colonia.risk for colonia in self.colonias])
        return risk / risk.sum()

    @cached_property
    def colonia_municipality(self) -> np.ndarray:
        return np.array([colonia.municipality for colonia in self.colonias])

    @cached_property
    def colonia_zone(self) -> np.ndarray:
        return np.array([colonia.zone for colonia in self.colonias])

    @cached_property
    def police_municipality_spellings(self) -> list[dict[str, float]]:
        return [
            _spellings(
                [
                    (strip_accents(name).upper(), 0.9),
                    (name.upper(), 0.03),
                    *_aliases(code, share=0.07, spelt=lambda alias: strip_accents(alias).upper()),
                ]
            )
            for code, name in zip(self.municipality_codes, self.municipality_names, strict=False)
        ]

    @cached_property
    def coroner_municipality_spellings(self) -> list[dict[str, float]]:
        return [
            _spellings(
                [
                    (name, 0.55),
                    (name.upper(), 0.2),
                    (strip_accents(name), 0.1),
                    (name.capitalize(), 0.1),
                    *_aliases(code, share=0.05, spelt=str),
                ]
            )
            for code, name in zip(self.municipality_codes, self.municipality_names, strict=False)
        ]

    @cached_property
    def hospital_municipality_spellings(self) -> list[dict[str, float]]:
        return [
            _spellings([(strip_accents(name).upper(), 0.8), (name, 0.15), *_aliases(code, share=0.05, spelt=str.upper)])
            for code, name in zip(self.municipality_codes, self.municipality_names, strict=False)
        ]

    @cached_property
    def police_colonia_spellings(self) -> list[dict[str, float]]:
        spellings = []
        for colonia in self.colonias:
            plain = strip_accents(colonia.name)
            spellings.append(
                _spellings(
                    [
                        (f"COL. {plain.upper()}", 0.30),
                        (plain.upper(), 0.20),
                        (f"COLONIA {plain.upper()}", 0.12),
                        (f"Colonia {colonia.name}", 0.08),
                        (f"Col. {plain}", 0.06),
                        (f"COL {plain.upper()}", 0.05),
                        (colonia.name.upper(), 0.05),
                        (plain.lower(), 0.04),
                    ]
                )
            )
        return spellings


def _aliases(code: str, *, share: float, spelt) -> list[tuple[str, float]]:
    """The municipality's other names, `share` of the time between them."""
    aliases = MUNICIPALITY_ALIASES.get(code, ())
    return [(spelt(alias), share / len(aliases)) for alias in aliases]


def _spellings(weighted: list[tuple[str, float]]) -> dict[str, float]:
    """Weighted spellings as a table; spellings that coincide (a name without accents) add up."""
    table: dict[str, float] = {}
    for spelling, weight in weighted:
        table[spelling] = table.get(spelling, 0.0) + weight
    return table


def city_places_read(*, seed: int) -> CityPlaces:
    """The demo city's municipalities and colonias, with a pool of random points inside each colonia."""
    colonias = list(
        AdminUnit.objects.filter(
            level=Level.COLONIA, parent__level=Level.MUNICIPALITY, parent__code__in=list(DEMO_CITY)
        )
        .select_related("parent")
        .order_by("code")
    )
    if not colonias:
        raise ApplicationError(
            "The demo city has no colonias: load the demo geography first (manage.py load_demo).",
            code="demo_geography_missing",
        )
    municipalities = {colonia.parent.code: colonia.parent for colonia in colonias}
    codes = tuple(code for code in DEMO_CITY if code in municipalities)
    # Demo populations are split by area; hotspots concentrate violence within a municipality, whose share of
    # the city's violence follows its population.
    hotspots = np.random.default_rng(HOTSPOT_SEED).gamma(0.8, 1.25, size=len(colonias))
    weights = {
        colonia.code: colonia.boundary.area * hotspot for colonia, hotspot in zip(colonias, hotspots, strict=False)
    }
    municipality_weight: Counter = Counter()
    for colonia in colonias:
        municipality_weight[colonia.parent.code] += weights[colonia.code]
    rank_in_municipality: Counter = Counter()
    places = []
    for colonia in colonias:
        code = colonia.parent.code
        places.append(
            Colonia(
                code=colonia.code,
                name=colonia.name,
                municipality=codes.index(code),
                zone=1 + rank_in_municipality[code] * 7 % MAX_ZONE[code],
                risk=DEMO_CITY_BASE_POPULATION[code] * weights[colonia.code] / municipality_weight[code],
            )
        )
        rank_in_municipality[code] += 1
    department = municipalities[codes[0]].parent_id
    nearby = AdminUnit.objects.filter(level=Level.MUNICIPALITY, parent_id=department).exclude(code__in=codes)
    return CityPlaces(
        municipality_codes=codes,
        municipality_names=tuple(municipalities[code].name for code in codes),
        colonias=tuple(places),
        points=colonia_points_generate(
            colonia_codes=[colonia.code for colonia in colonias], count=POINTS_PER_COLONIA, seed=seed
        ),
        nearby_municipality_names=tuple(nearby.order_by("code").values_list("name", flat=True)),
        registration_codes=tuple(
            AdminUnit.objects.filter(level=Level.MUNICIPALITY).order_by("code").values_list("code", flat=True)
        ),
    )


def colonia_points_generate(*, colonia_codes: Sequence[str], count: int, seed: int) -> dict[str, np.ndarray]:
    """`count` random points inside each colonia, one PostGIS query per colonia; the same for the same seed."""
    points = {}
    with connection.cursor() as cursor:
        for position, code in enumerate(colonia_codes):
            cursor.execute(
                """
                SELECT ST_X(point.geom), ST_Y(point.geom)
                FROM geography_adminunit, ST_Dump(ST_GeneratePoints(boundary, %s, %s)) AS point
                WHERE level = %s AND code = %s
                ORDER BY point.path
                """,
                [count, seed % 2_000_000 * 1000 + position + 1, Level.COLONIA, code],  # PostGIS wants a positive int4
            )
            points[code] = np.array(cursor.fetchall(), dtype=float)
    return points


# --- Drawing -------------------------------------------------------------------------------------------


def _draw(rng: np.random.Generator, table: Mapping, size: int) -> np.ndarray:
    values = np.empty(len(table), dtype=object)
    values[:] = list(table)
    weights = np.array(list(table.values()), dtype=float)
    return values[rng.choice(len(values), size=size, p=weights / weights.sum())]


def _draw_by(rng: np.random.Generator, keys: np.ndarray, tables: Mapping | Sequence) -> np.ndarray:
    """One value per key, drawn from that key's table of weighted values."""
    drawn = np.empty(len(keys), dtype=object)
    codes, distinct = pd.factorize(keys, sort=True)
    for code, key in enumerate(distinct):
        chosen = codes == code
        drawn[chosen] = _draw(rng, tables[key], int(chosen.sum()))
    return drawn


def _per_kind(kinds: np.ndarray, value_of) -> np.ndarray:
    codes, distinct = pd.factorize(kinds)
    return np.array([value_of(KINDS[kind]) for kind in distinct], dtype=float)[codes]


def _pick(r: random.Random, table: Mapping):
    return r.choices(list(table), weights=list(table.values()))[0]


def _text_rng(rng: np.random.Generator) -> random.Random:
    """A generator for the few per-value choices (typos, addresses), seeded from the vectorised one."""
    return random.Random(int(rng.integers(2**62)))


def _period(*, start_year: int, years: int) -> tuple[int, int]:
    first = date(start_year, 1, 1)
    return (first - EPOCH).days, (date(start_year + years, 1, 1) - first).days


def _day_weights(first_day: int, days: int) -> np.ndarray:
    """More violence at weekends and in December."""
    dates = np.datetime64("1970-01-01") + (first_day + np.arange(days)).astype("timedelta64[D]")
    weekday = (first_day + np.arange(days) + 3) % 7  # 1 January 1970 was a Thursday
    december = dates.astype("datetime64[M]").astype(int) % 12 == 11
    weights = np.select([weekday >= 5, weekday == 4], [1.3, 1.1], 1.0) * np.where(december, 1.1, 1.0)
    return weights / weights.sum()


def _years_of(days: np.ndarray) -> np.ndarray:
    return (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype("datetime64[Y]").astype(int) + 1970


def _national_ids(rng: np.random.Generator, *, home_codes: np.ndarray, places: CityPlaces) -> np.ndarray:
    """Guatemalan CUI numbers: 8 digits, a check digit, and the code of the municipality that registered the birth."""
    size = len(home_codes)
    serials = rng.integers(10_000_000, 100_000_000, size=size)
    checks = _cui_check_digits(serials)
    while (invalid := checks == 10).any():  # numbers whose check would be 10 are never issued
        serials[invalid] = rng.integers(10_000_000, 100_000_000, size=int(invalid.sum()))
        checks = _cui_check_digits(serials)
    born_elsewhere = rng.random(size) < 0.4
    registered = np.where(born_elsewhere, _draw(rng, dict.fromkeys(places.registration_codes, 1.0), size), home_codes)
    return np.array(
        [f"{serial}{check}{code}" for serial, check, code in zip(serials, checks, registered, strict=False)],
        dtype=object,
    )


def _cui_check_digits(serials: np.ndarray) -> np.ndarray:
    digits = serials[:, None] // 10 ** np.arange(7, -1, -1) % 10
    return (digits * np.arange(2, 10)).sum(axis=1) % 11


def persons_draw(
    *,
    rng: np.random.Generator,
    places: CityPlaces,
    kinds: Mapping[str, float],
    persons: int,
    first_day: int,
    days: int,
    first_incident: int = 0,
) -> pd.DataFrame:
    """`persons` victims in incidents of one to three: who they are, and when, where and how it happened."""
    kind_values = np.array(list(kinds), dtype=object)
    mean_sizes = np.array(
        [
            sum(size * weight for size, weight in KINDS[kind].sizes.items()) / sum(KINDS[kind].sizes.values())
            for kind in kinds
        ]
    )
    incident_shares = np.array(list(kinds.values())) / mean_sizes
    incident_kind = kind_values[rng.choice(len(kinds), size=persons, p=incident_shares / incident_shares.sum())]
    sizes = _draw_by(rng, incident_kind, {kind: KINDS[kind].sizes for kind in kinds}).astype(np.int64)
    ends = np.cumsum(sizes)
    incidents = int(np.searchsorted(ends, persons)) + 1 if persons else 0
    incident_kind, sizes = incident_kind[:incidents], sizes[:incidents]
    sizes[-1:] -= ends[incidents - 1 : incidents] - persons

    day = first_day + rng.choice(days, size=incidents, p=_day_weights(first_day, days))
    hour = _draw_by(rng, incident_kind, {kind: dict(enumerate(KINDS[kind].hours)) for kind in kinds}).astype(np.int64)
    minute = hour * 60 + rng.integers(0, 60, size=incidents)
    colonia = rng.choice(len(places.colonias), size=incidents, p=places.colonia_risk)
    place_type = _draw_by(rng, incident_kind, {kind: KINDS[kind].places for kind in kinds})
    weapon = _draw_by(rng, incident_kind, {kind: KINDS[kind].weapons for kind in kinds})
    longitude, latitude = _points_assign(rng, colonia=colonia, places=places)
    address = addresses_draw(rng, zone=places.colonia_zone[colonia], place_type=place_type)

    incident = np.repeat(np.arange(incidents), sizes)
    victim_number = np.arange(persons) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    kind = incident_kind[incident]
    survived = (kind == Kind.HOMICIDE) & (victim_number > 1) & (rng.random(persons) < SURVIVOR_SHARE)
    kind[survived] = Kind.ASSAULT_INJURY.value
    female = rng.random(persons) < _per_kind(kind, lambda profile: profile.female)
    mean, deviation, youngest, oldest = (
        _per_kind(kind, lambda profile, part=part: profile.age[part]) for part in range(4)
    )
    years = rng.normal(mean, deviation)
    outside = (years < youngest) | (years >= oldest + 1)
    years[outside] = rng.uniform(youngest[outside], oldest[outside] + 1)
    age_days = (years * 365.25).astype(np.int64)
    infant = rng.random(persons) < _per_kind(kind, lambda profile: profile.infants)
    age_days[infant] = rng.integers(1, 365, size=int(infant.sum()))

    given = np.where(female, _draw(rng, FEMALE_NAMES, persons), _draw(rng, MALE_NAMES, persons))
    second_given = np.where(female, _draw(rng, FEMALE_NAMES, persons), _draw(rng, MALE_NAMES, persons))
    second_given[(second_given == given) | (rng.random(persons) < 0.08)] = ""
    compound = np.flatnonzero(rng.random(persons) < COMPOUND_NAME_SHARE)
    compound_names = np.where(
        female[compound],
        _draw(rng, FEMALE_COMPOUND_NAMES, len(compound)),
        _draw(rng, MALE_COMPOUND_NAMES, len(compound)),
    )
    given[compound] = [name.split(" ", 1)[0] for name in compound_names]
    second_given[compound] = [name.split(" ", 1)[1] for name in compound_names]
    second_surname = _draw(rng, SURNAMES, persons)
    second_surname[rng.random(persons) < 0.03] = ""
    married = female & (age_days >= 25 * 365) & (rng.random(persons) < 0.25)
    municipality = places.colonia_municipality[colonia][incident]
    home_codes = np.array(places.municipality_codes, dtype=object)[municipality]
    national_id = _national_ids(rng, home_codes=home_codes, places=places)
    national_id[age_days < 18 * 365] = ""  # the DPI is issued at 18
    return pd.DataFrame(
        {
            "incident": first_incident + incident,
            "victim_number": victim_number,
            "kind": kind,
            "day": day[incident],
            "minute": minute[incident],
            "municipality": municipality,
            "colonia": colonia[incident],
            "place_type": place_type[incident],
            "weapon": weapon[incident],
            "address": address[incident],
            "longitude": longitude[incident],
            "latitude": latitude[incident],
            "sex": np.where(female, "F", "M"),
            "age_days": age_days,
            "given1": given,
            "given2": second_given,
            "surname1": _draw(rng, SURNAMES, persons),
            "surname2": second_surname,
            "married_surname": np.where(married, _draw(rng, SURNAMES, persons), ""),
            "national_id": national_id,
        }
    )


def _points_assign(
    rng: np.random.Generator, *, colonia: np.ndarray, places: CityPlaces
) -> tuple[np.ndarray, np.ndarray]:
    """A point of each incident's colonia: distinct points while the colonia's pool lasts."""
    longitude, latitude = np.empty(len(colonia)), np.empty(len(colonia))
    for position in np.unique(colonia):
        chosen = np.flatnonzero(colonia == position)
        pool = places.points[places.colonias[position].code]
        taken = pool[(rng.integers(len(pool)) + np.arange(len(chosen))) % len(pool)]
        longitude[chosen], latitude[chosen] = taken[:, 0], taken[:, 1]
    return longitude, latitude


def addresses_draw(rng: np.random.Generator, *, zone: np.ndarray, place_type: np.ndarray) -> np.ndarray:
    """Addresses as the police write them: street numbers in the colonia's zone, landmarks, roads, bus routes."""
    form = _draw(rng, ADDRESS_FORMS, len(zone))
    form[place_type == TRANSPORT] = "bus"
    form[place_type == RAVINE] = "ravine"
    addresses = np.empty(len(zone), dtype=object)

    def numbers(rows: np.ndarray, low: int, high: int) -> list[int]:
        return rng.integers(low, high + 1, size=len(rows)).tolist()

    def choices(rows: np.ndarray, options: tuple[str, ...]) -> list[str]:
        return [options[index] for index in rng.integers(len(options), size=len(rows))]

    rows = np.flatnonzero(form == "street")
    addresses[rows] = [
        f"{street}A. CALLE {block}-{house:02d} ZONA {in_zone}"
        for street, block, house, in_zone in zip(
            numbers(rows, 1, 30), numbers(rows, 1, 40), numbers(rows, 1, 99), zone[rows].tolist(), strict=False
        )
    ]
    rows = np.flatnonzero(form == "avenue")
    addresses[rows] = [
        f"{avenue}A. AVENIDA {block}-{house:02d} ZONA {in_zone}"
        for avenue, block, house, in_zone in zip(
            numbers(rows, 1, 15), numbers(rows, 1, 40), numbers(rows, 1, 99), zone[rows].tolist(), strict=False
        )
    ]
    rows = np.flatnonzero(form == "corner")
    addresses[rows] = [
        f"{street}A. CALLE Y {avenue}A. AVENIDA, ZONA {in_zone}"
        for street, avenue, in_zone in zip(
            numbers(rows, 1, 30), numbers(rows, 1, 15), zone[rows].tolist(), strict=False
        )
    ]
    rows = np.flatnonzero(form == "landmark")
    addresses[rows] = [
        f"FRENTE A {landmark}, ZONA {in_zone}"
        for landmark, in_zone in zip(choices(rows, LANDMARKS), zone[rows].tolist(), strict=False)
    ]
    rows = np.flatnonzero(form == "road")
    addresses[rows] = [
        f"{road} KM {kilometre}.{half}"
        for road, kilometre, half in zip(
            choices(rows, MAIN_ROADS), numbers(rows, 5, 25), choices(rows, ("0", "5")), strict=False
        )
    ]
    rows = np.flatnonzero(form == "lot")
    addresses[rows] = [
        f"MANZANA {block} LOTE {lot}, SECTOR {sector}"
        for block, lot, sector in zip(
            choices(rows, tuple("ABCDEFGH")), numbers(rows, 1, 60), numbers(rows, 1, 9), strict=False
        )
    ]
    rows = np.flatnonzero(form == "bus")
    addresses[rows] = [f"INTERIOR DE BUS URBANO RUTA {route}" for route in numbers(rows, 1, 90)]
    rows = np.flatnonzero(form == "ravine")
    addresses[rows] = [
        f"BARRANCO A INMEDIACIONES DE {street}A. CALLE ZONA {in_zone}"
        for street, in_zone in zip(numbers(rows, 1, 30), zone[rows].tolist(), strict=False)
    ]
    return addresses


# --- Typing slips ----------------------------------------------------------------------------------------


def name_typo(name: str, r: random.Random) -> str:
    """One slip of the hand or the ear: a character substituted, dropped or transposed, or a sound spelt another way."""
    letters = [position for position, character in enumerate(name[:-1]) if character.isalpha()]
    if len(letters) < 3:
        return name
    sound_alikes = [(heard, written) for heard, written in SOUND_ALIKE if heard in name.upper()]
    slip = r.random()
    if slip < 0.3 and sound_alikes:
        heard, written = r.choice(sound_alikes)
        position = name.upper().index(heard)
        written = written if name[position].isupper() else written.lower()
        return name[:position] + written + name[position + len(heard) :]
    position = r.choice(letters)
    if slip < 0.55:
        substitute = chr(r.randint(ord("A"), ord("Z")))
        return name[:position] + (substitute if name[position].isupper() else substitute.lower()) + name[position + 1 :]
    if slip < 0.8:
        return name[:position] + name[position + 1 :]
    return name[:position] + name[position + 1] + name[position] + name[position + 2 :]


def _typos(names: np.ndarray, *, rate: float, rng: np.random.Generator) -> np.ndarray:
    text_rng = _text_rng(rng)
    for position in np.flatnonzero(rng.random(len(names)) < rate):
        names[position] = name_typo(names[position], text_rng)
    return names


def _without_accents(values: np.ndarray) -> np.ndarray:
    codes, distinct = pd.factorize(values)
    return np.array([strip_accents(value) for value in distinct], dtype=object)[codes]


def _words(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _national_id_written(national_id: str, r: random.Random) -> str:
    """Plain, or grouped as on the DPI card (4-5-4) with dashes or spaces."""
    style = r.random()
    if style < 0.55:
        return national_id
    separator = "-" if style < 0.9 else " "
    return separator.join((national_id[:4], national_id[4:9], national_id[9:]))


def _day_text(day: int, pattern: str) -> str:
    return (EPOCH + timedelta(days=int(day))).strftime(pattern)


def _timestamp_text(minute: int) -> str:
    return (datetime(1970, 1, 1) + timedelta(minutes=int(minute))).strftime("%Y-%m-%dT%H:%M:%S")


def _days_text(days: np.ndarray, pattern: str) -> np.ndarray:
    distinct, inverse = np.unique(days, return_inverse=True)
    return np.array([_day_text(day, pattern) for day in distinct], dtype=object)[inverse]


def _date_impossible(text: str) -> str:
    """The day after the month's last (31/04/2024, 30/02/2024, 32/01/2024), in the text's own format."""
    if found := _DAY_MONTH_YEAR.match(text):
        year, month, rest = int(found[3]), int(found[2]), text[found.end() :]
        return f"{calendar.monthrange(year, month)[1] + 1:02d}/{month:02d}/{year}{rest}"
    found = _YEAR_MONTH_DAY.match(text)
    year, month, rest = int(found[1]), int(found[2]), text[found.end() :]
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1] + 1:02d}{rest}"


def _date_in_future(text: str) -> str:
    """The decade mistyped: 2024 becomes 2034."""
    year = re.search(r"\d{4}", text)[0]
    return text.replace(year, str(int(year) + 10), 1)


Table = dict[str, np.ndarray]  # a file's rows as one array of texts per column, in the layout's order


def _table(rows: list[dict], layout: FileLayout) -> Table:
    return {column: np.array([row[column] for row in rows], dtype=object) for column in layout.columns}


def _defects_apply(*, table: Table, layout: FileLayout, rate: float, rng: np.random.Generator) -> dict[int, str]:
    """Spoil about `rate` of the rows as hand-kept systems do, never their record id; the defects of whole lines
    (a blank line or an empty row before the row, a trailing separator) are returned by row position."""
    text_rng = _text_rng(rng)
    line_defects = {}
    for position in np.flatnonzero(rng.random(len(table[layout.columns[0]])) < rate):
        defect = text_rng.choice(DEFECTS)
        if defect in ("blank_line", "empty_row", "trailing_separator"):
            line_defects[int(position)] = defect
            continue
        if defect == "unknown_value":
            column = text_rng.choice(layout.term_columns)
            value = text_rng.choice(UNKNOWN_VALUES)
        elif defect == "trailing_spaces":
            column = text_rng.choice(layout.text_columns)
            value = table[column][position] + "  "
        else:
            column = text_rng.choice(layout.date_columns)
            value = table[column][position]
            if not value:
                continue
            value = _date_impossible(value) if defect == "impossible_date" else _date_in_future(value)
        table[column][position] = value
    return line_defects


def _csv_lines(table: Table, *, separator: str) -> list[str]:
    """The rows as CSV lines, a field quoted only when it holds the separator or a quote, as csv.writer does."""
    fields = []
    for values in table.values():
        column_text = "\0".join(values)
        if separator in column_text or '"' in column_text:
            values = [_quoted(value) if separator in value or '"' in value else value for value in values]
        fields.append(values)
    return list(map(separator.join, zip(*fields, strict=False)))


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _header_write(handle: TextIO, layout: FileLayout) -> None:
    handle.write(layout.separator.join(layout.columns) + layout.line_end)


def _rows_write(*, handle: TextIO, table: Table, layout: FileLayout, rate: float, rng: np.random.Generator) -> None:
    line_defects = _defects_apply(table=table, layout=layout, rate=rate, rng=rng)
    lines = _csv_lines(table, separator=layout.separator)
    for position, defect in line_defects.items():
        if defect == "trailing_separator":
            lines[position] += layout.separator
        elif defect == "blank_line":
            lines[position] = layout.line_end + lines[position]
        else:
            lines[position] = layout.separator * (len(layout.columns) - 1) + layout.line_end + lines[position]
    handle.writelines(line + layout.line_end for line in lines)


# --- Police ----------------------------------------------------------------------------------------------


def _police_truth(
    *, victims: pd.DataFrame, delito: np.ndarray, known: np.ndarray, places: CityPlaces, rng: np.random.Generator
) -> pd.DataFrame:
    """The police record of each victim before it is typed: offence, reporting unit, whether the name is known."""
    incidents, first, inverse = np.unique(victims["incident"].to_numpy(), return_index=True, return_inverse=True)
    municipality_code = np.array(places.municipality_codes, dtype=object)[victims["municipality"].to_numpy()[first]]
    unit = _draw_by(rng, municipality_code, {code: dict.fromkeys(units, 1.0) for code, units in POLICE_UNITS.items()})
    unit[rng.random(len(incidents)) < INVESTIGATION_SHARE] = INVESTIGATION_UNIT
    return victims.assign(delito=delito, known=known, unit=unit[inverse])


def _police_duplicates(*, truth: pd.DataFrame, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """`count` victims reported a second time by the investigation unit, under its own number and in its own words."""
    copies = truth.iloc[np.sort(rng.choice(len(truth), size=count, replace=False))].copy()
    copies["incident"] = truth["incident"].max() + 1 + np.arange(count)
    copies["victim_number"] = 1
    copies["unit"] = INVESTIGATION_UNIT
    copies["minute"] = np.clip(copies["minute"].to_numpy() + rng.integers(-90, 91, size=count), 0, MINUTES_PER_DAY - 1)
    copies["day"] = copies["day"].to_numpy() + (rng.random(count) < 0.15)
    copies["age_days"] = np.maximum(
        copies["age_days"].to_numpy() + np.where(rng.random(count) < 0.3, rng.choice([-365, 365], size=count), 0), 1
    )
    copies.loc[rng.random(count) < 0.3, "given2"] = ""  # another officer, fewer names
    copies.loc[rng.random(count) < 0.2, "surname2"] = ""
    renamed = rng.random(count) < 0.3
    copies["delito"] = [
        DELITO_SYNONYMS.get(delito, delito) if rename else delito
        for delito, rename in zip(copies["delito"], renamed, strict=False)
    ]
    return copies


def _police_numbered(*, truth: pd.DataFrame, counters: Counter, rng: np.random.Generator) -> pd.DataFrame:
    """Report numbers in date order per series and year, with gaps (reports without a victim take numbers too);
    victims numbered 1..n within their report."""
    truth = truth.sort_values(["day", "minute", "incident", "victim_number"], kind="stable", ignore_index=True)
    incidents = truth.drop_duplicates("incident")
    series = np.where(incidents["unit"].to_numpy() == INVESTIGATION_UNIT, INVESTIGATION_UNIT, "PNC")
    year = _years_of(incidents["day"].to_numpy())
    gaps = rng.integers(1, 4, size=len(incidents))
    numbers = np.empty(len(incidents), dtype=object)
    for prefix, in_year in sorted({(str(prefix), int(in_year)) for prefix, in_year in zip(series, year, strict=False)}):
        chosen = (series == prefix) & (year == in_year)
        sequence = counters[prefix, in_year] + np.cumsum(gaps[chosen])
        counters[prefix, in_year] = int(sequence[-1])
        numbers[chosen] = [f"{prefix}-{in_year}-{number:06d}" for number in sequence]
    truth["no_denuncia"] = truth["incident"].map(dict(zip(incidents["incident"], numbers, strict=False)))
    truth["correlativo_victima"] = truth.groupby("incident", sort=False).cumcount() + 1
    return truth


def police_rows_format(*, truth: pd.DataFrame, places: CityPlaces, noise: Noise, rng: np.random.Generator) -> Table:
    """The police export of these victims, typed the way police units type: every column as text."""
    size = len(truth)
    slip = np.where(rng.random(size) < noise.date_shift_rate, _draw(rng, {1: 0.6, -1: 0.2, 2: 0.2}, size), 0)
    minute = truth["minute"].to_numpy()
    minute = np.where(rng.random(size) < 0.35, minute // 30 * 30, minute)  # "around half past nine"
    known = truth["known"].to_numpy(dtype=bool)
    colonia = _draw_by(rng, truth["colonia"].to_numpy(), places.police_colonia_spellings)
    colonia_slip = rng.random(size)
    colonia[colonia_slip < 0.07] = ""
    off_gazetteer = (colonia_slip >= 0.07) & (colonia_slip < 0.12)
    colonia[off_gazetteer] = _draw(rng, dict.fromkeys(OFF_GAZETTEER_PLACES, 1.0), int(off_gazetteer.sum()))
    latitude, longitude = _police_coordinates(truth=truth, rng=rng)
    national_id = truth["national_id"].to_numpy(dtype=object).copy()
    national_id[~known | (rng.random(size) < noise.police_id_missing)] = ""
    columns = {
        "no_denuncia": truth["no_denuncia"].to_numpy(),
        "correlativo_victima": _NUMBERS[truth["correlativo_victima"].to_numpy()],
        "fecha_hecho": _days_text(truth["day"].to_numpy() + slip.astype(np.int64), "%d/%m/%Y"),
        "hora_hecho": np.where(rng.random(size) < 0.15, "", _CLOCK[minute]),
        "delito": truth["delito"].to_numpy(),
        "departamento": np.full(size, "GUATEMALA"),
        "municipio": _draw_by(rng, truth["municipality"].to_numpy(), places.police_municipality_spellings),
        "colonia": colonia,
        "direccion": np.where(rng.random(size) < 0.05, "", truth["address"].to_numpy()),
        "latitud": latitude,
        "longitud": longitude,
        "tipo_lugar": _draw_by(rng, truth["place_type"].to_numpy(), POLICE_PLACES),
        "arma": _draw_by(rng, truth["weapon"].to_numpy(), POLICE_WEAPONS),
        "victima_nombre": _police_names(truth=truth, known=known, noise=noise, rng=rng),
        "victima_dni": national_id,
        "victima_sexo": _draw_by(rng, truth["sex"].to_numpy(), POLICE_SEXES),
        "victima_edad": _police_ages(age_days=truth["age_days"].to_numpy(), known=known, noise=noise, rng=rng),
        "unidad": truth["unit"].to_numpy(),
    }
    return {column: np.asarray(values, dtype=object) for column, values in columns.items()}


def _police_coordinates(*, truth: pd.DataFrame, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """About 40% of rows carry the point; a few swap latitude and longitude, or fall outside the country."""
    size = len(truth)
    present = rng.random(size) < 0.4
    latitude, longitude = truth["latitude"].to_numpy(), truth["longitude"].to_numpy()
    swapped = rng.random(size) < 0.01
    latitude, longitude = np.where(swapped, longitude, latitude), np.where(swapped, latitude, longitude)
    outside = ~swapped & (rng.random(size) < 0.005)
    zeroed = outside & (rng.random(size) < 0.4)
    longitude = np.where(outside, -longitude, longitude)  # the minus sign left out
    latitude, longitude = np.where(zeroed, 0.0, latitude), np.where(zeroed, 0.0, longitude)
    decimals = rng.choice([4, 5, 6], size=size, p=[0.3, 0.4, 0.3])
    return (
        [
            f"{value:.{digits}f}" if shown else ""
            for value, digits, shown in zip(latitude, decimals, present, strict=False)
        ],
        [
            f"{value:.{digits}f}" if shown else ""
            for value, digits, shown in zip(longitude, decimals, present, strict=False)
        ],
    )


def _police_names(*, truth: pd.DataFrame, known: np.ndarray, noise: Noise, rng: np.random.Generator) -> np.ndarray:
    """Upper case and mostly without accents; now and then surname first, a name left out, a married name."""
    size = len(truth)
    accents_kept = rng.random(size) < 0.1

    def typed(column: str) -> np.ndarray:
        values = truth[column].to_numpy(dtype=object)
        return np.where(accents_kept, values, _without_accents(values))

    given, second_given = typed("given1"), typed("given2")
    surname, second_surname, married = typed("surname1"), typed("surname2"), typed("married_surname")
    second_given[rng.random(size) < 0.1] = ""
    second_surname[rng.random(size) < 0.1] = ""
    married[rng.random(size) >= 0.3] = ""
    surname_first = rng.random(size) < 0.05
    names = np.array(
        [
            _words(first_surname, last_surname, "DE " + husband if husband else "", first, second)
            if reversed_order
            else _words(first, second, first_surname, last_surname, "DE " + husband if husband else "")
            for first, second, first_surname, last_surname, husband, reversed_order in zip(
                given, second_given, surname, second_surname, married, surname_first, strict=False
            )
        ],
        dtype=object,
    )
    names = _typos(names, rate=noise.typo_rate, rng=rng)
    names[rng.random(size) < 0.01] = ""
    unnamed = ~known
    names[unnamed] = _draw(rng, {"DESCONOCIDO": 0.75, "": 0.25}, int(unnamed.sum()))
    return names


def _police_ages(*, age_days: np.ndarray, known: np.ndarray, noise: Noise, rng: np.random.Generator) -> np.ndarray:
    size = len(age_days)
    years = np.clip(
        age_days // 365 + np.where(rng.random(size) < noise.age_shift_rate, rng.choice([-1, 1], size=size), 0), 0, 120
    )
    estimated = np.clip(np.round(age_days / 365 / 5).astype(np.int64) * 5, 1, 120)
    years = np.where(known, years, estimated)
    number = _NUMBERS[years]
    form = _draw(rng, POLICE_AGE_FORMS, size)
    ages = np.select(
        [
            form == "years_upper",
            form == "years_lower",
            form == "years_without_tilde",
            form == "blank",
            form == "unknown",
        ],
        [number + " AÑOS", number + " años", number + " ANOS", "", "999"],
        number,
    ).astype(object)
    months = _NUMBERS[np.clip(age_days // 30, 1, 11)]
    infant = age_days < 365
    ages[infant] = np.where(rng.random(int(infant.sum())) < 0.7, months[infant] + " MESES", months[infant] + " meses")
    ages[~known & (rng.random(size) < 0.5)] = ""
    return ages


def write_police_file(
    *,
    path: Path,
    rows: int,
    seed: int,
    start_year: int = DEFAULT_START_YEAR,
    years: int = DEFAULT_YEARS,
    noise: Noise = NOISE_LEVELS["default"],
    places: CityPlaces | None = None,
) -> int:
    """A police export of exactly `rows` victim rows, drawn and written a chunk at a time (for benchmarks):
    the same layout and realism as the demo's police file, without the other sources or a ground truth."""
    places = places or city_places_read(seed=seed)
    rng = np.random.default_rng(seed)
    kinds = {kind: profile.share * profile.police for kind, profile in KINDS.items() if profile.share * profile.police}
    first_day, days = _period(start_year=start_year, years=years)
    counters: Counter = Counter()
    with path.open("w", encoding=POLICE.encoding, newline="") as handle:
        _header_write(handle, POLICE)
        for start in range(0, rows, CHUNK_ROWS):
            end = min(rows, start + CHUNK_ROWS)
            duplicates = round((end - start) * DUPLICATE_SHARE / (1 + DUPLICATE_SHARE))
            chunk_first_day = first_day + days * start // rows  # chunks follow the calendar, as numbers do
            chunk_days = max(1, first_day + days * end // rows - chunk_first_day)
            victims = persons_draw(
                rng=rng,
                places=places,
                kinds=kinds,
                persons=end - start - duplicates,
                first_day=chunk_first_day,
                days=chunk_days,
            )
            kind = victims["kind"].to_numpy()
            unidentified = _per_kind(kind, lambda profile: profile.unidentified) * noise.unidentified_factor
            unknown = rng.random(len(victims)) < unidentified
            truth = _police_truth(
                victims=victims,
                delito=_draw_by(rng, kind, {k: KINDS[k].delitos for k in kinds}),
                known=~unknown,
                places=places,
                rng=rng,
            )
            truth = pd.concat([truth, _police_duplicates(truth=truth, count=duplicates, rng=rng)], ignore_index=True)
            truth = _police_numbered(truth=truth, counters=counters, rng=rng)
            table = police_rows_format(truth=truth, places=places, noise=noise, rng=rng)
            _rows_write(handle=handle, table=table, layout=POLICE, rate=noise.bad_value_rate, rng=rng)
    return rows


# --- Coroner and hospital --------------------------------------------------------------------------------


@dataclass
class Sightings:
    """What each source saw of the simulated persons."""

    police: np.ndarray  # per person: the police recorded the victim
    police_known: np.ndarray  # per person: the police knew the victim's name
    bodies_found: list[dict]  # later police reports of a body found, for missing persons found dead
    coroner: list[dict]
    hospital: list[dict]


def _sightings_draw(
    *, persons: pd.DataFrame, places: CityPlaces, noise: Noise, rng: np.random.Generator, r: random.Random
) -> Sightings:
    sightings = Sightings(
        police=np.zeros(len(persons), dtype=bool),
        police_known=np.ones(len(persons), dtype=bool),
        bodies_found=[],
        coroner=[],
        hospital=[],
    )
    for position, person in enumerate(persons.itertuples(index=False)):
        profile = KINDS[person.kind]
        unknown = r.random() < profile.unidentified * noise.unidentified_factor
        sightings.police[position] = r.random() < profile.police
        sightings.police_known[position] = not unknown
        event = person.day * MINUTES_PER_DAY + person.minute
        if person.kind == Kind.MISSING_PERSON:
            if r.random() < FOUND_DEAD_SHARE:
                _found_dead_sightings(person=person, sightings=sightings, places=places, noise=noise, rng=rng, r=r)
        elif person.kind in SURVIVOR_KINDS:
            if r.random() < profile.hospital:
                cause = _underlying_cause(person.kind, person.weapon, r)
                sightings.hospital.extend(
                    _admissions(person=person, event=event, cause=cause, places=places, noise=noise, r=r)
                )
        elif person.kind in DEATH_KINDS:
            _death_sightings(
                person=person,
                profile=profile,
                event=event,
                unknown=unknown,
                sightings=sightings,
                places=places,
                noise=noise,
                r=r,
            )
    return sightings


def _underlying_cause(kind: str, weapon: str, r: random.Random) -> str:
    if kind in (Kind.HOMICIDE, Kind.FEMICIDE, Kind.ASSAULT_INJURY):
        return _pick(r, ASSAULT_CAUSES[weapon])
    if kind == Kind.SUICIDE:
        return _pick(r, SUICIDE_CAUSES[weapon])
    if kind in (Kind.ROAD_TRAFFIC_DEATH, Kind.ROAD_TRAFFIC_INJURY):
        return _pick(r, TRAFFIC_CAUSES)
    if kind == Kind.NATURAL_DEATH:
        return _pick(r, NATURAL_CAUSES)
    return UNDETERMINED_CAUSES[weapon]


def _forensic_findings(*, kind: str, weapon: str, cause: str, r: random.Random) -> tuple[str, str, str]:
    """Manner, ICD-10 underlying cause and mechanism as the autopsy records them; a few stay under study."""
    manner = _pick(r, MANNERS[kind])
    if manner == "EN ESTUDIO":
        cause = ""
    elif manner == "INDETERMINADA":
        cause = UNDETERMINED_CAUSES[weapon]
    mechanism = _pick(r, CAUSE_MECHANISMS.get(cause) or CORONER_MECHANISMS[weapon])
    if cause and r.random() < 0.15:
        cause += ".9"
    return manner, cause, mechanism


def _hospital_for(*, municipality_code: str, r: random.Random) -> int:
    return _pick(r, HOSPITAL_CHOICE[municipality_code])


def _death_sightings(
    *,
    person,
    profile: KindProfile,
    event: int,
    unknown: bool,
    sightings: Sightings,
    places: CityPlaces,
    noise: Noise,
    r: random.Random,
) -> None:
    death, place, municipality, where = event, person.place_type, person.municipality, ""
    cause = _underlying_cause(person.kind, person.weapon, r)
    if r.random() < profile.hospital:
        hospital = _hospital_for(municipality_code=places.municipality_codes[person.municipality], r=r)
        admitted = event + r.randint(15, 150)
        death = admitted + max(30, int(r.lognormvariate(math.log(600), 1.3)))  # hours to days after admission
        place, where = IN_HOSPITAL, HOSPITALS[hospital].place_name
        municipality = places.municipality_codes.index(HOSPITALS[hospital].municipality_code)
        if person.kind != Kind.NATURAL_DEATH and r.random() < HOSPITAL_REGISTER_COVERAGE:
            sightings.hospital.append(
                _hospital_row(
                    person=person,
                    hospital=hospital,
                    admitted=admitted,
                    discharged=death,
                    condition="FALLECIDO",
                    cause=cause,
                    places=places,
                    noise=noise,
                    r=r,
                )
            )
    if r.random() >= profile.coroner:
        return
    unidentified = r.random() < (0.65 if unknown else 0.01 * noise.unidentified_factor)
    died = death // MINUTES_PER_DAY
    recovered = died + _pick(r, RECOVERY_LAG_DAYS) + (r.random() < noise.date_shift_rate)
    manner, cause, mechanism = _forensic_findings(kind=person.kind, weapon=person.weapon, cause=cause, r=r)
    sightings.coroner.append(
        _coroner_row(
            person=person,
            died=died,
            recovered=recovered,
            death_known=0.9 - 0.3 * unidentified,
            municipality=municipality,
            place=place,
            where=where or _place_described(person, place, places, r),
            unidentified=unidentified,
            manner=manner,
            cause=cause,
            mechanism=mechanism,
            places=places,
            noise=noise,
            r=r,
        )
    )


def _found_dead_sightings(
    *, person, sightings: Sightings, places: CityPlaces, noise: Noise, rng: np.random.Generator, r: random.Random
) -> None:
    """A missing person's body, found weeks or months later, often far from where they were last seen."""
    recovered = person.day + min(400, max(10, int(r.lognormvariate(math.log(60), 0.8))))
    place = _pick(r, FOUND_DEAD_PLACES)
    colonia = person.colonia if r.random() < 0.4 else r.choices(range(len(places.colonias)), places.colonia_risk)[0]
    weapon = _pick(r, FOUND_DEAD_WEAPONS)
    unidentified = r.random() < 0.25 * noise.unidentified_factor
    found = person._replace(
        day=recovered,
        minute=r.randint(6 * 60, 18 * 60),
        colonia=colonia,
        municipality=places.colonias[colonia].municipality,
        place_type=place,
        weapon=weapon,
        address=addresses_draw(rng, zone=np.array([places.colonias[colonia].zone]), place_type=np.array([place]))[0],
    )
    if r.random() < 0.9:
        cause = _pick(r, ASSAULT_CAUSES[weapon])
        manner, cause, mechanism = _forensic_findings(kind=Kind.MISSING_PERSON, weapon=weapon, cause=cause, r=r)
        sightings.coroner.append(
            _coroner_row(
                person=found,
                died=person.day + r.randint(0, 7),
                recovered=recovered,
                death_known=0.3,
                municipality=found.municipality,
                place=place,
                where=_place_described(found, place, places, r),
                unidentified=unidentified,
                manner=manner,
                cause=cause,
                mechanism=mechanism,
                places=places,
                noise=noise,
                r=r,
            )
        )
    if r.random() < 0.4:
        longitude, latitude = places.points[places.colonias[colonia].code][r.randrange(POINTS_PER_COLONIA)]
        sightings.bodies_found.append(
            {
                **found._asdict(),
                "longitude": longitude,
                "latitude": latitude,
                "delito": _pick(r, BODY_FOUND_DELITOS),
                "known": not unidentified and r.random() < 0.5,
            }
        )


def _place_described(person, place: str, places: CityPlaces, r: random.Random) -> str:
    colonia = places.colonias[person.colonia].name
    prefix = "Col." if r.random() < 0.7 else "Colonia"
    if place == GRAVE:
        return f"Fosa clandestina, {prefix} {colonia}"
    if place == RAVINE:
        if r.random() < 0.6:
            return f"Barranco de la {prefix} {colonia}"
        return f"{r.choice(RIVERS)}, altura de {prefix} {colonia}"
    return f"{prefix} {colonia}, {person.address.lower()}"


def _coroner_row(
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
        "fecha_levantamiento": _day_text(recovered, "%Y-%m-%d"),
        "fecha_muerte": _day_text(min(died, recovered), "%Y-%m-%d") if r.random() < death_known else "",
        "nombre_fallecido": _pick(r, UNIDENTIFIED_NAMES) if unidentified else _coroner_name(person, noise, r),
        "identificacion": (
            ""
            if unidentified or not person.national_id or r.random() < noise.coroner_id_missing
            else _national_id_written(person.national_id, r)
        ),
        "sexo": (
            "INDETERMINADO" if unidentified and place == GRAVE and r.random() < 0.4 else CORONER_SEXES[person.sex]
        ),
        "edad_anios": _coroner_age(person.age_days, unidentified, r),
        "manera_muerte": manner,
        "causa_basica_cie10": cause,
        "mecanismo": mechanism,
        "municipio_levantamiento": _pick(r, places.coroner_municipality_spellings[municipality]),
        "lugar_levantamiento": where,
        "estado_identificacion": (
            "NO IDENTIFICADO" if unidentified else _pick(r, {"IDENTIFICADO": 0.7, "RECLAMADO": 0.3})
        ),
        "hallazgo": _pick(r, CORONER_PLACES[place]),
    }


def _coroner_name(person, noise: Noise, r: random.Random) -> str:
    """Upper case with accents (JOSÉ LUIS MARTÍNEZ RIVERA), a married woman's DE, now and then surname first."""
    surnames = _words(
        person.surname1,
        person.surname2 if r.random() >= 0.04 else "",
        f"DE {person.married_surname}" if person.married_surname and r.random() < 0.5 else "",
    )
    given = _words(person.given1, person.given2)
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


def _admissions(*, person, event: int, cause: str, places: CityPlaces, noise: Noise, r: random.Random) -> list[dict]:
    """A survivor's admission, and a second one when a referred patient arrives at the other hospital."""
    hospital = _hospital_for(municipality_code=places.municipality_codes[person.municipality], r=r)
    admitted = event + r.randint(15, 180)
    condition = _pick(r, SURVIVOR_OUTCOMES)
    stay = r.randint(60, 600) if condition == "REFERIDO" else max(60, int(r.lognormvariate(math.log(2880), 1.0)))
    discharged = None if condition == "FUGA" and r.random() < 0.6 else admitted + stay
    rows = [
        _hospital_row(
            person=person,
            hospital=hospital,
            admitted=admitted,
            discharged=discharged,
            condition=condition,
            cause=cause,
            places=places,
            noise=noise,
            r=r,
        )
    ]
    if condition == "REFERIDO" and r.random() < 0.6:
        receiving = r.choice([other for other in range(len(HOSPITALS)) if other != hospital])
        arrived = admitted + stay + r.randint(30, 240)
        rows.append(
            _hospital_row(
                person=person,
                hospital=receiving,
                admitted=arrived,
                discharged=arrived + max(60, int(r.lognormvariate(math.log(4320), 0.8))),
                condition="VIVO",
                cause=cause,
                places=places,
                noise=noise,
                r=r,
            )
        )
    return rows


def _hospital_row(
    *,
    person,
    hospital: int,
    admitted: int,
    discharged: int | None,
    condition: str,
    cause: str,
    places: CityPlaces,
    noise: Noise,
    r: random.Random,
) -> dict:
    died = condition == "FALLECIDO"
    unknown_patient = r.random() < (0.12 if died else 0.03) * noise.unidentified_factor
    age, age_unit = _hospital_age(person.age_days, unknown_patient, noise, r)
    if cause.startswith("V"):
        external_cause = f"{cause}.{TRAFFIC_FOURTH_CHARACTER[cause]}"
    else:
        external_cause = f"{cause}.{PLACE_OF_OCCURRENCE.get(person.place_type, '9')}"
    return {
        "victim_key": person.key,
        "admitted": admitted,
        "hospital": hospital,
        "establecimiento": HOSPITALS[hospital].name if r.random() < 0.9 else HOSPITALS[hospital].short_name,
        "fecha_ingreso": _timestamp_text(admitted),
        "fecha_egreso": "" if discharged is None else _timestamp_text(discharged),
        "condicion_egreso": condition,
        "paciente": _pick(r, UNKNOWN_PATIENT_NAMES) if unknown_patient else _hospital_name(person, noise, r),
        "documento": (
            ""
            if unknown_patient or not person.national_id or r.random() < noise.hospital_id_missing
            else person.national_id
        ),
        "sexo": "9" if unknown_patient and r.random() < 0.5 else HOSPITAL_SEXES[person.sex],
        "edad": age,
        "unidad_edad": age_unit,
        "cie10_lesion": r.choice(CAUSE_INJURIES.get(cause) or INJURIES[person.weapon]),
        "cie10_causa_externa": external_cause,
        "intencionalidad": _pick(r, INTENTS[person.kind]),
        "municipio_ocurrencia": (
            _pick(r, places.hospital_municipality_spellings[person.municipality]) if r.random() < 0.4 else ""
        ),
        "municipio_residencia": "" if unknown_patient else _residence(person, places, r),
    }


def _hospital_name(person, noise: Noise, r: random.Random) -> str:
    """Mixed case and abbreviated: Jose L. Martinez, Martinez Rivera, Jose Luis, JOSE LUIS MARTINEZ."""
    accents = r.random() < 0.3
    given, second_given, surname, second_surname = (
        part.title() if accents else strip_accents(part).title()
        for part in (person.given1, person.given2, person.surname1, person.surname2)
    )
    form = r.random()
    if form < 0.25:
        name = _words(given, f"{second_given[:1]}." if second_given else "", surname)
    elif form < 0.45:
        name = _words(given, second_given, surname, second_surname)
    elif form < 0.65:
        name = _words(given, second_given, surname, second_surname).upper()
    elif form < 0.75:
        name = f"{_words(surname, second_surname)}, {_words(given, second_given)}"
    elif form < 0.85:
        name = _words(given, surname, f"{second_surname[:1]}." if second_surname else "")
    else:
        name = _words(given, second_given, surname)
    return name_typo(name, r) if r.random() < noise.typo_rate else name


def _hospital_age(age_days: int, unknown_patient: bool, noise: Noise, r: random.Random) -> tuple[str, str]:
    if unknown_patient:
        return ("", "") if r.random() < 0.5 else (str(max(1, round(age_days / 365 / 5) * 5)), "A")
    if age_days < 30:
        return str(age_days), "D"
    if age_days < 365:
        return str(age_days // 30), "M"
    slip = r.choice((-1, 1)) if r.random() < noise.age_shift_rate else 0
    return str(age_days // 365 + slip), "A"


def _residence(person, places: CityPlaces, r: random.Random) -> str:
    where = r.random()
    if where < 0.8:
        return _pick(r, places.hospital_municipality_spellings[person.municipality])
    if where < 0.92:
        return strip_accents(r.choice(places.municipality_names)).upper()
    return strip_accents(r.choice(places.nearby_municipality_names)).upper()


def _coroner_numbered(rows: list[dict], r: random.Random) -> list[dict]:
    """Autopsy numbers in order of recovery per year, with gaps for the cases of other municipalities."""
    rows = sorted(rows, key=lambda row: (row["recovered"], row["victim_key"]))
    counters: Counter = Counter()
    for row in rows:
        year = (EPOCH + timedelta(days=int(row["recovered"]))).year
        counters[year] += r.randint(1, 3)
        row["numero_autopsia"] = f"AUT-GUA-{year}-{counters[year]:05d}"
    return rows


def _hospital_numbered(rows: list[dict], r: random.Random) -> list[dict]:
    """Admission numbers per hospital and year, in order of admission; every other admission takes one too."""
    rows = sorted(rows, key=lambda row: (row["admitted"], row["victim_key"]))
    counters: Counter = Counter()
    for row in rows:
        prefix = HOSPITALS[row["hospital"]].id_prefix
        year = (datetime(1970, 1, 1) + timedelta(minutes=int(row["admitted"]))).year
        counters[prefix, year] += r.randint(5, 60)
        row["id_registro"] = f"{prefix}-{year}-{counters[prefix, year]:06d}"
    return rows


# --- The demo files --------------------------------------------------------------------------------------


def demo_files_write(
    *,
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    start_year: int = DEFAULT_START_YEAR,
    years: int = DEFAULT_YEARS,
    victims_per_year: int = DEFAULT_VICTIMS_PER_YEAR,
    noise: Noise = NOISE_LEVELS["default"],
) -> list[str]:
    """Write police.csv, coroner.csv, hospital.csv and ground_truth.csv into `out_dir`; one summary line per file."""
    places = city_places_read(seed=seed)
    rng = np.random.default_rng(seed)
    r = _text_rng(rng)
    first_day, days = _period(start_year=start_year, years=years)
    victims = persons_draw(
        rng=rng,
        places=places,
        kinds={kind: p.share for kind, p in KINDS.items() if p.share},
        persons=victims_per_year * years,
        first_day=first_day,
        days=days,
    )
    natural_deaths = persons_draw(
        rng=rng,
        places=places,
        kinds={Kind.NATURAL_DEATH: 1.0},
        persons=round(NATURAL_DEATHS_PER_VICTIM * victims_per_year * years),
        first_day=first_day,
        days=days,
        first_incident=len(victims),
    )
    persons = pd.concat([victims, natural_deaths], ignore_index=True).sort_values(
        ["day", "minute", "incident", "victim_number"], kind="stable", ignore_index=True
    )
    persons.insert(0, "key", [f"V{number:06d}" for number in range(1, len(persons) + 1)])
    sightings = _sightings_draw(persons=persons, places=places, noise=noise, rng=rng, r=r)

    reported = persons[sightings.police]
    bodies_found = pd.DataFrame(sightings.bodies_found, columns=[*persons.columns, "delito", "known"]).astype(
        {**persons.dtypes.to_dict(), "known": bool}
    )
    bodies_found["incident"] = len(persons) + np.arange(len(bodies_found))
    police = _police_truth(
        victims=pd.concat([reported, bodies_found[persons.columns]], ignore_index=True),
        delito=np.concatenate(
            [
                _draw_by(rng, reported["kind"].to_numpy(), {k: p.delitos for k, p in KINDS.items()}),
                bodies_found["delito"].to_numpy(dtype=object),
            ]
        ),
        known=np.concatenate([sightings.police_known[sightings.police], bodies_found["known"].to_numpy(dtype=bool)]),
        places=places,
        rng=rng,
    )
    police = pd.concat(
        [police, _police_duplicates(truth=police, count=int(rng.binomial(len(police), DUPLICATE_SHARE)), rng=rng)],
        ignore_index=True,
    )
    police = _police_numbered(truth=police, counters=Counter(), rng=rng)
    coroner = _coroner_numbered(sightings.coroner, r)
    hospital = _hospital_numbered(sightings.hospital, r)

    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        POLICE: police_rows_format(truth=police, places=places, noise=noise, rng=rng),
        CORONER: _table(coroner, CORONER),
        HOSPITAL: _table(hospital, HOSPITAL),
    }
    lines = []
    for layout, table in tables.items():
        with (out_dir / layout.file_name).open("w", encoding=layout.encoding, newline="") as handle:
            _header_write(handle, layout)
            _rows_write(handle=handle, table=table, layout=layout, rate=noise.bad_value_rate, rng=rng)
        lines.append(f"{layout.file_name}: {len(table[layout.columns[0]])} rows")
    truth = pd.DataFrame(
        {
            "source": ["police"] * len(police) + ["coroner"] * len(coroner) + ["hospital"] * len(hospital),
            "record_id": [
                *(police["no_denuncia"] + "#" + police["correlativo_victima"].astype(str)),
                *(row["numero_autopsia"] for row in coroner),
                *(row["id_registro"] for row in hospital),
            ],
            "victim_key": [
                *police["key"],
                *(row["victim_key"] for row in coroner),
                *(row["victim_key"] for row in hospital),
            ],
        },
        columns=list(GROUND_TRUTH_COLUMNS),
    )
    truth.to_csv(out_dir / GROUND_TRUTH_FILE, index=False, lineterminator="\n", encoding="utf-8")
    linked = (truth.groupby("victim_key").size() > 1).sum()
    lines.append(
        f"{GROUND_TRUTH_FILE}: {len(truth)} rows, {truth['victim_key'].nunique()} persons "
        f"({linked} with more than one record)"
    )
    return lines
