from django.core.management.base import BaseCommand

from observatory.compstat.models import DataVersion
from observatory.compstat.services import data_version_build


class Command(BaseCommand):
    help = (
        "Build a CompStat data version now, in this process: copy the police records changed since the last build, "
        "estimate the jurisdictions' populations and store the default tables. Safe to run again."
    )

    def handle(self, *args, **options):
        version = data_version_build(version_id=DataVersion.objects.create().pk)
        self.stdout.write(
            f"CompStat data version #{version.pk}: {version.status}, {version.record_count} incidents, "
            f"cut-off {version.cutoff}"
        )
