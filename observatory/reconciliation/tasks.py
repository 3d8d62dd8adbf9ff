"""Thin Celery tasks: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task

from observatory.database.connection_loss import CONNECTION_LOST_ERRORS

from . import services
from .models import LinkageRun
from .queueing import LINKAGE_RUN_EXECUTE


@shared_task(
    name=LINKAGE_RUN_EXECUTE,
    acks_late=True,
    autoretry_for=(ConnectionError, *CONNECTION_LOST_ERRORS),
    retry_backoff=True,
    max_retries=5,
)
def linkage_run_execute(run_id: int) -> str:
    return services.linkage_run_execute(run_id=run_id).status


@shared_task(name="reconciliation.full_linkage_run_execute")
def full_linkage_run_execute() -> int:
    """The scheduled full re-run (beat): re-estimates the model and re-scores every pair."""
    run = LinkageRun.objects.create(kind=LinkageRun.Kind.FULL, reason_code=LinkageRun.Reason.SCHEDULE)
    return services.linkage_run_execute(run_id=run.pk).pk
