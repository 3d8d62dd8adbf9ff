from django.core.management.base import BaseCommand, CommandError

from observatory.accounts.models import AuditEvent
from observatory.database.app_role import app_role_grant


class Command(BaseCommand):
    help = (
        "Give the PostgreSQL role the application runs as (neither owner nor superuser) the data privileges it needs "
        "on every table, and on the audit log only SELECT and INSERT. Run as the owner after each migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's PostgreSQL role, e.g. observatory_app")

    def handle(self, *args, role: str, **options):
        try:
            app_role_grant(role=role, append_only_tables=[AuditEvent._meta.db_table])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{role}: data privileges granted; the audit log only read and appended to.")
