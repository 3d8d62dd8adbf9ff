"""Thin Celery tasks: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from observatory.database.connection_loss import CONNECTION_LOST_ERRORS
from observatory.queueing import task_enqueue
from observatory.records.models import Source

from . import drop_folder, services
from .models import ImportRun
from .queueing import IMPORT_RUN_PROCESS, SOURCE_RENORMALISE

BUSY_RETRY_SECONDS = 15


@shared_task(
    name=IMPORT_RUN_PROCESS,
    bind=True,
    max_retries=40,
    acks_late=True,
    autoretry_for=CONNECTION_LOST_ERRORS,
    retry_backoff=True,
)
def import_run_process(self, run_id: int) -> str:
    try:
        run = services.import_run_process(run_id=run_id)
    except services.RunBusy as busy:
        # The run's lock is held: by a live worker, or by the session of a killed one until the database ends it.
        raise self.retry(exc=busy, countdown=BUSY_RETRY_SECONDS) from busy
    return run.status


@shared_task(name=SOURCE_RENORMALISE, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def source_renormalise(source_code: str, only_unmapped: bool = True) -> int | None:
    run = services.source_renormalise(source=Source.objects.get(pk=source_code), only_unmapped=only_unmapped)
    return run.pk if run else None


@shared_task(name="ingestion.drop_folders_poll")
def drop_folders_poll() -> int:
    return len(drop_folder.drop_folders_poll())


@shared_task(name="ingestion.stalled_import_runs_requeue")
def stalled_import_runs_requeue() -> int:
    """Runs queued or running with no sign of life for a while (their worker died) are queued again."""
    stalled_before = timezone.now() - timezone.timedelta(seconds=settings.INGEST_STALLED_AFTER_SECONDS)
    stalled = ImportRun.objects.filter(status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]).filter(
        Q(heartbeat_at__lt=stalled_before) | Q(heartbeat_at__isnull=True, queued_at__lt=stalled_before)
    )
    run_ids = list(stalled.values_list("pk", flat=True))
    for run_id in run_ids:
        task_enqueue(name=IMPORT_RUN_PROCESS, args=(run_id,))
    return len(run_ids)
