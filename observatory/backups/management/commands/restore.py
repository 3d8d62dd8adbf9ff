from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from observatory.backups.restoring import backup_restore
from observatory.backups.services import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: every checksum is checked first; the database is restored "
        "into --database (created if missing), the files into INGEST_RAW_ROOT and OPEN_DATA_ROOT. A database with "
        "tables, or a directory with files, is replaced only with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the directory `manage.py backup` wrote")
        parser.add_argument(
            "--database",
            default=connection.settings_dict["NAME"],
            help="the database to restore into (default: the configured one, from DATABASE_URL)",
        )
        parser.add_argument("--force", action="store_true", help="replace a database or directories that hold data")

    def handle(self, *args, backup: Path, database: str, force: bool, **options):
        try:
            restored = backup_restore(backup=backup, database=database, force=force)
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{database}: {restored['tables']} tables, {restored['rows']} rows; {restored['files']} files restored"
        )
