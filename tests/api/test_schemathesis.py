"""Schemathesis reads the API's own schema and sends every read operation generated requests (bounded and
derandomised), in-process against the test database with two years of published figures and their open data: no
answer may be a server error, and every answer must be one the schema documents, shaped as it says."""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from observatory.accounts.roles import Role
from observatory.open_data.services import open_data_release_now
from tests.indicators.conftest import country  # noqa: F401
from tests.indicators.portal_data import publish_homicides

EXAMPLES_PER_OPERATION = 8
# No server error, and an answer the schema documents. Not whether every schema-valid value is accepted: a string
# parameter refuses what no OpenAPI type can say (a NUL character, a month that is not YYYY-MM) with a 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _check_operation(operation, headers: dict) -> None:
    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # a failure is reported as found, without shrinking it
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        # Uncompressed: the map answers gzip to a client that accepts it, and the WSGI client does not unzip.
        case.call_and_validate(headers={**headers, "Accept-Encoding": "identity"}, checks=CHECKS)

    check()


def _failures(headers: dict) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json&lang=en", _application())
    failures = []
    for result in schema.include(method="GET").get_all_operations():
        operation = result.ok()
        try:
            _check_operation(operation, headers)
        except (Exception, BaseExceptionGroup) as failure:  # every operation's failures, reported at once
            failures.append(f"{operation.label}: {failure!r}")
    return failures


def _application():
    """The project's WSGI application, on the test's database connection: Django closes the connection after each
    request, which would end the test's transaction (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    return get_wsgi_application()


@pytest.fixture(autouse=True)
def _connections_closed_again_after_the_test():
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published(country, settings, tmp_path):  # noqa: F811
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    vintage = publish_homicides(country)
    open_data_release_now(vintage_id=vintage.pk)
    return vintage


@pytest.mark.django_db
def test_no_read_operation_answers_a_server_error_or_off_its_schema(published, user_with_role):
    """Read as the public (suppressed figures; restricted endpoints refused) and as an analyst (every figure, the
    restricted endpoints' rows)."""
    analyst = Token.objects.create(user=user_with_role(Role.ANALYST))
    failures = _failures({}) + _failures({"Authorization": f"Token {analyst.key}"})
    assert not failures, "\n\n".join(failures)
