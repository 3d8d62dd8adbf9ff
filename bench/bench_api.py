"""The public monthly indicators of one municipality over 10 years through the production server (gunicorn,
2 workers, production settings, loopback) against a trivial DRF endpoint on the same server in the same run (the
API's root, a list of links: no database), each for BENCH_API_SECONDS (20) at BENCH_API_CLIENTS (16) concurrent
clients. Targets (issue 18): the indicators at >= 50% of the trivial endpoint's requests per second, p95 <= 50 ms.

The data: BENCH_API_RECORDS (100,000) source records with their victims over every municipality of the demo
geography and 120 months (bench_indicators' loader), published as one full vintage. The load client is asyncio in
this process, one new connection per request (gunicorn's sync workers close each one); the rate limit is lifted
for the run (API_RATE_ANONYMOUS) so that both phases measure the answer, not the throttle's refusals.

Beside them: a phase where every request misses the cache (what the cache saves), one client at a time per
endpoint (each answer's own time), and the machine's load average. With 16 clients on 2 sync workers a request's
latency is mostly its wait behind the others' (Little's law: p95 <= 50 ms needs some 320 answers a second).
"""

import asyncio
import itertools
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from django.db import connection

from bench.bench_indicators import MONTHS, SOURCES_PER_PERSON, empty_tables_and_linkage_run, records_and_victims_load
from bench.gunicorn_server import gunicorn_serving, production_environment

RECORDS = int(os.environ.get("BENCH_API_RECORDS", "100000"))
SECONDS = float(os.environ.get("BENCH_API_SECONDS", "20"))
CLIENTS = int(os.environ.get("BENCH_API_CLIENTS", "16"))
TRIVIAL = "/api/v1/"
INDICATORS = (
    "/api/v1/indicators/monthly/?level=municipality&unit=0108&category=homicide&basis=reconciled"
    "&month_from=2015-01&month_to=2024-12"
)


async def _get(port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


async def _load(port: int, path: Callable[[], str], *, clients: int, seconds: float) -> tuple[int, list[float], int]:
    """(requests answered 200, their latencies in seconds, other answers) of `clients` clients for `seconds`."""
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal failures
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, _body = await _get(port, path())
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                failures += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return len(latencies), latencies, failures


def _phase(port: int, path: str | Callable[[], str], *, clients: int = CLIENTS, seconds: float = SECONDS) -> dict:
    paths = path if callable(path) else lambda: path
    started = time.perf_counter()
    answered, latencies, failures = asyncio.run(_load(port, paths, clients=clients, seconds=seconds))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests_per_second": round(answered / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "requests": answered,
        "failures": failures,
    }


def _publish() -> int:
    from observatory.indicators.models import Vintage
    from observatory.indicators.services import vintage_now

    run_id = empty_tables_and_linkage_run()
    records_and_victims_load(1, round(RECORDS / SOURCES_PER_PERSON), f"floor(random() * {MONTHS})::int", run_id)
    vintage = vintage_now(kind=Vintage.Kind.FULL)
    assert vintage.status == Vintage.Status.DONE, vintage.error
    return vintage.pk


def run() -> dict:
    started = time.perf_counter()
    vintage = _publish()
    publish_seconds = time.perf_counter() - started
    connection.close()  # the server's workers read on connections of their own
    environment = production_environment(
        static_root=tempfile.mkdtemp(prefix="bench-api-static-"), API_RATE_ANONYMOUS="100000000/minute"
    )
    with gunicorn_serving(environment=environment) as (_server, port):
        status, body = asyncio.run(_get(port, INDICATORS))
        assert status == 200, (status, body[:300])
        (series,) = json.loads(body)["results"]
        assert len(series["months"]) == MONTHS and series["vintage"] == vintage
        load_before = os.getloadavg()[0]
        trivial = _phase(port, TRIVIAL)
        indicators = _phase(port, INDICATORS)
        # Every request a question not asked before (an extra parameter the view ignores): nothing from the cache.
        asked = itertools.count()
        uncached = _phase(port, lambda: f"{INDICATORS}&uncached={next(asked)}", seconds=SECONDS / 2)
        # One client at a time: each answer's own time, without waiting behind the other clients' requests.
        trivial_alone = _phase(port, TRIVIAL, clients=1, seconds=SECONDS / 4)
        indicators_alone = _phase(port, INDICATORS, clients=1, seconds=SECONDS / 4)
        load_after = os.getloadavg()[0]
    return {
        "records": RECORDS,
        "publish_seconds": round(publish_seconds, 1),
        "clients": CLIENTS,
        "seconds_per_phase": SECONDS,
        "indicators_months": MONTHS,
        "indicators_response_bytes": len(body),
        "trivial": trivial,
        "indicators": indicators,
        "indicators_to_trivial_rate": round(indicators["requests_per_second"] / trivial["requests_per_second"], 2),
        "indicators_p95_ms": indicators["p95_ms"],
        "indicators_uncached": uncached,
        "uncached_to_trivial_rate": round(uncached["requests_per_second"] / trivial["requests_per_second"], 2),
        "trivial_one_client": trivial_alone,
        "indicators_one_client": indicators_alone,
        "machine_load_average_before_after": [round(load_before, 1), round(load_after, 1)],
    }
