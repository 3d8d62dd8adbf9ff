"""The public portal's pages in headless Chromium, with about 1,000,000 source records published
(BENCH_PORTAL_RECORDS to change it; loaded as bench_indicators loads them, then one full vintage computed).

Served as in production: gunicorn (2 workers) with the production settings and the static files collected by
their manifest storage and served by WhiteNoise. Each page is opened in a fresh browser context (nothing cached in
the browser; the server's caches warm after a first visit), BENCH_PORTAL_VISITS times, and the median time to the
load event is reported.

Baseline, measured in the same run: a static file from the same server (static/css/observatory.css) opened the
same way. Targets (issue 17): the home page, a municipality's page and the methodology page each reach the load
event in <= 1.0 s; the map's data for every municipality (/api/v1/indicators/map/) is one request, cached, under
300 KB; an analyst's victim page and the discrepancy report in <= 0.5 s.
"""

import gzip
import http.client
import os
import secrets
import statistics
import tempfile
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from bench.bench_indicators import (
    MONTHS,
    SOURCES_PER_PERSON,
    _compute,
    empty_tables_and_linkage_run,
    records_and_victims_load,
)
from bench.gunicorn_server import gunicorn_serving, production_environment, static_collect

ROOT = Path(__file__).resolve().parent.parent
RECORDS = int(os.environ.get("BENCH_PORTAL_RECORDS", "1000000"))
VISITS = int(os.environ.get("BENCH_PORTAL_VISITS", "5"))
STATIC_FILE = "/static/css/observatory.css"
MUNICIPALITY = "0108"  # Mixco
CHROMIUM = os.environ.get("OBSERVATORY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WORKERS = 2
LOAD_EVENT_MS = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"


def public_page_urls(*, municipality: str = MUNICIPALITY) -> dict[str, str]:
    """The public pages measured, by name: the municipality's own page and its figures page."""
    return {
        "home": "/",
        "municipality": f"/units/municipality/{municipality}/",
        "municipality figures": (
            f"/indicators/?level=municipality&unit={municipality}&category=homicide&basis=reconciled"
        ),
        "methodology": "/methodology/",
    }


def analyst_page_urls(*, victim_id: int) -> dict[str, str]:
    return {"victim": f"/reconciliation/victims/{victim_id}/", "discrepancies": "/indicators/discrepancies/"}


def _publish() -> int:
    """Load the records and victims, compute a full vintage; the number of records."""

    run_id = empty_tables_and_linkage_run()
    records_and_victims_load(1, round(RECORDS / SOURCES_PER_PERSON), f"floor(random() * {MONTHS - 1})::int", run_id)
    _compute(full=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM records_sourcerecord")
        return cursor.fetchone()[0]


def _analyst_session(secret_key: str) -> tuple[str, int]:
    """A session cookie of an analyst, signed with the server's key, and a victim recorded by every source."""
    from django.test import override_settings

    from observatory.accounts.models import User
    from observatory.accounts.roles import Role
    from observatory.reconciliation.models import Victim

    analyst, _created = User.objects.get_or_create(username="bench-analyst", defaults={"role": Role.ANALYST})
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    with override_settings(SECRET_KEY=secret_key):  # the session and its user's hash are signed with it
        session.update(
            {
                "_auth_user_id": str(analyst.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": analyst.get_session_auth_hash(),
            }
        )
        session.create()
    victim = Victim.objects.filter(record_count=3).order_by("pk").first()
    return session.session_key, victim.pk


def _load_event_seconds(browser, url: str, cookies: list[dict]) -> float:
    """The median time to the load event over VISITS visits, each in a fresh context; a visit per worker before,
    to warm the server (its caches, and each worker's first import of pandas or scipy)."""
    times = []
    for visit in range(WORKERS + VISITS):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.add_cookies(cookies)
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response.status == 200 and page.url == url, (url, page.url, response.status)
        if visit >= WORKERS:
            times.append(page.evaluate(LOAD_EVENT_MS) / 1000)
        context.close()
    return statistics.median(times)


def _map_get(port: int) -> tuple[float, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    client.request("GET", "/api/v1/indicators/map/")
    response = client.getresponse()
    body = response.read()
    assert response.status == 200, (response.status, body[:300])
    return time.perf_counter() - started, body


def _map_request(port: int) -> dict:
    """The map's data: its size; its first request with nothing cached (computed by the web process, boundaries'
    topology included); its first request after a publication, once the worker's warming (run here as the worker
    runs it) has put the publication's figures in the cache; and a cached request."""
    from observatory.indicators.cache_warming import public_figures_warm
    from observatory.indicators.models import Vintage

    cache.clear()
    cold_seconds, _body = _map_get(port)
    cache.clear()
    started = time.perf_counter()
    public_figures_warm(vintage_id=Vintage.objects.latest("pk").pk)
    warming_seconds = time.perf_counter() - started
    first_seconds, _body = _map_get(port)
    cached_seconds, body = _map_get(port)
    return {
        "map_bytes": len(body),
        "map_gzip_bytes": len(gzip.compress(body)),
        "map_nothing_cached_seconds": round(cold_seconds, 3),
        "publication_warming_seconds": round(warming_seconds, 3),
        "map_first_after_publication_seconds": round(first_seconds, 3),
        "map_cached_seconds": round(cached_seconds, 3),
    }


def _measure(port: int, session_key: str, victim_id: int) -> dict:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    analyst = [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}]
    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        static = _load_event_seconds(browser, base + STATIC_FILE, [])
        figures["static_file_load_seconds"] = round(static, 3)
        for name, path in public_page_urls().items():
            seconds = _load_event_seconds(browser, base + path, [])
            figures[f"{name}_load_seconds"] = round(seconds, 3)
            figures[f"{name}_to_static_ratio"] = round(seconds / static, 1)
        for name, path in analyst_page_urls(victim_id=victim_id).items():
            figures[f"{name}_load_seconds"] = round(_load_event_seconds(browser, base + path, analyst), 3)
        browser.close()
    return figures


def run() -> dict:
    records = _publish()
    secret_key = secrets.token_urlsafe(48)
    session_key, victim_id = _analyst_session(secret_key)
    connection.close()  # the server's workers read on connections of their own
    with tempfile.TemporaryDirectory() as static_root:
        environment = production_environment(static_root=static_root, DJANGO_SECRET_KEY=secret_key)
        static_collect(environment=environment)
        with gunicorn_serving(environment=environment, workers=WORKERS) as (_server, port):
            figures = {"records": records, "visits_per_page": VISITS, **_map_request(port)}
            figures.update(_measure(port, session_key, victim_id))
    return figures
