import sys

from django.core.management.base import BaseCommand

from observatory.reconciliation.models import LinkageRun
from observatory.reconciliation.services import linkage_run_now


class Command(BaseCommand):
    help = (
        "Link the source records into victims and wait for it. By default an incremental run: only records new "
        "or changed since the last run are scored against the rest. --full re-estimates the model and scores "
        "every pair again; unchanged data keep their victims and ids."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Re-estimate the model and re-score every pair.")

    def handle(self, *args, full: bool, **options):
        kind = LinkageRun.Kind.FULL if full else LinkageRun.Kind.INCREMENTAL
        run = linkage_run_now(kind=kind, reason_code=LinkageRun.Reason.COMMAND)
        self.stdout.write(
            f"linkage run #{run.pk} ({run.get_kind_display()}): {run.get_status_display()} "
            f"in {run.seconds:.2f} s; model {'estimated from the data' if run.model_trained else 'priors'}"
        )
        if run.status != LinkageRun.Status.DONE:
            self.stderr.write(run.error)
            sys.exit(1)
        if run.notes:  # before the counts: scripts read those on the last line
            self.stdout.write(run.notes)
        self.stdout.write(
            f"records={run.records_considered} pairs={run.pairs_scored} review={run.review_pairs} "
            f"victims_created={run.victims_created} victims_changed={run.victims_changed} "
            f"victims_retired={run.victims_retired}"
        )
