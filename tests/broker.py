"""The test broker's queue (Redis database 15), read directly: which tasks a service queued, for the tests of
services whose work is done by a worker no test runs."""

import json

import redis
from django.conf import settings


def queued_task_names() -> list[str]:
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [
        json.loads(message)["headers"]["task"] for message in broker.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1)
    ]


def queued_task_arguments(name: str) -> list[str]:
    """The arguments of each queued task of that name, as Celery wrote them (a repr of the tuple)."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    messages = [json.loads(message) for message in broker.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1)]
    return [message["headers"]["argsrepr"] for message in messages if message["headers"]["task"] == name]


def latest_task_drop() -> None:
    """Take back the message published last (the list's head), so that no later test's worker runs it."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).lpop(settings.CELERY_TASK_DEFAULT_QUEUE)
