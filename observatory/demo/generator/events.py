"""What happens: the kinds of event, to whom and how, which sources see them, and their ICD-10 causes."""

import random
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from .drawing import pick


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

# ICD-10 underlying causes: of assaults and suicides by weapon, of road deaths and natural deaths as they come.
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
NATURAL_CAUSES = {"I21": 0.22, "I64": 0.14, "J18": 0.12, "E14": 0.1, "K74": 0.1, "I10": 0.08, "C16": 0.06, "R99": 0.18}


def per_kind(kinds: np.ndarray, value_of) -> np.ndarray:
    codes, distinct = pd.factorize(kinds)
    return np.array([value_of(KINDS[kind]) for kind in distinct], dtype=float)[codes]


def underlying_cause(kind: str, weapon: str, r: random.Random) -> str:
    if kind in (Kind.HOMICIDE, Kind.FEMICIDE, Kind.ASSAULT_INJURY):
        return pick(r, ASSAULT_CAUSES[weapon])
    if kind == Kind.SUICIDE:
        return pick(r, SUICIDE_CAUSES[weapon])
    if kind in (Kind.ROAD_TRAFFIC_DEATH, Kind.ROAD_TRAFFIC_INJURY):
        return pick(r, TRAFFIC_CAUSES)
    if kind == Kind.NATURAL_DEATH:
        return pick(r, NATURAL_CAUSES)
    return UNDETERMINED_CAUSES[weapon]
