"""Importing gazetteer aliases ("Nueva San Salvador" for Santa Tecla) from CSV."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ..models import AdminUnit, Level, PlaceName
from .boundaries import place_name_add
from .csv_rows import csv_rows

REQUIRED_COLUMNS = ("level", "code", "name")


@dataclass
class PlaceNameImportReport:
    path: str
    created: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"rejected: {line}" for line in self.rejected] + [
            f"{self.path}: created={self.created} unchanged={self.unchanged} rejected={len(self.rejected)}"
        ]


@transaction.atomic
def place_names_import(*, path: Path) -> PlaceNameImportReport:
    path = Path(path)
    report = PlaceNameImportReport(path=str(path))
    for number, row in csv_rows(path=path, required=REQUIRED_COLUMNS):
        level, code, name = (row[column].strip() for column in REQUIRED_COLUMNS)
        if level not in Level.values:
            report.rejected.append(f"{path.name} row {number}, field level: '{level}' is not a level")
            continue
        unit = AdminUnit.objects.filter(level=level, code=code).first()
        if unit is None:
            report.rejected.append(f"{path.name} row {number}, field code: no {level} with code '{code}'")
            continue
        if not name:
            report.rejected.append(f"{path.name} row {number}, field name: empty")
            continue
        _, created = place_name_add(unit=unit, name=name, kind=PlaceName.Kind.ALIAS)
        if created:
            report.created += 1
        else:
            report.unchanged += 1
    return report
