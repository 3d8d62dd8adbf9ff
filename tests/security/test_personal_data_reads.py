"""Every read of a person's data by a person is audited (issue 21, finding 1).

The pages and API endpoints are not listed by hand: every URL pattern of the project, the admin's included, is
requested with each object id the data holds (and every admin list searched by an ID number). Any answer that
shows a name or an ID number must have written an audit event for its reader.
"""

import re
import unicodedata

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.reconciliation.models import CandidatePair, LinkageRun, Victim
from observatory.records.models import SourceRecord
from tests.ingestion.conftest import POLICE_HEADER, csv_bytes, police_row
from tests.reconciliation.cases import review_case_rows
from tests.reconciliation.conftest import (  # noqa: F401
    demo_city,
    english_messages,
    link,
    raw_store,
    run_file,
    send_rows,
)

pytestmark = pytest.mark.django_db

ID_NUMBER = "0801199012345"
# Names of the cases' people, folded (no accents, upper case) as the answers are before comparing.
PERSONAL_TEXTS = [ID_NUMBER, "MARTINEZ RIVERA", "MARTINES RIVERA", "LOPEZ GARCIA", "LOPES GARCIA", "CARLOS ZUNIGA"]
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
NOT_PAGES = {"logout", "set_language"}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name not in NOT_PAGES and "format" not in route:
            yield route


def _urls(route: str, ids: list[int]) -> list[str]:
    """The route's paths: one per object id when it takes an argument (regular-expression routes too)."""
    path = "/" + route.replace("^", "").replace("$", "").replace("\\.", ".")
    if not ARGUMENT.search(path):
        return [path]
    return [ARGUMENT.sub(str(object_id), path) for object_id in ids]


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@pytest.fixture
def personal_data(send_rows, run_file, link):  # noqa: F811
    for source, rows in review_case_rows().items():
        send_rows(source, rows)
    rejected = police_row(no_denuncia="DPI-2024-000999", fecha_hecho="31/02/2024", victima_nombre="CARLOS ZUNIGA")
    run_file(csv_bytes(POLICE_HEADER, [rejected]), source="police", filename="police-bad-date.csv")
    link()
    models = [SourceRecord, Victim, CandidatePair, LinkageRun, AuditEvent]
    return sorted({pk for model in models for pk in model.objects.values_list("pk", flat=True)} | {1, 2})


def test_every_answer_showing_a_name_or_an_id_number_is_audited(client, user_with_role, personal_data):
    reader = user_with_role(Role.ADMIN)
    client.force_login(reader)
    unaudited, shown = [], 0
    for route in sorted(set(_routes(get_resolver().url_patterns))):
        urls = _urls(route, personal_data)
        for url in urls + ([f"{url}?q={ID_NUMBER}" for url in urls] if route.startswith("admin/") else []):
            before = AuditEvent.objects.filter(actor=reader).count()
            response = client.get(url)
            if response.status_code != 200:
                continue
            if any(text in _folded(_body(response)) for text in PERSONAL_TEXTS):
                shown += 1
                if AuditEvent.objects.filter(actor=reader).count() == before:
                    unaudited.append(url)

    assert shown >= 5, "the walk saw too few answers with personal data to mean anything"
    assert unaudited == [], "\n".join(unaudited)
