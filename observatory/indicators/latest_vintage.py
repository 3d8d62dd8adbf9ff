"""Which vintage is the latest published, cached: the public answers kept in the cache (the API's aggregates, the
public pages) are named by it, and it is forgotten when a vintage is published (api/receivers.py), so that from
then on the new vintage's entries are read."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .selectors import latest_vintage

LATEST_VINTAGE_KEY = "indicators:latest-vintage"


def latest_vintage_stamp() -> tuple[int, datetime] | None:
    """(number, finished at) of the latest published vintage; None before the first publication."""
    latest = cache.get(LATEST_VINTAGE_KEY)
    if latest is None:
        vintage = latest_vintage()
        if vintage is None or vintage.finished_at is None:
            return None
        latest = (vintage.pk, vintage.finished_at)
        cache.set(LATEST_VINTAGE_KEY, latest, timeout=settings.API_AGGREGATE_CACHE_SECONDS)
    return latest


def latest_vintage_forget() -> None:
    """Forget which vintage is the latest, now and again when the publishing transaction commits (a request in
    between may have read the previous one)."""
    cache.delete(LATEST_VINTAGE_KEY)
    transaction.on_commit(lambda: cache.delete(LATEST_VINTAGE_KEY))
