"""Computing the indicators as a new vintage: the only code that writes published figures."""

import time

from django.db import transaction

from observatory.accounts.models import User
from observatory.jobs.locks import VINTAGE_LOCK, advisory_xact_lock
from observatory.jobs.services import job_execute
from observatory.queueing import task_enqueue

from .models import Vintage
from .queueing import UNDERCOUNT_ESTIMATE, VINTAGE_COMPUTE
from .signals import vintage_published


def vintage_create(
    *, kind: str, reason_code: str = "", reason_params: dict | None = None, requested_by: User | None = None
) -> Vintage:
    """Queue a computation for after the current transaction commits. A queued incremental computation that has
    not started yet already covers whatever changed before it starts, so a second one is not queued."""
    if kind == Vintage.Kind.INCREMENTAL:
        waiting = Vintage.objects.filter(status=Vintage.Status.QUEUED, kind=kind).first()
        if waiting is not None:
            return waiting
    vintage = Vintage.objects.create(
        kind=kind, reason_code=reason_code, reason_params=reason_params or {}, requested_by=requested_by
    )
    task_enqueue(name=VINTAGE_COMPUTE, args=(vintage.pk,))
    return vintage


def vintage_now(*, kind: str, reason_code: str = "", requested_by: User | None = None) -> Vintage:
    """Create a computation and run it in this process, undercount estimates included (the command, tests)."""
    vintage = Vintage.objects.create(kind=kind, reason_code=reason_code, requested_by=requested_by)
    vintage = vintage_execute(vintage_id=vintage.pk, queue_undercount=False)
    undercount_estimate(vintage_id=vintage.pk)
    vintage.refresh_from_db()
    return vintage


def undercount_estimate(*, vintage_id: int) -> int:
    """Multiple systems estimates for the strata whose overlap counts a vintage changed. Returns how many."""
    from .undercount_strata import undercount_update  # statsmodels and scipy: loaded only to estimate

    started = time.perf_counter()
    with transaction.atomic():
        advisory_xact_lock(VINTAGE_LOCK)
        strata = undercount_update(vintage=Vintage.objects.get(pk=vintage_id))
        Vintage.objects.filter(pk=vintage_id).update(
            undercount_strata=strata, undercount_seconds=time.perf_counter() - started
        )
    return strata


def vintage_execute(*, vintage_id: int, queue_undercount: bool = True) -> Vintage:
    """Run a queued computation to its end; safe to call again for one a killed worker left behind. The
    undercount estimates follow as their own task (their model fits take longer than the figures)."""
    # Loaded before the clock starts (pandas, scipy): a worker has them loaded already.
    from .computation import vintage_compute

    def compute(vintage: Vintage) -> None:
        vintage_compute(vintage)
        if queue_undercount:
            task_enqueue(name=UNDERCOUNT_ESTIMATE, args=(vintage.pk,))

    vintage = job_execute(model=Vintage, job_id=vintage_id, lock=VINTAGE_LOCK, work=compute)
    if vintage.status == Vintage.Status.DONE:
        vintage_published.send(sender=Vintage, vintage_id=vintage.pk)
    return vintage
