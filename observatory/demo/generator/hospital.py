"""The hospitals: admissions of the injured and of those who died there, as the injury register writes them."""

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from observatory.geography.folding import strip_accents

from .drawing import pick
from .events import (
    BLUNT,
    BUSINESS,
    FIREARM,
    HOME,
    OTHER,
    PUBLIC_ROAD,
    RAVINE,
    SHARP,
    STRANGULATION,
    TRANSPORT,
    UNKNOWN,
    VEHICLE,
    Kind,
)
from .layouts import Noise
from .places import CityPlaces
from .slips import name_typo, words
from .timeline import timestamp_text

TRAFFIC_FOURTH_CHARACTER = {"V03": "1", "V89": "2", "V29": "4", "V49": "4"}  # traffic, not non-traffic
PLACE_OF_OCCURRENCE = {HOME: "0", PUBLIC_ROAD: "4", TRANSPORT: "4", BUSINESS: "5", RAVINE: "8", OTHER: "8"}
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


def hospital_for(*, municipality_code: str, r: random.Random) -> int:
    return pick(r, HOSPITAL_CHOICE[municipality_code])


def admissions(*, person, event: int, cause: str, places: CityPlaces, noise: Noise, r: random.Random) -> list[dict]:
    """A survivor's admission, and a second one when a referred patient arrives at the other hospital."""
    hospital = hospital_for(municipality_code=places.municipality_codes[person.municipality], r=r)
    admitted = event + r.randint(15, 180)
    condition = pick(r, SURVIVOR_OUTCOMES)
    stay = r.randint(60, 600) if condition == "REFERIDO" else max(60, int(r.lognormvariate(math.log(2880), 1.0)))
    discharged = None if condition == "FUGA" and r.random() < 0.6 else admitted + stay
    rows = [
        hospital_row(
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
            hospital_row(
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


def hospital_row(
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
        "fecha_ingreso": timestamp_text(admitted),
        "fecha_egreso": "" if discharged is None else timestamp_text(discharged),
        "condicion_egreso": condition,
        "paciente": pick(r, UNKNOWN_PATIENT_NAMES) if unknown_patient else _hospital_name(person, noise, r),
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
        "intencionalidad": pick(r, INTENTS[person.kind]),
        "municipio_ocurrencia": (
            pick(r, places.hospital_municipality_spellings[person.municipality]) if r.random() < 0.4 else ""
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
        name = words(given, f"{second_given[:1]}." if second_given else "", surname)
    elif form < 0.45:
        name = words(given, second_given, surname, second_surname)
    elif form < 0.65:
        name = words(given, second_given, surname, second_surname).upper()
    elif form < 0.75:
        name = f"{words(surname, second_surname)}, {words(given, second_given)}"
    elif form < 0.85:
        name = words(given, surname, f"{second_surname[:1]}." if second_surname else "")
    else:
        name = words(given, second_given, surname)
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
        return pick(r, places.hospital_municipality_spellings[person.municipality])
    if where < 0.92:
        return strip_accents(r.choice(places.municipality_names)).upper()
    return strip_accents(r.choice(places.nearby_municipality_names)).upper()


def hospital_numbered(rows: list[dict], r: random.Random) -> list[dict]:
    """Admission numbers per hospital and year, in order of admission; every other admission takes one too."""
    rows = sorted(rows, key=lambda row: (row["admitted"], row["victim_key"]))
    counters: Counter = Counter()
    for row in rows:
        prefix = HOSPITALS[row["hospital"]].id_prefix
        year = (datetime(1970, 1, 1) + timedelta(minutes=int(row["admitted"]))).year
        counters[prefix, year] += r.randint(5, 60)
        row["id_registro"] = f"{prefix}-{year}-{counters[prefix, year]:06d}"
    return rows
