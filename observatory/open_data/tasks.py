"""Thin Celery tasks: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    name="open_data.release_build",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def open_data_release_build(release_id: int) -> str:
    return services.open_data_release_execute(release_id=release_id).status
