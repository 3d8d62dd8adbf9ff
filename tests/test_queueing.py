"""Services queue their tasks by name (observatory/queueing.py): each name must be the name of a task a worker runs,
and go to the queue the task's routes say."""

import pytest

from ingestion import queueing as ingestion_queueing
from observatory.celery import app
from observatory.compstat import queueing as compstat_queueing
from observatory.indicators import queueing as indicators_queueing
from observatory.reconciliation import queueing as reconciliation_queueing

QUEUED_BY_NAME = [
    (module.__name__, value)
    for module in (ingestion_queueing, indicators_queueing, reconciliation_queueing, compstat_queueing)
    for name, value in vars(module).items()
    if name.isupper()
]


@pytest.mark.parametrize(("module", "task"), QUEUED_BY_NAME)
def test_every_task_queued_by_name_is_one_a_worker_runs(module, task):
    app.loader.import_default_modules()  # what a worker does when it starts: every app's tasks module
    assert task in app.tasks, f"{module} names {task}, which no tasks module defines"


def test_the_import_tasks_queued_by_name_go_to_the_ingestion_queue():
    route = app.amqp.router.route({}, ingestion_queueing.IMPORT_RUN_PROCESS)
    assert route["queue"].name == "ingestion"
