from django.dispatch import receiver

from observatory.records.signals import records_changed

from .services import data_version_request


@receiver(records_changed, dispatch_uid="compstat_after_import")
def rebuild_after_import(sender, run_id: int, **kwargs) -> None:
    """The incident copy follows every import: a build is queued for after the commit."""
    data_version_request()
