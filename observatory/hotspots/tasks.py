"""Thin Celery tasks: each takes an id, calls a service, and is safe to run twice."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from observatory.queueing import task_enqueue

from . import services
from .kernels import esda_kernels_warm
from .queueing import HOTSPOT_ANALYSIS_COMPUTE, HOTSPOT_KERNELS_WARM


@shared_task(
    name=HOTSPOT_ANALYSIS_COMPUTE,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def analysis_compute(analysis_id: int) -> str:
    return services.hotspot_analysis_execute(analysis_id=analysis_id).status


@shared_task(name=HOTSPOT_KERNELS_WARM, ignore_result=True)
def kernels_warm() -> None:
    esda_kernels_warm()


@worker_ready.connect(dispatch_uid="hotspots_kernels_warm_when_a_worker_starts")
def kernels_warm_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A worker that starts compiles (or loads) esda's kernels before a commander's analysis needs them."""
    if settings.HOTSPOTS_WARM_KERNELS_AT_START:
        task_enqueue(name=HOTSPOT_KERNELS_WARM)
