"""Thin Celery tasks: each takes an id, calls a service, and is safe to run twice."""

from celery import shared_task

from . import services
from .queueing import HOTSPOT_ANALYSIS_COMPUTE


@shared_task(
    name=HOTSPOT_ANALYSIS_COMPUTE,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def analysis_compute(analysis_id: int) -> str:
    return services.hotspot_analysis_execute(analysis_id=analysis_id).status
