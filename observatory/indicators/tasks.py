"""Thin Celery tasks: each takes ids, calls a service, and is safe to run twice."""

from celery import shared_task

from observatory.database.connection_loss import CONNECTION_LOST_ERRORS

from . import services
from .cache_warming import public_figures_warm
from .daily_alerts import daily_alerts_replace
from .models import Vintage
from .queueing import DAILY_ALERTS_COMPUTE, PUBLIC_FIGURES_WARM, UNDERCOUNT_ESTIMATE, VINTAGE_COMPUTE


@shared_task(
    name=VINTAGE_COMPUTE,
    acks_late=True,
    autoretry_for=(ConnectionError, *CONNECTION_LOST_ERRORS),
    retry_backoff=True,
    max_retries=5,
)
def vintage_compute(vintage_id: int) -> str:
    return services.vintage_execute(vintage_id=vintage_id).status


@shared_task(name="indicators.full_vintage_compute")
def full_vintage_compute() -> int:
    """The scheduled full recomputation (beat): every month, with the populations as they are now."""
    vintage = Vintage.objects.create(kind=Vintage.Kind.FULL, reason_code=Vintage.Reason.SCHEDULE)
    return services.vintage_execute(vintage_id=vintage.pk).pk


@shared_task(
    name=UNDERCOUNT_ESTIMATE,
    acks_late=True,
    autoretry_for=(ConnectionError, *CONNECTION_LOST_ERRORS),
    retry_backoff=True,
    max_retries=5,
)
def undercount_estimate(vintage_id: int) -> int:
    return services.undercount_estimate(vintage_id=vintage_id)


@shared_task(name=DAILY_ALERTS_COMPUTE, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def daily_alerts_compute() -> int:
    """The daily alerts of the police data as they are now (safe to run twice: it replaces the window's)."""
    return daily_alerts_replace()


@shared_task(name=PUBLIC_FIGURES_WARM, acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def public_figures_warm_task(vintage_id: int) -> dict:
    return public_figures_warm(vintage_id=vintage_id)
