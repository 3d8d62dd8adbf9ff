"""The victim pages and the cases behind a discrepancy read a fixed number of queries, however many records, pairs,
changes or victims they show (no query per row), and name the sources in the reader's language."""

import itertools
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.accounts.roles import Role
from observatory.reconciliation.models import CandidatePair, LinkageRun, VictimChange
from tests.indicators.conftest import country, record, victim  # noqa: F401

pytestmark = pytest.mark.django_db
ON = date(2024, 5, 10)


def _victim_with(country, records: int):  # noqa: F811
    sources = ["police", "coroner", "hospital"]
    rows = [record(source=sources[index % 3], on=ON, municipality=country["mixco"]) for index in range(records)]
    person = victim(*rows, full_name="ANA DIAZ")
    run = LinkageRun.objects.first()
    for low, high in itertools.pairwise(rows):
        CandidatePair.objects.create(
            record_low=low, record_high=high, match_probability=0.9, match_weight=5, scored_by_run=run
        )
        VictimChange.objects.create(
            victim=person, run=run, kind=VictimChange.Kind.RECORDS_ADDED, detail={"records": [high.pk]}
        )
    return person


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_victim_page_reads_as_many_queries_for_one_record_as_for_six(client, country, user_with_role):  # noqa: F811
    client.force_login(user_with_role(Role.ANALYST))
    alone, many = _victim_with(country, 1), _victim_with(country, 6)

    assert _queries(client, f"/reconciliation/victims/{alone.pk}/") == _queries(
        client, f"/reconciliation/victims/{many.pk}/"
    )
    page = client.get(f"/reconciliation/victims/{many.pk}/").content.decode()
    assert "Policía, Medicina forense, Hospital" in page or "Medicina forense, Hospital, Policía" in page


def test_the_victim_list_and_the_cases_read_as_many_queries_for_one_victim_as_for_five(
    client,
    country,  # noqa: F811
    user_with_role,
):
    client.force_login(user_with_role(Role.ANALYST))
    _victim_with(country, 2)
    query = f"level=municipality&unit={country['mixco'].pk}&month=2024-05&category=homicide"
    cases = f"/indicators/discrepancies/cases/?{query}"
    one = (_queries(client, "/reconciliation/victims/"), _queries(client, cases))
    for _ in range(4):
        _victim_with(country, 2)

    assert (_queries(client, "/reconciliation/victims/"), _queries(client, cases)) == one
