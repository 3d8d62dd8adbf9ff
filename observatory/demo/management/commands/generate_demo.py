from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatory.demo.generator import (
    DEFAULT_SEED,
    DEFAULT_START_YEAR,
    DEFAULT_VICTIMS_PER_YEAR,
    DEFAULT_YEARS,
    NOISE_LEVELS,
    POLICE,
    demo_files_write,
    write_police_file,
)
from observatory.errors import ApplicationError


def positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ArgumentTypeError(f"{text} is not a positive number")
    return number


class Command(BaseCommand):
    help = (
        "Write demo exports of the three sources for the demo city (police.csv, coroner.csv, hospital.csv) and "
        "ground_truth.csv, which says which records are the same person. Deterministic: the same seed and "
        "arguments give the same bytes. Needs the demo geography (manage.py load_demo). With --police-only, "
        "writes only a police file of --police-rows rows, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="Folder to write into (created if missing)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--start-year", type=int, default=DEFAULT_START_YEAR)
        parser.add_argument("--years", type=positive_int, default=DEFAULT_YEARS)
        parser.add_argument("--victims-per-year", type=positive_int, default=DEFAULT_VICTIMS_PER_YEAR)
        parser.add_argument(
            "--noise",
            choices=list(NOISE_LEVELS),
            default="default",
            help="hard: more typos, ids missing even at the coroner, more unidentified bodies",
        )
        parser.add_argument("--police-only", action="store_true", help="Write only a large police file")
        parser.add_argument("--police-rows", type=positive_int, help="Victim rows of the --police-only file")

    def handle(self, *args, **options):
        out_dir, noise = options["out"], NOISE_LEVELS[options["noise"]]
        try:
            if options["police_only"]:
                if options["police_rows"] is None:
                    raise CommandError("--police-only needs --police-rows.")
                out_dir.mkdir(parents=True, exist_ok=True)
                rows = write_police_file(
                    path=out_dir / POLICE.file_name,
                    rows=options["police_rows"],
                    seed=options["seed"],
                    start_year=options["start_year"],
                    years=options["years"],
                    noise=noise,
                )
                lines = [f"{POLICE.file_name}: {rows} rows"]
            else:
                lines = demo_files_write(
                    out_dir=out_dir,
                    seed=options["seed"],
                    start_year=options["start_year"],
                    years=options["years"],
                    victims_per_year=options["victims_per_year"],
                    noise=noise,
                )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in lines:
            self.stdout.write(line)
