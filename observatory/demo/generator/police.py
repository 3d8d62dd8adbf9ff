"""The police: how they file and number reports and type victims, and the large police file of benchmarks."""

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from .drawing import draw, draw_by
from .events import (
    BLUNT,
    BUSINESS,
    FIREARM,
    GRAVE,
    HOME,
    KINDS,
    NONE,
    OTHER,
    PUBLIC_ROAD,
    RAVINE,
    SHARP,
    STRANGULATION,
    TRANSPORT,
    UNKNOWN,
    VEHICLE,
    per_kind,
)
from .layouts import NOISE_LEVELS, POLICE, Noise
from .people import persons_draw
from .places import CityPlaces, city_places_read
from .slips import typos, without_accents, words
from .timeline import DEFAULT_START_YEAR, DEFAULT_YEARS, MINUTES_PER_DAY, days_text, period, years_of
from .writing import Table, header_write, rows_write

CHUNK_ROWS = 100_000  # victim rows write_police_file draws and writes at a time
DUPLICATE_SHARE = 0.02  # police victims reported a second time, by another unit
INVESTIGATION_SHARE = 0.08  # incidents filed by the investigation unit rather than the local station
INVESTIGATION_UNIT = "DEIC"
# The offence as another unit files it when it reports a victim a second time.
DELITO_SYNONYMS = {
    "HOMICIDIO": "ASESINATO",
    "ASESINATO": "HOMICIDIO",
    "FEMICIDIO": "HOMICIDIO",
    "LESIONES": "LESIONES GRAVES",
    "ROBO": "ROBO AGRAVADO",
}
BODY_FOUND_DELITOS = {"MUERTE EN INVESTIGACION": 0.6, "HOMICIDIO": 0.4}
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
_CLOCK = np.array([f"{minute // 60:02d}:{minute % 60:02d}" for minute in range(MINUTES_PER_DAY)], dtype=object)
_NUMBERS = np.array([str(number) for number in range(131)], dtype=object)


def police_truth(
    *, victims: pd.DataFrame, delito: np.ndarray, known: np.ndarray, places: CityPlaces, rng: np.random.Generator
) -> pd.DataFrame:
    """The police record of each victim before it is typed: offence, reporting unit, whether the name is known."""
    incidents, first, inverse = np.unique(victims["incident"].to_numpy(), return_index=True, return_inverse=True)
    municipality_code = np.array(places.municipality_codes, dtype=object)[victims["municipality"].to_numpy()[first]]
    unit = draw_by(rng, municipality_code, {code: dict.fromkeys(units, 1.0) for code, units in POLICE_UNITS.items()})
    unit[rng.random(len(incidents)) < INVESTIGATION_SHARE] = INVESTIGATION_UNIT
    return victims.assign(delito=delito, known=known, unit=unit[inverse])


def police_duplicates(*, truth: pd.DataFrame, count: int, rng: np.random.Generator) -> pd.DataFrame:
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


