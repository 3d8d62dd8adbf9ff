"""Thin Celery tasks: each takes an id, calls a service, and is safe to run twice."""

from celery import shared_task

from . import reports, services
from .queueing import DATA_VERSION_BUILD, WEEKLY_REPORT_RENDER


@shared_task(
    name=DATA_VERSION_BUILD, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def data_version_build(version_id: int) -> str:
    return services.data_version_build(version_id=version_id).status


@shared_task(
    name=WEEKLY_REPORT_RENDER,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
    time_limit=600,
    soft_time_limit=540,
)
def weekly_report_render(report_id: int) -> str:
    return reports.weekly_report_render(report_id=report_id).status
