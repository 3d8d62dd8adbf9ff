"""The demo files: every source's export of one simulated population, and the ground truth of who is who."""

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from .coroner import coroner_numbered
from .drawing import draw_by, text_random
from .events import KINDS, Kind
from .hospital import hospital_numbered
from .layouts import CORONER, GROUND_TRUTH_COLUMNS, GROUND_TRUTH_FILE, HOSPITAL, NOISE_LEVELS, POLICE, Noise
from .people import persons_draw
from .places import CityPlaces, city_places_read
from .police import DUPLICATE_SHARE, police_duplicates, police_numbered, police_rows_format, police_truth
from .sightings import Sightings, sightings_draw
from .timeline import DEFAULT_START_YEAR, DEFAULT_YEARS, period
from .writing import header_write, rows_table, rows_write

DEFAULT_SEED = 42
# About 1.9 M people at 30-90 homicides per 100,000, plus injuries, suicides, road deaths, missing persons
# and the property crimes whose victims the police name.
DEFAULT_VICTIMS_PER_YEAR = 1500
NATURAL_DEATHS_PER_VICTIM = 0.15  # bodies the coroner receives that are out of scope


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
    r = text_random(rng)
    persons = _population_draw(
        rng=rng, places=places, start_year=start_year, years=years, victims_per_year=victims_per_year
    )
    sightings = sightings_draw(persons=persons, places=places, noise=noise, rng=rng, r=r)
    police = _police_reports(persons=persons, sightings=sightings, places=places, rng=rng)
    coroner = coroner_numbered(sightings.coroner, r)
    hospital = hospital_numbered(sightings.hospital, r)

    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        POLICE: police_rows_format(truth=police, places=places, noise=noise, rng=rng),
        CORONER: rows_table(coroner, CORONER),
        HOSPITAL: rows_table(hospital, HOSPITAL),
    }
    lines = []
    for layout, table in tables.items():
        with (out_dir / layout.file_name).open("w", encoding=layout.encoding, newline="") as handle:
            header_write(handle, layout)
            rows_write(handle=handle, table=table, layout=layout, rate=noise.bad_value_rate, rng=rng)
        lines.append(f"{layout.file_name}: {len(table[layout.columns[0]])} rows")
    lines.append(_ground_truth_write(out_dir=out_dir, police=police, coroner=coroner, hospital=hospital))
    return lines


def _population_draw(
    *, rng: np.random.Generator, places: CityPlaces, start_year: int, years: int, victims_per_year: int
) -> pd.DataFrame:
    """The victims and the natural deaths the coroner also receives, in order of events, keyed V000001 onwards."""
    first_day, days = period(start_year=start_year, years=years)
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
    return persons


def _police_reports(
    *, persons: pd.DataFrame, sightings: Sightings, places: CityPlaces, rng: np.random.Generator
) -> pd.DataFrame:
    """The police's victims, numbered: those they saw, the bodies of missing persons found later, and the
    victims reported a second time."""
    reported = persons[sightings.police]
    bodies_found = pd.DataFrame(sightings.bodies_found, columns=[*persons.columns, "delito", "known"]).astype(
        {**persons.dtypes.to_dict(), "known": bool}
    )
    bodies_found["incident"] = len(persons) + np.arange(len(bodies_found))
    police = police_truth(
        victims=pd.concat([reported, bodies_found[persons.columns]], ignore_index=True),
        delito=np.concatenate(
            [
                draw_by(rng, reported["kind"].to_numpy(), {k: p.delitos for k, p in KINDS.items()}),
                bodies_found["delito"].to_numpy(dtype=object),
            ]
        ),
        known=np.concatenate([sightings.police_known[sightings.police], bodies_found["known"].to_numpy(dtype=bool)]),
        places=places,
        rng=rng,
    )
    police = pd.concat(
        [police, police_duplicates(truth=police, count=int(rng.binomial(len(police), DUPLICATE_SHARE)), rng=rng)],
        ignore_index=True,
    )
    return police_numbered(truth=police, counters=Counter(), rng=rng)


def _ground_truth_write(*, out_dir: Path, police: pd.DataFrame, coroner: list[dict], hospital: list[dict]) -> str:
    """Write which person each record is; the summary line."""
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
    return (
        f"{GROUND_TRUTH_FILE}: {len(truth)} rows, {truth['victim_key'].nunique()} persons "
        f"({linked} with more than one record)"
    )
