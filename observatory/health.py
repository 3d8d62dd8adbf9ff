"""`/health/`: whether the database, PostGIS, Redis and at least one Celery worker answer.

Anyone gets the status (a load balancer needs no login); only staff get the components' versions, errors and the
workers' host names, which would tell an attacker what to aim at. The checks cost a second (the worker ping waits),
so their answer is cached for HEALTH_CACHE_SECONDS: a flood of requests costs one check per period.
"""

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from observatory.celery import app as celery_app


def _database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version(), postgis_geos_version(), postgis_proj_version()")
            postgis, geos, proj = cursor.fetchone()
        return {"ok": True, "postgis": postgis, "geos": geos, "proj": proj}
    except Exception as error:  # any failure is the answer a health page must report
        return {"ok": False, "error": str(error)}


def _redis_check() -> dict:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
        info = client.info("server")
        return {"ok": bool(client.ping()), "version": info.get("redis_version")}
    except redis.RedisError as error:
        return {"ok": False, "error": str(error)}


def _worker_check() -> dict:
    try:
        replies = celery_app.control.ping(timeout=settings.HEALTH_WORKER_PING_TIMEOUT)
    except Exception as error:  # the broker being down is reported, not raised
        return {"ok": False, "workers": [], "error": str(error)}
    workers = sorted(name for reply in replies for name in reply)
    return {"ok": bool(workers), "workers": workers}


HEALTH_CACHE_KEY = "health:checks"


def _checks() -> dict:
    checks = cache.get(HEALTH_CACHE_KEY)
    if checks is None:
        checks = {"database": _database_check(), "redis": _redis_check(), "worker": _worker_check()}
        cache.set(HEALTH_CACHE_KEY, checks, timeout=settings.HEALTH_CACHE_SECONDS)
    return checks


def _cached_checks() -> dict:
    """The cache lives in Redis: when Redis is down, the checks run uncached and say so."""
    try:
        return _checks()
    except redis.RedisError:
        return {"database": _database_check(), "redis": _redis_check(), "worker": _worker_check()}


@never_cache
@require_GET
def health(request):
    checks = _cached_checks()
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "degraded"}
    if request.user.is_authenticated and request.user.is_staff:
        body |= checks
    else:
        body |= {name: {"ok": check["ok"]} for name, check in checks.items()}
    return JsonResponse(body, status=200 if healthy else 503)
