"""The public aggregates (monthly figures, map, reports, SDMX) change only when a vintage is published, so each
answer is named by its vintage and the question: an ETag (with the vintage's Last-Modified) that lets a client ask
again with If-None-Match and get 304, and, for JSON, the rendered body kept in Redis under the same key.

The key holds the vintage (its number and when it finished, so a database made again never reads another's
entries), the language, the audience (the public, or people who see unsuppressed counts), the path and the query.
Which vintage is the latest is itself cached (observatory/indicators/latest_vintage.py)."""

import functools
import gzip
import hashlib
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from observatory.accounts.roles import Capability, has_capability
from observatory.geography.selectors import geography_stamp
from observatory.indicators.latest_vintage import latest_vintage_stamp
from observatory.indicators.selectors import vintage_or_latest

# What a kept answer holds (body, content type, compressed body): in its key, so that a release that changes it
# never reads an entry an earlier release wrote into the same Redis.
ANSWER_FORMAT = 2


def _vintage_asked(request) -> tuple[int, datetime] | None:
    """(number, finished at) of the vintage a request reads, or None when it names none that is published (the
    view itself then answers, with its own error)."""
    asked = request.query_params.get("vintage")
    if asked is not None:
        vintage = vintage_or_latest(int(asked)) if asked.isdigit() else None
        return (vintage.pk, vintage.finished_at) if vintage is not None and vintage.finished_at else None
    return latest_vintage_stamp()


def _answer_key(request, version: str) -> str:
    audience = "full" if has_capability(request.user, Capability.VIEW_PERSONAL_DATA) else "public"
    query = "&".join(f"{name}={value}" for name, values in sorted(request.query_params.lists()) for value in values)
    return (
        f"api:answer:{ANSWER_FORMAT}:{version}:{get_language()}:{audience}:{request.accepted_renderer.format}:"
        f"{request.path}?{query}"
    )


def _matches(request, etag: str) -> bool:
    """If-None-Match names this answer (a weak validator too: compression weakens it on the way)."""
    asked = request.headers.get("If-None-Match")
    if not asked:
        return False
    return asked.strip() == "*" or etag in {tag.removeprefix("W/") for tag in parse_etags(asked)}


def answer_per_vintage(request, *, view, answer: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """The answer of a view that reads one published vintage, with ETag and Last-Modified; 304 when the client
    has it; for JSON, the rendered body cached per vintage. Streamed answers (CSV) get the validators only; the
    browsable API's pages, which carry the reader's session, neither."""
    if request.accepted_renderer.format == BrowsableAPIRenderer.format:
        return answer()
    vintage = _vintage_asked(request)
    if vintage is None:
        return answer()
    number, finished_at = vintage
    return _answer_per_version(
        request, view=view, version=f"vintage-{number}-{finished_at.timestamp()}", changed=finished_at, answer=answer
    )


def _answer_per_version(
    request, *, view, version: str, changed: datetime, answer: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    key = _answer_key(request, version)
    validators = {
        "ETag": f'"{hashlib.sha256(key.encode()).hexdigest()[:40]}"',
        "Last-Modified": http_date(changed.timestamp()),
    }
    if _matches(request, validators["ETag"]):
        return HttpResponseNotModified(headers=validators)
    as_json = request.accepted_renderer.format == JSONRenderer.format
    cached = cache.get(key) if as_json else None
    if cached is None:
        response = answer()
        if response.status_code != 200:
            return response
        if as_json and isinstance(response, Response):
            cached = _rendered(view, response)
            cache.set(key, cached, timeout=settings.API_AGGREGATE_CACHE_SECONDS)
    if cached is not None:
        response = _from_cache(request, cached)
    for name, value in validators.items():
        response[name] = value
    if response.get("Content-Encoding") == "gzip":
        response["ETag"] = f"W/{validators['ETag']}"  # the same answer, compressed: a weak validator (RFC 9110)
    return response


def _from_cache(request, cached: tuple[bytes, str, bytes]) -> HttpResponse:
    """The kept answer, compressed when the client accepts gzip (kept compressed too: a large answer would
    otherwise cost more to compress at every request than to build once)."""
    body, content_type, compressed = cached
    response = HttpResponse(content_type=content_type)
    patch_vary_headers(response, ["Accept-Encoding"])
    if "gzip" in request.headers.get("Accept-Encoding", "") and len(compressed) < len(body):
        response.content = compressed
        response["Content-Encoding"] = "gzip"
    else:
        response.content = body
    return response


def cached_per_vintage(list_view):
    """answer_per_vintage for a viewset's own list method."""

    @functools.wraps(list_view)
    def answer(view, request, *args, **kwargs):
        return answer_per_vintage(request, view=view, answer=lambda: list_view(view, request, *args, **kwargs))

    return answer


def answer_per_geography(request, *, view, answer: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """For a list of units, jurisdictions or populations: the same validators and cached JSON, kept until any of
    them changes (the units' simplified boundaries took 100 ms of processor a request to serialise)."""
    if request.accepted_renderer.format == BrowsableAPIRenderer.format:
        return answer()
    version, changed = geography_stamp()
    return _answer_per_version(request, view=view, version=f"geography-{version}", changed=changed, answer=answer)


def _rendered(view, response: Response) -> tuple[bytes, str, bytes]:
    """(body, content type, body compressed with gzip) of a DRF response."""
    response.accepted_renderer = view.request.accepted_renderer
    response.accepted_media_type = view.request.accepted_media_type
    response.renderer_context = view.get_renderer_context()
    response.render()
    return response.content, response["Content-Type"], gzip.compress(response.content, compresslevel=6, mtime=0)
