"""`/health/`: whether the database, PostGIS, Redis and at least one Celery worker answer."""

import redis
from django.conf import settings
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


@never_cache
@require_GET
def health(request):
    checks = {"database": _database_check(), "redis": _redis_check(), "worker": _worker_check()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)
