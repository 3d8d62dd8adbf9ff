import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from observatory.indicators.reference import EL_SALVADOR_HOMICIDES, reference_series_check


class Command(BaseCommand):
    help = (
        "Check the rate arithmetic and the population check against a published series (CSV "
        "`year,homicides,rate_per_100000`; default: El Salvador's homicides 1995-2012, UNODC/PNC). Each year's "
        "population is implied from its published rate; the observatory must reproduce the rate to one "
        "decimal, and flag implied populations that do not fit the neighbouring years. Exits 1 if a rate is "
        "not reproduced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, default=EL_SALVADOR_HOMICIDES)

    def handle(self, *args, file: Path, **options):
        years = reference_series_check(path=file)
        self.stdout.write("year,count,published_rate,implied_population,reproduced_rate,reproduced,population_check")
        for year in years:
            self.stdout.write(
                f"{year.year},{year.count},{year.published_rate:.1f},{year.implied_population},"
                f"{year.reproduced_rate:.1f},{'yes' if year.reproduced else 'NO'},"
                f"{year.population_flag or 'ok'}"
            )
        failed = [year.year for year in years if not year.reproduced]
        flagged = [year.year for year in years if year.population_flag]
        self.stdout.write(
            f"reproduced={len(years) - len(failed)}/{len(years)} population_flags="
            f"{','.join(map(str, flagged)) or 'none'}"
        )
        if failed:
            sys.exit(1)
