import time

import pytest
from django.core.cache import cache

from observatory.accounts.roles import Role
from observatory.health import HEALTH_CACHE_KEY

pytestmark = pytest.mark.django_db

WORKER_START_SECONDS = 60


@pytest.fixture(autouse=True)
def uncached_health(settings):
    settings.HEALTH_CACHE_SECONDS = 0
    cache.delete(HEALTH_CACHE_KEY)


@pytest.fixture
def staff_client(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    return client


def test_health_tells_the_public_only_whether_each_component_answers(client):
    response = client.get("/health/")

    assert response.json() == {
        "status": "degraded",
        "database": {"ok": True},
        "redis": {"ok": True},
        "worker": {"ok": False},
    }
    assert response.status_code == 503


def test_health_answers_from_its_cache_within_the_period(client, settings):
    settings.HEALTH_CACHE_SECONDS = 60
    assert client.get("/health/").status_code == 503
    healthy = {name: {"ok": True} for name in ("database", "redis", "worker")}
    cache.set(HEALTH_CACHE_KEY, healthy, timeout=60)

    response = client.get("/health/")

    assert (response.status_code, response.json()["status"]) == (200, "ok")


def test_health_reports_postgis_redis_and_no_worker_as_degraded_to_staff(staff_client):
    response = staff_client.get("/health/")

    body = response.json()
    assert body["database"]["ok"] and body["database"]["postgis"].startswith("3.")
    assert body["redis"]["ok"]
    assert body["worker"] == {"ok": False, "workers": []}
    assert (response.status_code, body["status"]) == (503, "degraded")


@pytest.mark.worker
def test_health_sees_a_live_worker(staff_client, celery_worker_process):
    deadline = time.monotonic() + WORKER_START_SECONDS
    body = staff_client.get("/health/").json()
    while not body["worker"]["ok"] and time.monotonic() < deadline and celery_worker_process.poll() is None:
        time.sleep(1)
        body = staff_client.get("/health/").json()

    assert body["worker"]["ok"], f"no worker answered within {WORKER_START_SECONDS} s: {body}"
    assert body["status"] == "ok"
    assert any(name.startswith("test-") for name in body["worker"]["workers"])
