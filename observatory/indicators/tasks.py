"""Thin Celery tasks: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task

from .models import Vintage
from .queueing import COMPUTE, UNDERCOUNT
from .services import undercount_estimate, vintage_execute


@shared_task(name=COMPUTE, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def vintage_compute_task(vintage_id: int) -> str:
    return vintage_execute(vintage_id=vintage_id).status


@shared_task(name="indicators.full_compute")
def full_compute() -> int:
    """The scheduled full recomputation (beat): every month, with the populations as they are now."""
    vintage = Vintage.objects.create(kind=Vintage.Kind.FULL, reason="schedule")
    return vintage_execute(vintage_id=vintage.pk).pk


@shared_task(name=UNDERCOUNT, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def undercount_task(vintage_id: int) -> int:
    return undercount_estimate(vintage_id=vintage_id)
