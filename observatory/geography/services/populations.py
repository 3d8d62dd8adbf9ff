"""Importing population figures per unit, year and group (everyone, or a sex and 5-year age band) from CSV,
idempotently, with a consistency check."""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AdminUnit, Level, Population, PopulationKind
from ..terms import EVERYONE, POPULATION_AGE_BANDS, PopulationSex
from .csv_rows import csv_rows

# sex and age_band are optional columns: a file without them holds figures for everyone.
REQUIRED_COLUMNS = ("level", "code", "year", "population")
CHANGEABLE_FIELDS = ("population", "kind", "source")
# Annual growth beyond this share is flagged: populations do not jump by a fifth from one year to the next.
MAX_PLAUSIBLE_ANNUAL_CHANGE = 0.10


@dataclass
class PopulationImportReport:
    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.path}: created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"rejected={len(self.rejected)} warnings={len(self.warnings)}"
        )

    def lines(self) -> list[str]:
        return (
            [f"rejected: {line}" for line in self.rejected]
            + [f"warning: {line}" for line in self.warnings]
            + [self.summary()]
        )


def _sex_of(raw: str) -> tuple[str | None, str]:
    sex = raw.strip().upper()
    if sex in PopulationSex.values:
        return sex, ""
    if sex == "U":
        return None, _("'%(value)s' (unknown sex) has no population: use M, F, or blank for everyone") % {"value": raw}
    return None, _("'%(value)s' is not a sex: use M, F, or blank for everyone") % {"value": raw}


def _age_band_of(raw: str) -> tuple[str | None, str]:
    band = raw.strip()
    if band == EVERYONE or band in POPULATION_AGE_BANDS:
        return band, ""
    return None, _(
        "'%(value)s' is not a 5-year age band: use %(first)s, %(second)s ... %(last)s, or blank for all ages"
    ) % {
        "value": raw,
        "first": POPULATION_AGE_BANDS[0],
        "second": POPULATION_AGE_BANDS[1],
        "last": POPULATION_AGE_BANDS[-1],
    }


def _parse_row(
    path: Path, number: int, row: dict, units: dict[tuple[str, str], AdminUnit], default_kind: str, default_source: str
) -> tuple[dict | None, str]:
    """The row's figure, or None and why not, naming the file, the row and the field."""

    def refused(column: str, why: str) -> tuple[None, str]:
        return None, _("%(file)s row %(row)d, field %(field)s: %(why)s") % {
            "file": path.name,
            "row": number,
            "field": column,
            "why": why,
        }

    level, code = (row.get("level") or "").strip(), (row.get("code") or "").strip()
    if level not in Level.values:
        return refused(
            "level", _("'%(value)s' is not one of %(choices)s") % {"value": level, "choices": ", ".join(Level.values)}
        )
    unit = units.get((level, code))
    if unit is None:
        return refused("code", _("no %(level)s with code '%(code)s'") % {"level": level, "code": code})
    try:
        year = int((row.get("year") or "").strip())
    except ValueError:
        return refused("year", _("'%(value)s' is not a year") % {"value": row.get("year")})
    if not 1800 <= year <= 2200:
        return refused("year", _("%(year)d is out of range") % {"year": year})
    sex, problem = _sex_of(row.get("sex") or "")
    if sex is None:
        return refused("sex", problem)
    age_band, problem = _age_band_of(row.get("age_band") or "")
    if age_band is None:
        return refused("age_band", problem)
    raw_population = (row.get("population") or "").strip().replace(" ", "").replace(",", "")
    try:
        population = int(float(raw_population))
    except ValueError:
        return refused("population", _("'%(value)s' is not a number") % {"value": row.get("population")})
    # A small area may have nobody of some sex and age, but it has people.
    if population < 0 or (population == 0 and sex == EVERYONE and age_band == EVERYONE):
        return refused("population", _("%(population)d must be positive") % {"population": population})
    kind = (row.get("kind") or "").strip() or default_kind
    if kind not in PopulationKind.values:
        return refused(
            "kind",
            _("'%(value)s' is not one of %(choices)s") % {"value": kind, "choices": ", ".join(PopulationKind.values)},
        )
    source = (row.get("source") or "").strip() or default_source
    return {
        "unit": unit,
        "year": year,
        "sex": sex,
        "age_band": age_band,
        "population": population,
        "kind": kind,
        "source": source,
    }, ""


