"""The victims: who they are, and when, where and how it happened to them."""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .addresses import addresses_draw
from .drawing import draw, draw_by
from .events import KINDS, Kind, per_kind
from .names import COMPOUND_NAME_SHARE, FEMALE_COMPOUND_NAMES, FEMALE_NAMES, MALE_COMPOUND_NAMES, MALE_NAMES, SURNAMES
from .places import CityPlaces

SURVIVOR_SHARE = 0.25  # further victims of a homicide incident who survive their injuries


def _day_weights(first_day: int, days: int) -> np.ndarray:
    """More violence at weekends and in December."""
    dates = np.datetime64("1970-01-01") + (first_day + np.arange(days)).astype("timedelta64[D]")
    weekday = (first_day + np.arange(days) + 3) % 7  # 1 January 1970 was a Thursday
    december = dates.astype("datetime64[M]").astype(int) % 12 == 11
    weights = np.select([weekday >= 5, weekday == 4], [1.3, 1.1], 1.0) * np.where(december, 1.1, 1.0)
    return weights / weights.sum()


def _national_ids(rng: np.random.Generator, *, home_codes: np.ndarray, places: CityPlaces) -> np.ndarray:
    """Guatemalan CUI numbers: 8 digits, a check digit, and the code of the municipality that registered the birth."""
    size = len(home_codes)
    serials = rng.integers(10_000_000, 100_000_000, size=size)
    checks = _cui_check_digits(serials)
    while (invalid := checks == 10).any():  # numbers whose check would be 10 are never issued
        serials[invalid] = rng.integers(10_000_000, 100_000_000, size=int(invalid.sum()))
        checks = _cui_check_digits(serials)
    born_elsewhere = rng.random(size) < 0.4
    registered = np.where(born_elsewhere, draw(rng, dict.fromkeys(places.registration_codes, 1.0), size), home_codes)
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
    incident_kind, sizes = _incidents_draw(rng, kinds=kinds, persons=persons)
    scene = _scenes_draw(rng, places=places, kinds=kinds, incident_kind=incident_kind, first_day=first_day, days=days)
    incident = np.repeat(np.arange(len(incident_kind)), sizes)
    victim_number = np.arange(persons) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    kind, female, age_days = _victims_draw(rng, kind=incident_kind[incident], victim_number=victim_number)
    given, second_given, second_surname, married = _names_draw(rng, female=female, age_days=age_days)
    municipality = places.colonia_municipality[scene["colonia"]][incident]
    home_codes = np.array(places.municipality_codes, dtype=object)[municipality]
    national_id = _national_ids(rng, home_codes=home_codes, places=places)
    national_id[age_days < 18 * 365] = ""  # the DPI is issued at 18
    # The first surname and the married one are drawn last, in the frame below: moving a draw changes the people
    # a seed gives.
    return pd.DataFrame(
        {
            "incident": first_incident + incident,
            "victim_number": victim_number,
            "kind": kind,
            "day": scene["day"][incident],
            "minute": scene["minute"][incident],
            "municipality": municipality,
            "colonia": scene["colonia"][incident],
            "place_type": scene["place_type"][incident],
            "weapon": scene["weapon"][incident],
            "address": scene["address"][incident],
            "longitude": scene["longitude"][incident],
            "latitude": scene["latitude"][incident],
            "sex": np.where(female, "F", "M"),
            "age_days": age_days,
            "given1": given,
            "given2": second_given,
            "surname1": draw(rng, SURNAMES, persons),
            "surname2": second_surname,
            "married_surname": np.where(married, draw(rng, SURNAMES, persons), ""),
            "national_id": national_id,
        }
    )


def _incidents_draw(
    rng: np.random.Generator, *, kinds: Mapping[str, float], persons: int
) -> tuple[np.ndarray, np.ndarray]:
    """The kind and the number of victims of each incident, enough incidents for `persons` victims (the last one
    cut to fit). `kinds` weighs victims, so incidents of a kind with more victims each are fewer."""
    kind_values = np.array(list(kinds), dtype=object)
    mean_sizes = np.array(
        [
            sum(size * weight for size, weight in KINDS[kind].sizes.items()) / sum(KINDS[kind].sizes.values())
            for kind in kinds
        ]
    )
    incident_shares = np.array(list(kinds.values())) / mean_sizes
    incident_kind = kind_values[rng.choice(len(kinds), size=persons, p=incident_shares / incident_shares.sum())]
    sizes = draw_by(rng, incident_kind, {kind: KINDS[kind].sizes for kind in kinds}).astype(np.int64)
    ends = np.cumsum(sizes)
    incidents = int(np.searchsorted(ends, persons)) + 1 if persons else 0
    incident_kind, sizes = incident_kind[:incidents], sizes[:incidents]
    sizes[-1:] -= ends[incidents - 1 : incidents] - persons
    return incident_kind, sizes


