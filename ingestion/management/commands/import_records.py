import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils.translation import gettext as _

from ingestion.models import ImportRun, RowIssue, Source
from ingestion.selectors import run_file_note_list, run_issue_list
from ingestion.services import import_run_create, import_run_process
from observatory.errors import ApplicationError


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
            raise CommandError(_("Unknown source '%(source)s' (known: %(known)s).") % {"source": source,
                                                                                       "known": known})
        if path.is_dir():
            raise CommandError(_("%(path)s: this is a folder, not a file.") % {"path": path})
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            with path.open("rb") as stream:
                run = import_run_create(source=source_row, stream=stream, filename=path.name,
                                        channel=ImportRun.Channel.COMMAND, submitted_from=str(path.resolve()),
                                        enqueue=False)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        run = import_run_process(run_id=run.pk)
        self.stdout.write(_("import run #%(run)d: %(status)s") % {"run": run.pk, "status": run.get_status_display()})
        if run.read_as:
            self.stdout.write(_("read with version %(version)d of the %(source)s profile, as %(read_as)s") % {
                "version": run.profile.version, "source": run.source_id, "read_as": run.read_as})
        if run.message:
            self.stdout.write(run.message)
        for note in run_file_note_list(run=run).values_list("reason", flat=True):
            if note != run.message:
                self.stdout.write(note)
        issues = dict(run_issue_list(run=run).values_list("severity").annotate(count=Count("id")))
        if issues.get(RowIssue.Severity.REJECTED):
            self.stdout.write(_("%(count)d issue(s) on rejected rows; the report lists them with row, column and "
                                "value") % {"count": issues[RowIssue.Severity.REJECTED]})
        if issues.get(RowIssue.Severity.UNMAPPED):
            self.stdout.write(_("%(count)d value(s) no vocabulary of the profile maps: their rows are kept as "
                                "unmapped, listed on the \"Unmapped values\" page") % {
                                    "count": issues[RowIssue.Severity.UNMAPPED]})
        if issues.get(RowIssue.Severity.WARNING):
            self.stdout.write(_("%(count)d warning(s) on kept rows, in the report") % {
                "count": issues[RowIssue.Severity.WARNING]})
        superseded = run.rows_read - run.rows_created - run.rows_updated - run.rows_unchanged - run.rows_rejected
        if run.status == ImportRun.Status.DONE and superseded > 0:
            self.stdout.write(_("%(count)d row(s) replaced by a later row with the same record id (warnings in the "
                                "report)") % {"count": superseded})
        self.stdout.write(run.summary())
        if run.status == ImportRun.Status.FAILED:
            sys.exit(1)
