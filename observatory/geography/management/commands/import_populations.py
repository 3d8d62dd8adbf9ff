from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatory.geography.models import PopulationKind
from observatory.geography.services.csv_rows import CsvImportError
from observatory.geography.services.populations import populations_import


class Command(BaseCommand):
    help = (
        "Import population figures from a CSV with the columns level,code,year,population and optionally "
        "sex,age_band,kind,source. sex is M or F and age_band a 5-year band (00-04 ... 75-79, 80+); blank means "
        "everyone, so a file without them holds totals. Figures are mid-year; months in between are interpolated. "
        "Idempotent; implausible jumps between years of the same group are reported as warnings."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--kind",
            default=PopulationKind.CENSUS,
            choices=PopulationKind.values,
            help="Kind of figure when the file has no kind column",
        )
        parser.add_argument("--source", default="", help="Source when the file has no source column")

    def handle(self, *args, path: Path, kind: str, source: str, **options):
        try:
            report = populations_import(path=path, default_kind=kind, default_source=source)
        except CsvImportError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
