"""A run's report: every issue as CSV (row, column, value, reason), and a one-paragraph summary."""

from collections.abc import Iterator
from typing import BinaryIO

from django.db.models import Count
from django.utils.translation import gettext as _

from observatory.csv_stream import csv_blocks

from .models import ImportRun, RowIssue
from .selectors import run_file_note_list, run_issue_list

REPORT_HEADER = ["row", "column", "value", "reason", "severity", "record_id"]


def run_report_csv(*, run: ImportRun) -> Iterator[bytes]:
    """The report as CSV blocks: the header, then one row per issue, read from the database in batches."""
    issues = run_issue_list(run=run).values_list("row_number", "column", "value", "reason", "severity", "record_id")
    return csv_blocks(header=REPORT_HEADER, rows=issues.iterator(chunk_size=5000))


def run_issues_csv_write(*, run: ImportRun, out: BinaryIO) -> None:
    for block in run_report_csv(run=run):
        out.write(block)


def run_summary_text(*, run: ImportRun) -> str:
    lines = [
        _("Import run #%(run)d: %(file)s (%(source)s)")
        % {"run": run.pk, "file": run.original_filename, "source": run.source_id},
        _("Status: %(status)s") % {"status": run.get_status_display()},
        *run_outcome_lines(run=run),
    ]
    return "\n".join(lines) + "\n"


def run_outcome_lines(*, run: ImportRun) -> list[str]:
    """What became of a finished run's file, for people reading a drop folder's summary or a terminal: how it was
    read, the notes on the file, what the report holds, and last the counts."""
    lines = []
    if run.read_as:
        lines.append(
            _("read with version %(version)d of the %(source)s profile, as %(read_as)s")
            % {"version": run.profile.version, "source": run.source_id, "read_as": run.read_as}
        )
    said = run.error or run.progress_note  # why it failed, or what it came to (a file sent before)
    if said:
        lines.append(said)
    lines += [note for note in run_file_note_list(run=run).values_list("reason", flat=True) if note != said]
    issues = dict(run_issue_list(run=run).values_list("severity").annotate(count=Count("id")))
    if issues.get(RowIssue.Severity.REJECTED):
        lines.append(
            _("%(count)d issue(s) on rejected rows; the report lists them with row, column and value")
            % {"count": issues[RowIssue.Severity.REJECTED]}
        )
    if issues.get(RowIssue.Severity.UNMAPPED):
        lines.append(
            _(
                "%(count)d value(s) no vocabulary of the profile maps: their rows are kept as unmapped, listed "
                'on the "Unmapped values" page'
            )
            % {"count": issues[RowIssue.Severity.UNMAPPED]}
        )
    if issues.get(RowIssue.Severity.WARNING):
        lines.append(
            _("%(count)d warning(s) on kept rows, in the report") % {"count": issues[RowIssue.Severity.WARNING]}
        )
    superseded = run.rows_read - run.rows_created - run.rows_updated - run.rows_unchanged - run.rows_rejected
    if run.status == ImportRun.Status.DONE and superseded > 0:
        lines.append(
            _("%(count)d row(s) replaced by a later row with the same record id (warnings in the report)")
            % {"count": superseded}
        )
    lines.append(run.summary())
    return lines
