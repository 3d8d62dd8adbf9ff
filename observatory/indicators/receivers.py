from django.dispatch import receiver

from observatory.queueing import task_enqueue
from observatory.reconciliation.signals import victims_changed
from observatory.records.signals import records_changed

from .models import Vintage
from .queueing import DAILY_ALERTS_COMPUTE, PUBLIC_FIGURES_WARM
from .services import vintage_create
from .signals import vintage_published


@receiver(records_changed, dispatch_uid="indicators_after_import")
def recompute_after_import(sender, run_id: int, **kwargs) -> None:
    """The source bases change with every import: recompute the months it touched, after the commit."""
    vintage_create(kind=Vintage.Kind.INCREMENTAL, reason_code=Vintage.Reason.IMPORT_RUN, reason_params={"run": run_id})
    task_enqueue(name=DAILY_ALERTS_COMPUTE)


@receiver(victims_changed, dispatch_uid="indicators_after_linkage")
def recompute_after_linkage(sender, run_id: int, **kwargs) -> None:
    """The reconciled basis changes with every linkage run or review decision."""
    vintage_create(kind=Vintage.Kind.INCREMENTAL, reason_code=Vintage.Reason.LINKAGE_RUN, reason_params={"run": run_id})


@receiver(vintage_published, dispatch_uid="indicators_public_figures_after_publication")
def warm_public_figures_after_publication(sender, vintage_id: int, **kwargs) -> None:
    """The map and the rates the portal's first readers ask for, in the cache before they ask."""
    task_enqueue(name=PUBLIC_FIGURES_WARM, args=(vintage_id,))
