import sys

from django.core.management.base import BaseCommand

from observatory.indicators.models import Alert, Vintage
from observatory.indicators.services import vintage_now


class Command(BaseCommand):
    help = (
        "Compute the indicators as a new vintage and wait for it. By default incremental: only the months that "
        "records or victims changed since the last vintage touched. --full recomputes every month (as the "
        "nightly schedule does), with the populations as they are now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Recompute every month.")

    def handle(self, *args, full: bool, **options):
        kind = Vintage.Kind.FULL if full else Vintage.Kind.INCREMENTAL
        try:
            vintage = vintage_now(kind=kind, reason_code=Vintage.Reason.COMMAND)
        except Exception as error:  # the vintage is marked failed with the error; say it plainly and exit non-zero
            self.stderr.write(f"indicator computation failed: {error}")
            sys.exit(1)
        months = f"{vintage.first_month:%Y-%m} to {vintage.last_month:%Y-%m}" if vintage.first_month else "no months"
        self.stdout.write(
            f"vintage #{vintage.pk} ({vintage.get_kind_display()}): {vintage.progress_note} in "
            f"{vintage.seconds:.2f} s; {months}"
        )
        self.stdout.write(
            f"series_added={vintage.rows_added} series_replaced={vintage.rows_retired} "
            f"alerts={Alert.objects.count()} undercount_strata={vintage.undercount_strata} "
            f"undercount_seconds={vintage.undercount_seconds or 0:.2f}"
        )
