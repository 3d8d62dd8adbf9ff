"""The life of a queued job row (a linkage run, an indicator vintage): one at a time under a PostgreSQL advisory
lock, queued -> running -> done or failed with its error, and safe to run again after a killed worker, up to
JOB_MAX_INTERRUPTIONS times (a job that takes its worker down each time, out of memory, is not redelivered for ever)."""

import logging
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class JobTiming:
    """For a job model with `kind`, `started_at` and `finished_at`: its name and how long it ran."""

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


@contextmanager
def advisory_lock(key: int):
    """Wait for the session-level lock `key`, and release it whatever happens."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def job_execute(*, model: type[models.Model], job_id: int, lock: int, work: Callable[[models.Model], None]):
    """Run `work` on a queued job to its end. A job already done is returned as it is; a failure is recorded on
    the row (status, error, finish time) and raised again. `work` saves whatever it changes on the job."""
    with advisory_lock(lock):
        job = model.objects.get(pk=job_id)
        if job.status == model.Status.DONE:
            return job
        if job.status == model.Status.RUNNING:  # an earlier attempt's worker died before the job ended
            job.interruptions += 1
            if job.interruptions >= settings.JOB_MAX_INTERRUPTIONS:
                model.objects.filter(pk=job.pk).update(
                    status=model.Status.FAILED,
                    interruptions=job.interruptions,
                    finished_at=timezone.now(),
                    error=_(
                        "The worker running this job stopped %(times)d times before it ended (killed, or out of "
                        "memory); it is not started again. Tell the observatory's administrator."
                    )
                    % {"times": job.interruptions},
                )
                return model.objects.get(pk=job.pk)
        job.status, job.started_at, job.error = model.Status.RUNNING, timezone.now(), ""
        job.save(update_fields=["status", "started_at", "error", "interruptions"])
        try:
            work(job)
        except Exception as error:
            logger.exception("%s %s failed", model._meta.verbose_name, job.pk)
            model.objects.filter(pk=job.pk).update(
                status=model.Status.FAILED, error=_failure(error)[:2000], finished_at=timezone.now()
            )
            raise
        job.status, job.finished_at, job.progress = model.Status.DONE, timezone.now(), _("Done")
        job.save()
        return job


def _failure(error: Exception) -> str:
    """What the job's row says about why it failed; a MemoryError has no message of its own."""
    if isinstance(error, MemoryError):
        return _("Out of memory: the worker could not hold what this job needed. Tell the observatory's administrator.")
    return str(error) or type(error).__name__
