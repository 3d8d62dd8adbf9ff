from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatory.geography.models import Level
from observatory.geography.services.boundaries import (
    JURISDICTION,
    BoundaryImportError,
    FieldMapping,
    boundaries_import,
)


class Command(BaseCommand):
    help = (
        "Import boundaries of one level (country, department, municipality, colonia) or police jurisdictions "
        "from GeoJSON, TopoJSON or a Shapefile. Idempotent: re-importing the same file changes nothing. "
        "Invalid geometries are repaired with ST_MakeValid or rejected with the feature named."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--level", required=True, choices=[*Level.values, JURISDICTION])
        parser.add_argument("--code-field", required=True, help="Field holding the official code")
        parser.add_argument("--name-field", required=True, help="Field holding the name")
        parser.add_argument("--parent-field", help="Field holding the parent unit's code")
        parser.add_argument(
            "--parent-code", help="Code of the parent unit of every feature (instead of --parent-field)"
        )
        parser.add_argument("--code-width", type=int, default=0, help="Zero-pad numeric codes to this width")
        parser.add_argument("--parent-code-width", type=int, default=0, help="Zero-pad numeric parent codes")
        parser.add_argument("--layer", help="Layer name when the file holds several")
        parser.add_argument("--exclude-code", action="append", default=[], help="Skip features with this code")
        parser.add_argument(
            "--dissolve",
            nargs=2,
            metavar=("CODE", "NAME"),
            help="Merge every feature into one unit with this code and name",
        )
        parser.add_argument("--source", default="", help="Where the boundaries come from (kept with each unit)")
        parser.add_argument("--demo", action="store_true", help="Mark the units as demo data")

    def handle(self, *args, **options):
        parent_width = options["parent_code_width"]
        mapping = FieldMapping(
            code_field=options["code_field"],
            name_field=options["name_field"],
            parent_code_field=options["parent_field"],
            code_width=options["code_width"],
            parent_code_of=(lambda code: code.zfill(parent_width) if code.isdigit() else code)
            if parent_width
            else None,
        )
        try:
            report = boundaries_import(
                path=options["path"],
                level=options["level"],
                mapping=mapping,
                layer_name=options["layer"],
                parent_code=options["parent_code"],
                exclude_codes=frozenset(options["exclude_code"]),
                dissolve_as=tuple(options["dissolve"]) if options["dissolve"] else None,
                source=options["source"],
                is_demo=options["demo"],
            )
        except BoundaryImportError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
