"""The life of a job row (models.Job): started again after a killed worker but not for ever, its progress written
where the pages see it at once, its failure recorded on the row.

Linkage runs and indicator vintages run one at a time under an advisory lock, through `job_execute`; import runs
have a lifecycle of their own (ingestion.services.import_run_process) built from the same steps."""

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from observatory.database.connection_loss import connection_lost

from .locks import advisory_lock
from .models import Job

logger = logging.getLogger(__name__)
_apart = threading.local()  # the connection progress is written on, within job_progress_connection


def job_execute(*, model: type[Job], job_id: int, lock: int, work: Callable[[Job], None]) -> Job:
    """Run `work` on a queued job to its end, under the advisory lock `lock`. A job already done is returned as it
    is; a failure is recorded on the row and raised again. `work` reports with job_progress, and whatever else it
    changes on the job is saved when it ends."""
    with advisory_lock(lock):
        job = model.objects.get(pk=job_id)
        if job.status == job.Status.DONE:
            return job
        if not job_attempt_start(job=job, max_attempts=settings.JOB_MAX_INTERRUPTIONS):
            job_fail(
                job=job,
                error=_(
                    "The worker running this job stopped %(times)d times before it ended (killed, or out of "
                    "memory); it is not started again. Tell the observatory's administrator."
                )
                % {"times": job.attempts},
            )
            return job
        try:
            with job_progress_connection():
                work(job)
        except Exception as error:
            logger.exception("%s %s failed", model._meta.verbose_name, job.pk)
            job_fail(job=job, error=_failure(error, lost=connection_lost(error))[:2000])
            raise
        job.status, job.finished_at = job.Status.DONE, timezone.now()
        if job.progress < 1:  # else the work ended saying what it came to ("Nothing changed since ...")
            job.progress, job.progress_note = 1.0, _("Done")
        job.save()
        return job


def job_attempt_start(*, job: Job, max_attempts: int, **fields) -> bool:
    """Start one more attempt at a job not finished: running, from no progress and no error, with `fields`. A job
    still running when taken up was left by a worker that died (killed, or out of memory); once `max_attempts`
    attempts ended so, nothing is started (False): the caller fails the job rather than let it take down another."""
    if job.status == job.Status.RUNNING and job.attempts >= max_attempts:
        return False
    _write(
        job,
        {
            "status": job.Status.RUNNING,
            "attempts": job.attempts + 1,
            "started_at": timezone.now(),
            "progress": 0.0,
            "progress_note": "",
            "error": "",
            **fields,
        },
    )
    return True


def job_progress(*, job: Job, fraction: float, note: str = "", **fields) -> None:
    """Say how far a job has got: the share of its work done (0 to 1), what it is doing, and `fields` with them (an
    import's rows read so far). Inside a transaction they are written on a connection of their own, so that the pages
    see them before it commits; that transaction must not have written the job's row (the write would wait for it)."""
    values = {"progress": min(max(fraction, 0.0), 1.0), "progress_note": note, **fields}
    if connection.in_atomic_block:
        _write_apart(job, values)
    else:
        _write(job, values)


def job_fail(*, job: Job, error: str, **fields) -> None:
    """Record on the job's row that it failed, why, and `fields`."""
    _write(job, {"status": job.Status.FAILED, "error": error, "finished_at": timezone.now(), **fields})


@contextmanager
def job_progress_connection():
    """Within the block, progress written apart from an open transaction goes through one connection, opened by the
    first report and closed at the end, rather than one connection per report (an import reports every chunk)."""
    if hasattr(_apart, "connection"):
        yield
        return
    _apart.connection = None
    try:
        yield
    finally:
        if _apart.connection is not None:
            _apart.connection.close()
        del _apart.connection


def _write(job: Job, values: dict) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    type(job).objects.filter(pk=job.pk).update(**values)


def _write_apart(job: Job, values: dict) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    scoped = hasattr(_apart, "connection")
    apart = (_apart.connection if scoped else None) or connections.create_connection(DEFAULT_DB_ALIAS)
    if scoped:
        _apart.connection = apart
    meta, quote = job._meta, apart.ops.quote_name
    fields = [meta.get_field(name) for name in values]
    try:
        with apart.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {', '.join(f'{quote(field.column)} = %s' for field in fields)} "
                f"WHERE {quote(meta.pk.column)} = %s",
                [*(field.get_db_prep_save(values[field.name], apart) for field in fields), job.pk],
            )
    finally:
        if not scoped:
            apart.close()


def _failure(error: Exception, *, lost: bool) -> str:
    """What the job's row says about why it failed; a MemoryError has no message of its own."""
    if lost:
        return _("The connection to the database was lost (its server restarted?); the job is tried again.")
    if isinstance(error, MemoryError):
        return _("Out of memory: the worker could not hold what this job needed. Tell the observatory's administrator.")
    return str(error) or type(error).__name__
