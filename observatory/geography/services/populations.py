"""Importing population figures per unit and year from CSV, idempotently, with a consistency check."""
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ..models import AdminUnit, Level, Population, PopulationKind
from .csv_rows import csv_rows

REQUIRED_COLUMNS = ("level", "code", "year", "population")
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
        return (f"{self.path}: created={self.created} updated={self.updated} unchanged={self.unchanged} "
                f"rejected={len(self.rejected)} warnings={len(self.warnings)}")

    def lines(self) -> list[str]:
        return ([f"rejected: {line}" for line in self.rejected] + [f"warning: {line}" for line in self.warnings]
                + [self.summary()])


def _parse_row(path: Path, number: int, row: dict, units: dict[tuple[str, str], AdminUnit],
               default_kind: str, default_source: str) -> tuple[dict | None, str]:
    where = f"{path.name} row {number}"
    level, code = (row.get("level") or "").strip(), (row.get("code") or "").strip()
    if level not in Level.values:
        return None, f"{where}, field level: '{level}' is not one of {', '.join(Level.values)}"
    unit = units.get((level, code))
    if unit is None:
        return None, f"{where}, field code: no {level} with code '{code}'"
    try:
        year = int((row.get("year") or "").strip())
    except ValueError:
        return None, f"{where}, field year: '{row.get('year')}' is not a year"
    if not 1800 <= year <= 2200:
        return None, f"{where}, field year: {year} is out of range"
    raw_population = (row.get("population") or "").strip().replace(" ", "").replace(",", "")
    try:
        population = int(float(raw_population))
    except ValueError:
        return None, f"{where}, field population: '{row.get('population')}' is not a number"
    if population <= 0:
        return None, f"{where}, field population: {population} must be positive"
    kind = (row.get("kind") or "").strip() or default_kind
    if kind not in PopulationKind.values:
        return None, f"{where}, field kind: '{kind}' is not one of {', '.join(PopulationKind.values)}"
    source = (row.get("source") or "").strip() or default_source
    return {"unit": unit, "year": year, "population": population, "kind": kind, "source": source}, ""


def implausible_changes(*, figures: dict[int, int], max_annual_change: float = MAX_PLAUSIBLE_ANNUAL_CHANGE
                        ) -> list[tuple[int, int, float]]:
    """(year before, year, annual change) wherever a series of yearly figures changes more than
    `max_annual_change` a year from the previous figure."""
    years = sorted(figures)
    changes = []
    for before, after in zip(years, years[1:]):
        annual_change = (figures[after] / figures[before]) ** (1 / (after - before)) - 1
        if abs(annual_change) > max_annual_change:
            changes.append((before, after, annual_change))
    return changes


def population_jumps(*, unit: AdminUnit, max_annual_change: float = MAX_PLAUSIBLE_ANNUAL_CHANGE) -> list[str]:
    """Years whose figure changes more than `max_annual_change` a year from the previous figure."""
    figures = dict(Population.objects.filter(unit=unit).values_list("year", "population"))
    return [f"{unit.name} ({unit.level} {unit.code}): {before} {figures[before]:,} → {after} {figures[after]:,} "
            f"is {change:+.1%} a year; check the figure"
            for before, after, change in implausible_changes(figures=figures, max_annual_change=max_annual_change)]


@transaction.atomic
def populations_import(*, path: Path, default_kind: str = PopulationKind.CENSUS, default_source: str = "") -> PopulationImportReport:
    """Rows `level,code,year,population[,kind,source]`; a unit-year already present is updated in place."""
    path = Path(path)
    report = PopulationImportReport(path=str(path))
    units = {(unit.level, unit.code): unit for unit in AdminUnit.objects.only("id", "level", "code", "name")}
    touched: dict[int, AdminUnit] = {}
    for number, row in csv_rows(path=path, required=REQUIRED_COLUMNS):
        values, problem = _parse_row(path, number, row, units, default_kind, default_source or path.name)
        if values is None:
            report.rejected.append(problem)
            continue
        unit = values.pop("unit")
        existing = Population.objects.filter(unit=unit, year=values["year"]).first()
        if existing is None:
            Population.objects.create(unit=unit, **values)
            report.created += 1
        elif all(getattr(existing, key) == value for key, value in values.items()):
            report.unchanged += 1
            continue
        else:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            report.updated += 1
        touched[unit.pk] = unit
    for unit in touched.values():
        report.warnings.extend(population_jumps(unit=unit))
    return report
