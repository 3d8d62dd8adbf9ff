"""Thin Celery tasks: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task

from .models import LinkageRun
from .queueing import RUN_LINKAGE
from .services import linkage_run_execute


@shared_task(
    name=RUN_LINKAGE,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def linkage_run_task(run_id: int) -> str:
    return linkage_run_execute(run_id=run_id).status


@shared_task(name="reconciliation.full_run")
def full_linkage_run() -> int:
    """The scheduled full re-run (beat): re-estimates the model and re-scores every pair."""
    run = LinkageRun.objects.create(kind=LinkageRun.Kind.FULL, reason="schedule")
    return linkage_run_execute(run_id=run.pk).pk
