"""A run's report: every issue as CSV (row, column, value, reason), and a one-paragraph summary."""
import csv
from collections.abc import Iterator
from typing import TextIO

from django.utils.translation import gettext as _

from .models import ImportRun
from .selectors import run_file_note_list, run_issue_list

REPORT_HEADER = ["row", "column", "value", "reason", "severity", "record_id"]


def run_report_rows(*, run: ImportRun) -> Iterator[tuple]:
    """The report's header, then one row per issue, read from the database in batches."""
    yield tuple(REPORT_HEADER)
    issues = run_issue_list(run=run).values_list("row_number", "column", "value", "reason", "severity", "record_id")
    yield from issues.iterator(chunk_size=5000)


def run_issues_csv_write(*, run: ImportRun, out: TextIO) -> None:
    csv.writer(out).writerows(run_report_rows(run=run))


def run_summary_text(*, run: ImportRun) -> str:
    lines = [
        _("Import run #%(run)d: %(file)s (%(source)s)") % {"run": run.pk, "file": run.original_filename,
                                                          "source": run.source_id},
        _("Status: %(status)s") % {"status": run.get_status_display()},
    ]
    if run.message:
        lines.append(run.message)
    lines += [note for note in run_file_note_list(run=run).values_list("reason", flat=True) if note != run.message]
    lines.append(run.summary())
    return "\n".join(lines) + "\n"
