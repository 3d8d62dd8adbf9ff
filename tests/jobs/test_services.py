"""The steps every job goes through, on a real job row (an indicator vintage, the job with the fewest fields)."""

import pytest
from django.db import transaction

from observatory.indicators.models import Vintage
from observatory.jobs.services import job_attempt_start, job_fail, job_progress


def stored(vintage: Vintage) -> tuple:
    return Vintage.objects.values_list("status", "attempts", "progress", "progress_note", "error").get(pk=vintage.pk)


@pytest.mark.django_db
def test_a_job_left_running_by_a_dead_worker_is_started_again_until_its_attempts_run_out():
    vintage = Vintage.objects.create(kind=Vintage.Kind.FULL, status=Vintage.Status.RUNNING, attempts=2)

    assert job_attempt_start(job=vintage, max_attempts=3)
    assert stored(vintage) == (Vintage.Status.RUNNING, 3, 0.0, "", "")
    assert not job_attempt_start(job=vintage, max_attempts=3)
    assert stored(vintage)[1] == 3


@pytest.mark.django_db
def test_a_failed_job_asked_for_again_starts_whatever_its_attempts():
    vintage = Vintage.objects.create(kind=Vintage.Kind.FULL, status=Vintage.Status.RUNNING, attempts=3)
    job_fail(job=vintage, error="connection refused")
    assert stored(vintage) == (Vintage.Status.FAILED, 3, 0.0, "", "connection refused")

    assert job_attempt_start(job=vintage, max_attempts=3)
    assert stored(vintage) == (Vintage.Status.RUNNING, 4, 0.0, "", "")


@pytest.mark.django_db(transaction=True)
def test_progress_reported_inside_a_transaction_is_written_apart_from_it():
    """Seen by the pages while the job's transaction is open: a rollback of that transaction leaves it written."""
    vintage = Vintage.objects.create(kind=Vintage.Kind.FULL, status=Vintage.Status.RUNNING, attempts=1)

    with pytest.raises(RuntimeError), transaction.atomic():
        job_progress(job=vintage, fraction=1.5, note="Publishing")
        raise RuntimeError

    assert stored(vintage)[2:4] == (1.0, "Publishing")
    assert (vintage.progress, vintage.progress_note) == (1.0, "Publishing")