def _scenes_draw(
    rng: np.random.Generator,
    *,
    places: CityPlaces,
    kinds: Mapping[str, float],
    incident_kind: np.ndarray,
    first_day: int,
    days: int,
) -> dict[str, np.ndarray]:
    """When, where and how each incident happened, one value per incident in each column."""
    incidents = len(incident_kind)
    day = first_day + rng.choice(days, size=incidents, p=_day_weights(first_day, days))
    hour = draw_by(rng, incident_kind, {kind: dict(enumerate(KINDS[kind].hours)) for kind in kinds}).astype(np.int64)
    minute = hour * 60 + rng.integers(0, 60, size=incidents)
    colonia = rng.choice(len(places.colonias), size=incidents, p=places.colonia_risk)
    place_type = draw_by(rng, incident_kind, {kind: KINDS[kind].places for kind in kinds})
    weapon = draw_by(rng, incident_kind, {kind: KINDS[kind].weapons for kind in kinds})
    longitude, latitude = _points_assign(rng, colonia=colonia, places=places)
    address = addresses_draw(rng, zone=places.colonia_zone[colonia], place_type=place_type)
    return {
        "day": day,
        "minute": minute,
        "colonia": colonia,
        "place_type": place_type,
        "weapon": weapon,
        "address": address,
        "longitude": longitude,
        "latitude": latitude,
    }


def _victims_draw(
    rng: np.random.Generator, *, kind: np.ndarray, victim_number: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each victim's kind (some further victims of a homicide survive it), whether female, and age in days."""
    persons = len(kind)
    survived = (kind == Kind.HOMICIDE) & (victim_number > 1) & (rng.random(persons) < SURVIVOR_SHARE)
    kind[survived] = Kind.ASSAULT_INJURY.value
    female = rng.random(persons) < per_kind(kind, lambda profile: profile.female)
    mean, deviation, youngest, oldest = (
        per_kind(kind, lambda profile, part=part: profile.age[part]) for part in range(4)
    )
    years = rng.normal(mean, deviation)
    outside = (years < youngest) | (years >= oldest + 1)
    years[outside] = rng.uniform(youngest[outside], oldest[outside] + 1)
    age_days = (years * 365.25).astype(np.int64)
    infant = rng.random(persons) < per_kind(kind, lambda profile: profile.infants)
    age_days[infant] = rng.integers(1, 365, size=int(infant.sum()))
    return kind, female, age_days


def _names_draw(
    rng: np.random.Generator, *, female: np.ndarray, age_days: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Given names (a compound one now and then), the second surname, and which women go by a married name."""
    persons = len(female)
    given = np.where(female, draw(rng, FEMALE_NAMES, persons), draw(rng, MALE_NAMES, persons))
    second_given = np.where(female, draw(rng, FEMALE_NAMES, persons), draw(rng, MALE_NAMES, persons))
    second_given[(second_given == given) | (rng.random(persons) < 0.08)] = ""
    compound = np.flatnonzero(rng.random(persons) < COMPOUND_NAME_SHARE)
    compound_names = np.where(
        female[compound],
        draw(rng, FEMALE_COMPOUND_NAMES, len(compound)),
        draw(rng, MALE_COMPOUND_NAMES, len(compound)),
    )
    given[compound] = [name.split(" ", 1)[0] for name in compound_names]
    second_given[compound] = [name.split(" ", 1)[1] for name in compound_names]
    second_surname = draw(rng, SURNAMES, persons)
    second_surname[rng.random(persons) < 0.03] = ""
    married = female & (age_days >= 25 * 365) & (rng.random(persons) < 0.25)
    return given, second_given, second_surname, married


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