def police_numbered(*, truth: pd.DataFrame, counters: Counter, rng: np.random.Generator) -> pd.DataFrame:
    """Report numbers in date order per series and year, with gaps (reports without a victim take numbers too);
    victims numbered 1..n within their report."""
    truth = truth.sort_values(["day", "minute", "incident", "victim_number"], kind="stable", ignore_index=True)
    incidents = truth.drop_duplicates("incident")
    series = np.where(incidents["unit"].to_numpy() == INVESTIGATION_UNIT, INVESTIGATION_UNIT, "PNC")
    year = years_of(incidents["day"].to_numpy())
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
    slip = np.where(rng.random(size) < noise.date_shift_rate, draw(rng, {1: 0.6, -1: 0.2, 2: 0.2}, size), 0)
    minute = truth["minute"].to_numpy()
    minute = np.where(rng.random(size) < 0.35, minute // 30 * 30, minute)  # "around half past nine"
    known = truth["known"].to_numpy(dtype=bool)
    colonia = draw_by(rng, truth["colonia"].to_numpy(), places.police_colonia_spellings)
    colonia_slip = rng.random(size)
    colonia[colonia_slip < 0.07] = ""
    off_gazetteer = (colonia_slip >= 0.07) & (colonia_slip < 0.12)
    colonia[off_gazetteer] = draw(rng, dict.fromkeys(OFF_GAZETTEER_PLACES, 1.0), int(off_gazetteer.sum()))
    latitude, longitude = _police_coordinates(truth=truth, rng=rng)
    national_id = truth["national_id"].to_numpy(dtype=object).copy()
    national_id[~known | (rng.random(size) < noise.police_id_missing)] = ""
    columns = {
        "no_denuncia": truth["no_denuncia"].to_numpy(),
        "correlativo_victima": _NUMBERS[truth["correlativo_victima"].to_numpy()],
        "fecha_hecho": days_text(truth["day"].to_numpy() + slip.astype(np.int64), "%d/%m/%Y"),
        "hora_hecho": np.where(rng.random(size) < 0.15, "", _CLOCK[minute]),
        "delito": truth["delito"].to_numpy(),
        "departamento": np.full(size, "GUATEMALA"),
        "municipio": draw_by(rng, truth["municipality"].to_numpy(), places.police_municipality_spellings),
        "colonia": colonia,
        "direccion": np.where(rng.random(size) < 0.05, "", truth["address"].to_numpy()),
        "latitud": latitude,
        "longitud": longitude,
        "tipo_lugar": draw_by(rng, truth["place_type"].to_numpy(), POLICE_PLACES),
        "arma": draw_by(rng, truth["weapon"].to_numpy(), POLICE_WEAPONS),
        "victima_nombre": _police_names(truth=truth, known=known, noise=noise, rng=rng),
        "victima_dni": national_id,
        "victima_sexo": draw_by(rng, truth["sex"].to_numpy(), POLICE_SEXES),
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
        return np.where(accents_kept, values, without_accents(values))

    given, second_given = typed("given1"), typed("given2")
    surname, second_surname, married = typed("surname1"), typed("surname2"), typed("married_surname")
    second_given[rng.random(size) < 0.1] = ""
    second_surname[rng.random(size) < 0.1] = ""
    married[rng.random(size) >= 0.3] = ""
    surname_first = rng.random(size) < 0.05
    names = np.array(
        [
            words(first_surname, last_surname, "DE " + husband if husband else "", first, second)
            if reversed_order
            else words(first, second, first_surname, last_surname, "DE " + husband if husband else "")
            for first, second, first_surname, last_surname, husband, reversed_order in zip(
                given, second_given, surname, second_surname, married, surname_first, strict=False
            )
        ],
        dtype=object,
    )
    names = typos(names, rate=noise.typo_rate, rng=rng)
    names[rng.random(size) < 0.01] = ""
    unnamed = ~known
    names[unnamed] = draw(rng, {"DESCONOCIDO": 0.75, "": 0.25}, int(unnamed.sum()))
    return names


def _police_ages(*, age_days: np.ndarray, known: np.ndarray, noise: Noise, rng: np.random.Generator) -> np.ndarray:
    size = len(age_days)
    years = np.clip(
        age_days // 365 + np.where(rng.random(size) < noise.age_shift_rate, rng.choice([-1, 1], size=size), 0), 0, 120
    )
    estimated = np.clip(np.round(age_days / 365 / 5).astype(np.int64) * 5, 1, 120)
    years = np.where(known, years, estimated)
    number = _NUMBERS[years]
    form = draw(rng, POLICE_AGE_FORMS, size)
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
    first_day, days = period(start_year=start_year, years=years)
    counters: Counter = Counter()
    with path.open("w", encoding=POLICE.encoding, newline="") as handle:
        header_write(handle, POLICE)
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
            unidentified = per_kind(kind, lambda profile: profile.unidentified) * noise.unidentified_factor
            unknown = rng.random(len(victims)) < unidentified
            truth = police_truth(
                victims=victims,
                delito=draw_by(rng, kind, {k: KINDS[k].delitos for k in kinds}),
                known=~unknown,
                places=places,
                rng=rng,
            )
            truth = pd.concat([truth, police_duplicates(truth=truth, count=duplicates, rng=rng)], ignore_index=True)
            truth = police_numbered(truth=truth, counters=counters, rng=rng)
            table = police_rows_format(truth=truth, places=places, noise=noise, rng=rng)
            rows_write(handle=handle, table=table, layout=POLICE, rate=noise.bad_value_rate, rng=rng)
    return rows
