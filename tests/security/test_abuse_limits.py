"""Password guessing, spoofed client addresses and request floods (issue 21, findings 3 and 4)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings as django_settings
from django.test import RequestFactory

from observatory.accounts.roles import Role
from observatory.client_address import client_address
from observatory.rate_limits import Quota, take_request
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_quotas():
    connection = redis.Redis.from_url(django_settings.REDIS_URL)
    for key in connection.scan_iter("rate-limit:*"):
        connection.delete(key)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("login_path", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_login_out_even_for_the_right_password_afterwards(
    client, user_with_role, settings, login_path
):
    user = user_with_role(Role.ADMIN)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login_path, {"username": user.username, "password": "guess"})

    response = client.post(login_path, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert not _logged_in(client)


def test_a_right_password_before_the_limit_logs_in(client, user_with_role, settings):
    user = user_with_role(Role.ANALYST)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": user.username, "password": "guess"})

    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert _logged_in(client)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "198.51.100.1", "192.0.2.10"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "192.0.2.10"),
    ],
)
def test_the_client_address_trusts_only_the_hops_the_proxies_wrote(settings, proxies, forwarded_for, expected):
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_address(request) == expected


def test_a_forged_forwarded_for_header_gets_no_fresh_api_quota(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anonymous": "3/minute"}}
    statuses = [
        client.get(
            "/api/v1/geography/units/", REMOTE_ADDR="192.0.2.20", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"
        ).status_code
        for attempt in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]


def test_concurrent_requests_never_pass_more_than_the_quota():
    quota = Quota(requests=120, seconds=60)
    with ThreadPoolExecutor(max_workers=16) as pool:
        verdicts = list(pool.map(lambda _: take_request(key="concurrency-test", quota=quota), range(200)))

    assert sum(verdict.allowed for verdict in verdicts) == 120
    assert all(0 < verdict.retry_after <= 60 for verdict in verdicts if not verdict.allowed)


def test_anonymous_page_requests_are_limited_with_a_retry_after(client, settings):
    settings.PAGE_RATE_ANONYMOUS = "2/minute"
    responses = [client.get("/methodology/", REMOTE_ADDR="192.0.2.30") for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 60
    assert "Demasiadas solicitudes" in responses[-1].content.decode()


def test_signed_in_users_and_health_checks_are_not_counted_against_the_page_limit(client, user_with_role, settings):
    settings.PAGE_RATE_ANONYMOUS = "1/minute"
    settings.HEALTH_CACHE_SECONDS = 0
    assert {client.get("/health/", REMOTE_ADDR="192.0.2.40").status_code for _ in range(3)} == {503}
    client.force_login(user_with_role(Role.ANALYST))

    assert {client.get("/methodology/", REMOTE_ADDR="192.0.2.40").status_code for _ in range(3)} == {200}
