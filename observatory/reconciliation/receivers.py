from django.dispatch import receiver

from observatory.records.signals import records_changed

from .models import LinkageRun
from .services import linkage_run_create


@receiver(records_changed, dispatch_uid="reconciliation_after_import")
def link_new_records(sender, run_id: int, **kwargs) -> None:
    """After every import, link what it created or changed (an incremental run, queued on commit)."""
    linkage_run_create(
        kind=LinkageRun.Kind.INCREMENTAL, reason_code=LinkageRun.Reason.IMPORT_RUN, reason_params={"run": run_id}
    )
