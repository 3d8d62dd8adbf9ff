"""Sending a Celery task by its name once the current transaction commits (at once outside one).

By name, so that a service queueing a task need not import the module that defines it, whose tasks call that
service: each app names its tasks in its `queueing` module, which its services and its tasks both import. A worker
finds the task under that name, and the routes (CELERY_TASK_ROUTES) go by name too; tests/test_queueing.py checks
that every name is a task's."""

from celery import current_app
from django.db import transaction


def task_enqueue(*, name: str, args: tuple = (), kwargs: dict | None = None) -> None:
    transaction.on_commit(lambda: current_app.signature(name, args=args, kwargs=kwargs or {}).delay())
