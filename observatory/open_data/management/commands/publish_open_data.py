from django.core.management.base import BaseCommand, CommandError

from observatory.indicators.selectors import latest_vintage
from observatory.open_data.services import open_data_release_now


class Command(BaseCommand):
    help = (
        "Build the open data of the latest publication (or of --vintage) here and now: public ids for new victims, "
        "the victim-level rows and the bulk files. Safe to run again: ids are kept, rows and files are rebuilt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vintage", type=int, help="A vintage id (default: the latest published one).")

    def handle(self, *args, vintage: int | None = None, **options):
        if vintage is None:
            latest = latest_vintage()
            if latest is None:
                raise CommandError("No vintage has been published yet: compute the indicators first.")
            vintage = latest.pk
        release = open_data_release_now(vintage_id=vintage)
        files = release.files.count()
        self.stdout.write(
            f"open data release #{release.pk} (vintage {vintage}): {release.status}, {release.victims} victim rows, "
            f"{files} files"
        )
