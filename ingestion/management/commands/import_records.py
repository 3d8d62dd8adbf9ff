import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ingestion.models import ImportRun
from ingestion.reports import run_outcome_lines
from ingestion.services import import_run_create, import_run_process
from observatory.errors import ApplicationError
from observatory.records.models import Source


class Command(BaseCommand):
    help = (
        "Import one source file through the same pipeline as the upload page, the API and the drop folders, and "
        "wait for it. Exits 0 when the file was processed (even with rejected rows), 1 when the whole file was "
        "refused. The last line is: read=N created=N updated=N unchanged=N rejected=N"
    )
    # Scripts send files often and unattended: the project's system checks (URLs, admin, templates: half a second)
    # belong to `manage.py check` and the test command, not to every file sent.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", required=True, help="Source code: police, coroner, hospital, ...")

    def handle(self, *args, path: Path, source: str, **options):
        source_row = Source.objects.filter(pk=source).first()
        if source_row is None:
            known = ", ".join(Source.objects.values_list("code", flat=True))
            raise CommandError(
                _("Unknown source '%(source)s' (known: %(known)s).") % {"source": source, "known": known}
            )
        if path.is_dir():
            raise CommandError(_("%(path)s: this is a folder, not a file.") % {"path": path})
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            with path.open("rb") as stream:
                run = import_run_create(
                    source=source_row,
                    stream=stream,
                    filename=path.name,
                    channel=ImportRun.Channel.COMMAND,
                    submitted_from=str(path.resolve()),
                    enqueue=False,
                )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        run = import_run_process(run_id=run.pk)
        self.stdout.write(_("import run #%(run)d: %(status)s") % {"run": run.pk, "status": run.get_status_display()})
        for line in run_outcome_lines(run=run):
            self.stdout.write(line)
        if run.status == ImportRun.Status.FAILED:
            sys.exit(1)
