from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatory.backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format), the raw files and the open data files into a new directory, "
        "with a manifest of SHA-256 checksums and of every table's row count. Restore with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a directory that does not exist yet")

    def handle(self, *args, destination: Path, **options):
        try:
            manifest = backup_create(destination=destination)
        except BackupError as error:
            raise CommandError(error.message) from error
        rows = sum(manifest["database"]["row_counts"].values())
        self.stdout.write(
            f"{destination}: database {manifest['database']['name']} ({rows} rows), {len(manifest['files'])} files"
        )
