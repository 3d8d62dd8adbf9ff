"""Sending a Celery task by its name once the current transaction commits (at once outside one).

By name, so that a service queueing a task need not import the module that defines it, whose tasks call that
service: each app names its tasks in its `queueing` module, which its services and its tasks both import. A worker
finds the task under that name, and the routes (CELERY_TASK_ROUTES) go by name too; tests/test_queueing.py checks
that every name is a task's.

The broker may be down when the transaction commits (Redis restarting): what was committed stands, the job's row
says it is queued, and the task is sent again by the sweeper of jobs that never started
(ingestion.stalled_import_runs_requeue for import runs). The request that asked for it is not failed for that, and
does not wait for a result store it never reads (ignore_result)."""

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


def task_enqueue(*, name: str, args: tuple = (), kwargs: dict | None = None) -> None:
    transaction.on_commit(lambda: _send(name=name, args=args, kwargs=kwargs or {}))


def _send(*, name: str, args: tuple, kwargs: dict) -> None:
    try:
        current_app.signature(name, args=args, kwargs=kwargs, ignore_result=True).delay()
    except BrokerUnreachable:
        logger.exception("task %s%r not sent: the broker cannot be reached; its job is sent again later", name, args)