def implausible_changes(
    *, figures: dict[int, int], max_annual_change: float = MAX_PLAUSIBLE_ANNUAL_CHANGE
) -> list[tuple[int, int, float]]:
    """(year before, year, annual change) wherever a series of yearly figures changes more than
    `max_annual_change` a year from the previous figure."""
    years = sorted(figures)
    changes = []
    for before, after in itertools.pairwise(years):
        annual_change = (figures[after] / figures[before]) ** (1 / (after - before)) - 1
        if abs(annual_change) > max_annual_change:
            changes.append((before, after, annual_change))
    return changes


def population_jumps(*, unit: AdminUnit, max_annual_change: float = MAX_PLAUSIBLE_ANNUAL_CHANGE) -> list[str]:
    """Years whose figure changes more than `max_annual_change` a year from the previous figure of the same group."""
    series: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for sex, age_band, year, population in Population.objects.filter(unit=unit).values_list(
        "sex", "age_band", "year", "population"
    ):
        series[(sex, age_band)][year] = population
    jumps = []
    for (sex, age_band), figures in sorted(series.items()):
        group = " ".join(part for part in (sex, age_band) if part)
        where = f"{unit.name} ({unit.level} {unit.code}){f', {group}' if group else ''}"
        for before, after, change in implausible_changes(figures=figures, max_annual_change=max_annual_change):
            jumps.append(
                _(
                    "%(unit)s: %(before)d %(before_figure)s → %(after)d %(after_figure)s is %(change)s a "
                    "year; check the figure"
                )
                % {
                    "unit": where,
                    "before": before,
                    "before_figure": f"{figures[before]:,}",
                    "after": after,
                    "after_figure": f"{figures[after]:,}",
                    "change": f"{change:+.1%}",
                }
            )
    return jumps


def populations_insert(*, figures: list[tuple[int, int, str, str, int, str, str]]) -> None:
    """Insert new figures given as (unit id, year, sex, age band, population, kind, source) with COPY: the demo's
    hundred thousand group figures take a second this way, where the ORM's INSERTs take several."""
    now = timezone.now()
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {Population._meta.db_table} (unit_id, year, sex, age_band, population, kind, source, updated_at) "
            "FROM STDIN"
        ) as copy,
    ):
        for figure in figures:
            copy.write_row((*figure, now))


@transaction.atomic
def populations_import(
    *, path: Path, default_kind: str = PopulationKind.CENSUS, default_source: str = ""
) -> PopulationImportReport:
    """Rows `level,code,year[,sex,age_band],population[,kind,source]` (blank sex and age band: everyone); a figure
    already present for the unit, year and group is updated in place, so a second import changes nothing."""
    path = Path(path)
    report = PopulationImportReport(path=str(path))
    units = {(unit.level, unit.code): unit for unit in AdminUnit.objects.only("id", "level", "code", "name")}
    figures: dict[tuple[int, int, str, str], dict] = {}
    row_of: dict[tuple[int, int, str, str], int] = {}
    for number, row in csv_rows(path=path, required=REQUIRED_COLUMNS):
        values, problem = _parse_row(path, number, row, units, default_kind, default_source or path.name)
        if values is None:
            report.rejected.append(problem)
            continue
        key = (values["unit"].pk, values["year"], values["sex"], values["age_band"])
        if key in row_of:
            report.rejected.append(
                _("%(file)s row %(row)d: the same unit, year, sex and age band as row %(first)d")
                % {"file": path.name, "row": number, "first": row_of[key]}
            )
            continue
        row_of[key] = number
        figures[key] = values
    existing = {
        (figure.unit_id, figure.year, figure.sex, figure.age_band): figure
        for figure in Population.objects.filter(unit_id__in={values["unit"].pk for values in figures.values()})
    }
    created, changed, touched = [], [], {}
    for key, values in figures.items():
        figure = existing.get(key)
        if figure is None:
            created.append((*key, values["population"], values["kind"], values["source"]))
        elif all(getattr(figure, name) == values[name] for name in CHANGEABLE_FIELDS):
            report.unchanged += 1
            continue
        else:
            for name in CHANGEABLE_FIELDS:
                setattr(figure, name, values[name])
            figure.updated_at = timezone.now()  # bulk_update does not set auto_now fields
            changed.append(figure)
        touched[values["unit"].pk] = values["unit"]
    populations_insert(figures=created)
    Population.objects.bulk_update(changed, [*CHANGEABLE_FIELDS, "updated_at"], batch_size=5000)
    report.created, report.updated = len(created), len(changed)
    for unit in touched.values():
        report.warnings.extend(population_jumps(unit=unit))
    return report
