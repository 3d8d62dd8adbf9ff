"""Public pages kept whole in the cache for anonymous readers, so that a crowd arriving from a news article costs
one rendering per page, language and address, not one per reader.

A page is kept only when nothing in it belongs to its reader: an anonymous request without a session, a page that
did not ask for a CSRF token (the language switch is a plain GET form for this reason) and sets no cookie. It is
named by the latest published vintage (a publication makes every page new), by the generation of the analysts'
public texts (an event on the timeline renews every page at once), by the language and by the address, and kept
PUBLIC_PAGE_CACHE_SECONDS at most for what changes between publications otherwise (boundaries, populations)."""

import functools
import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

from .latest_vintage import latest_vintage_stamp

GENERATION_KEY = "indicators:public-pages-generation"


def public_pages_renew() -> None:
    """Every public page is rendered again on its next request (after the current transaction commits)."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, time.time_ns(), timeout=None))


def _page_key(request) -> str | None:
    latest = latest_vintage_stamp()
    if latest is None:
        return None
    number, finished_at = latest
    generation = cache.get(GENERATION_KEY, 0)
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"indicators:public-page:{number}-{finished_at.timestamp()}:{generation}:{get_language()}:{address}"


def _kept_for_everyone(request) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def public_page_cached(view):
    """Serve the view's page from the cache to anonymous readers (see the module's docstring)."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        key = _page_key(request) if _kept_for_everyone(request) else None
        if key is None:
            return view(request, *args, **kwargs)
        kept = cache.get(key)
        if kept is not None:
            return HttpResponse(kept[0], content_type=kept[1])
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            cache.set(key, (response.content, response["Content-Type"]), timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    return page
