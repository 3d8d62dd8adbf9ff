import time

import pytest

pytestmark = pytest.mark.django_db

WORKER_START_SECONDS = 60


def test_health_reports_postgis_redis_and_no_worker_as_degraded(client):
    response = client.get("/health/")

    body = response.json()
    assert body["database"]["ok"] and body["database"]["postgis"].startswith("3.")
    assert body["redis"]["ok"]
    assert body["worker"] == {"ok": False, "workers": []}
    assert (response.status_code, body["status"]) == (503, "degraded")


@pytest.mark.worker
def test_health_sees_a_live_worker(client, celery_worker_process):
    deadline = time.monotonic() + WORKER_START_SECONDS
    body = client.get("/health/").json()
    while not body["worker"]["ok"] and time.monotonic() < deadline and celery_worker_process.poll() is None:
        time.sleep(1)
        body = client.get("/health/").json()

    assert body["worker"]["ok"], f"no worker answered within {WORKER_START_SECONDS} s: {body}"
    assert body["status"] == "ok"
    assert any(name.startswith("test-") for name in body["worker"]["workers"])
