"""What each source saw of the simulated persons: police reports, autopsies and hospital admissions."""

import math
import random
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .addresses import addresses_draw
from .coroner import coroner_row, forensic_findings, place_described
from .drawing import pick
from .events import (
    ASSAULT_CAUSES,
    DEATH_KINDS,
    FIREARM,
    GRAVE,
    HOME,
    IN_HOSPITAL,
    KINDS,
    PUBLIC_ROAD,
    RAVINE,
    STRANGULATION,
    SURVIVOR_KINDS,
    UNKNOWN,
    Kind,
    KindProfile,
    underlying_cause,
)
from .hospital import HOSPITALS, admissions, hospital_for, hospital_row
from .layouts import Noise
from .places import POINTS_PER_COLONIA, CityPlaces
from .police import BODY_FOUND_DELITOS
from .timeline import MINUTES_PER_DAY

FOUND_DEAD_SHARE = 1 / 3  # missing persons whose body the coroner receives weeks or months later
HOSPITAL_REGISTER_COVERAGE = 0.9  # deaths in hospital that the injury register records
FOUND_DEAD_PLACES = {GRAVE: 0.35, RAVINE: 0.35, PUBLIC_ROAD: 0.2, HOME: 0.1}
FOUND_DEAD_WEAPONS = {UNKNOWN: 0.5, FIREARM: 0.3, STRANGULATION: 0.2}
RECOVERY_LAG_DAYS = {0: 0.62, 1: 0.27, 2: 0.07, 3: 0.04}


@dataclass
class Sightings:
    """What each source saw of the simulated persons."""

    police: np.ndarray  # per person: the police recorded the victim
    police_known: np.ndarray  # per person: the police knew the victim's name
    bodies_found: list[dict]  # later police reports of a body found, for missing persons found dead
    coroner: list[dict]
    hospital: list[dict]


def sightings_draw(
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
                cause = underlying_cause(person.kind, person.weapon, r)
                sightings.hospital.extend(
                    admissions(person=person, event=event, cause=cause, places=places, noise=noise, r=r)
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
    cause = underlying_cause(person.kind, person.weapon, r)
    if r.random() < profile.hospital:
        hospital = hospital_for(municipality_code=places.municipality_codes[person.municipality], r=r)
        admitted = event + r.randint(15, 150)
        death = admitted + max(30, int(r.lognormvariate(math.log(600), 1.3)))  # hours to days after admission
        place, where = IN_HOSPITAL, HOSPITALS[hospital].place_name
        municipality = places.municipality_codes.index(HOSPITALS[hospital].municipality_code)
        if person.kind != Kind.NATURAL_DEATH and r.random() < HOSPITAL_REGISTER_COVERAGE:
            sightings.hospital.append(
                hospital_row(
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
    recovered = died + pick(r, RECOVERY_LAG_DAYS) + (r.random() < noise.date_shift_rate)
    manner, cause, mechanism = forensic_findings(kind=person.kind, weapon=person.weapon, cause=cause, r=r)
    sightings.coroner.append(
        coroner_row(
            person=person,
            died=died,
            recovered=recovered,
            death_known=0.9 - 0.3 * unidentified,
            municipality=municipality,
            place=place,
            where=where or place_described(person, place, places, r),
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
    place = pick(r, FOUND_DEAD_PLACES)
    colonia = person.colonia if r.random() < 0.4 else r.choices(range(len(places.colonias)), places.colonia_risk)[0]
    weapon = pick(r, FOUND_DEAD_WEAPONS)
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
        cause = pick(r, ASSAULT_CAUSES[weapon])
        manner, cause, mechanism = forensic_findings(kind=Kind.MISSING_PERSON, weapon=weapon, cause=cause, r=r)
        sightings.coroner.append(
            coroner_row(
                person=found,
                died=person.day + r.randint(0, 7),
                recovered=recovered,
                death_known=0.3,
                municipality=found.municipality,
                place=place,
                where=place_described(found, place, places, r),
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
                "delito": pick(r, BODY_FOUND_DELITOS),
                "known": not unidentified and r.random() < 0.5,
            }
        )
