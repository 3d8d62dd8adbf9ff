from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatory.geography.services.csv_rows import CsvImportError
from observatory.geography.services.place_names import place_names_import


class Command(BaseCommand):
    help = (
        "Add gazetteer aliases from a CSV with the columns level,code,name (e.g. municipality,0501,Nueva San Salvador)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            report = place_names_import(path=path)
        except CsvImportError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
