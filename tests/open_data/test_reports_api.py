"""The other open-data endpoints: discrepancies between sources, the hidden-violence series, coverage and cut-off
per source, and the linkage quality estimated from the analysts' decisions."""

from datetime import date

import numpy as np
import pytest
from django.utils import timezone

from observatory.accounts.roles import Role
from observatory.reconciliation.linkage.review_estimate import band_edges, review_estimate
from observatory.reconciliation.models import CandidatePair, LinkageRun
from tests.factories import UserFactory

from .conftest import publish, record, victim

pytestmark = pytest.mark.django_db


def _month(items: list[dict], month: str) -> dict:
    (found,) = [entry for entry in items[0]["months"] if entry["month"] == month]
    return found


def test_a_discrepancy_summary_gives_records_per_source_victims_by_pattern_and_conflicts(client, country):
    mixco = country["mixco"]
    victim(
        record(source="police", on=date(2024, 1, 3), municipality=mixco),
        record(source="coroner", on=date(2024, 1, 3), municipality=mixco),
    )
    victim(
        record(source="police", on=date(2024, 1, 5), municipality=mixco),
        record(source="coroner", on=date(2024, 1, 5), municipality=mixco),
    )
    victim(record(source="coroner", on=date(2024, 1, 8), municipality=mixco))
    victim(
        record(source="police", on=date(2024, 1, 10), municipality=mixco),
        record(source="coroner", on=date(2024, 1, 20), municipality=mixco),
    )
    publish()
    items = client.get(
        "/api/v1/indicators/discrepancies/", {"level": "municipality", "unit": "0108", "category": "homicide"}
    ).json()["results"]
    january = _month(items, "2024-01")
    assert january["victims"] == 4 and january["records"] == {"coroner": 4, "police": 3}
    assert january["patterns"] == {"coroner+police": 3, "coroner": 1}
    assert january["conflicts"] == {"classification": 0, "date": 1, "place": 0}


def test_a_protected_series_discrepancies_never_give_a_suppressed_count_back(client, country):
    for day in (3, 4):
        victim(
            record(source="police", on=date(2024, 1, day), municipality=country["palin"], category="sexual_violence"),
            category="sexual_violence",
        )
    publish()
    query = {"level": "municipality", "unit": "0503", "category": "sexual_violence"}
    january = _month(client.get("/api/v1/indicators/discrepancies/", query).json()["results"], "2024-01")
    assert january["victims"] == "<5" and january["records"] == {"police": "<5"}
    assert set(january["patterns"].values()) == {"x"} and set(january["conflicts"].values()) == {"x"}
    client.force_login(UserFactory(role=Role.ANALYST))
    january = _month(client.get("/api/v1/indicators/discrepancies/", query).json()["results"], "2024-01")
    assert january["victims"] == 2 and january["patterns"] == {"police": 2}


def test_the_hidden_violence_series_sets_homicides_beside_the_missing_and_the_unidentified(client, country):
    mixco = country["mixco"]
    record(source="police", on=date(2024, 1, 3), municipality=mixco)
    record(source="police", on=date(2024, 1, 4), municipality=mixco, category="disappearance")
    record(source="police", on=date(2024, 2, 4), municipality=mixco, category="disappearance")
    publish()
    items = client.get(
        "/api/v1/indicators/hidden-violence/", {"level": "municipality", "unit": "0108", "basis": "police"}
    ).json()["results"]
    assert (items[0]["unit_name"], items[0]["basis"]) == ("Mixco", "police")
    february = _month(items, "2024-02")
    assert (february["homicide"], february["disappearance"], february["status"]) == (0, 1, "provisional")
    assert february["disappearance_12m"] is None  # twelve months of data are needed, the police sent two
    assert {"unidentified_body", "clandestine_grave_12m", "undetermined_death"} <= set(february)


def test_coverage_and_cut_off_per_source(client, country):
    record(source="police", on=date(2024, 1, 3), municipality=country["mixco"])
    record(source="police", on=date(2024, 3, 9), municipality=country["villa_nueva"])
    publish()
    (police,) = client.get("/api/v1/indicators/coverage/").json()["results"]
    assert (police["source"], police["data_until"], police["kind"], police["municipalities"]) == (
        "police",
        "2024-03-09",
        "inferred",
        2,
    )
    assert (police["first_month"], police["last_month"], police["settling_days"]) == ("2024-01", "2024-03", 45)


def test_linkage_quality_is_estimated_from_the_analysts_decisions(client, country):
    run = LinkageRun.objects.create(
        kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.DONE, finished_at=timezone.now()
    )
    analyst = UserFactory(role=Role.ANALYST)
    linked_records = [
        record(source=source, on=date(2024, 1, day), municipality=country["mixco"])
        for day in (1, 2)
        for source in ("police", "coroner")
    ]
    victim(linked_records[0], linked_records[1])
    victim(linked_records[2], linked_records[3])
    for (low, high), probability, decision in (
        ((linked_records[0], linked_records[1]), 0.99, "match"),
        ((linked_records[2], linked_records[3]), 0.97, ""),
        ((linked_records[0], linked_records[2]), 0.7, "non_match"),
        ((linked_records[1], linked_records[3]), 0.6, ""),
    ):
        low, high = sorted((low, high), key=lambda item: item.pk)
        CandidatePair.objects.create(
            record_low=low,
            record_high=high,
            match_probability=probability,
            match_weight=1,
            scored_by_run=run,
            decision=decision,
            decided_by=analyst if decision else None,
        )
    body = client.get("/api/v1/reconciliation/linkage-quality/").json()
    assert body["run"]["id"] == run.pk and body["pairs_scored"] == 4 and body["pairs_linked"] == 2
    assert (body["decided_match"], body["decided_non_match"], body["pending_review"]) == (1, 1, 1)
    assert body["precision_low"] <= body["precision"] <= body["precision_high"] <= 1
    assert body["recall_low"] <= body["recall"] <= body["recall_high"] <= 1


def test_with_every_pair_decided_precision_and_recall_are_exact():
    probability = np.array([0.99, 0.98, 0.9, 0.6, 0.55])
    linked = np.array([True, True, True, False, False])
    decision = np.array([1, 0, 1, 1, 0])
    estimate = review_estimate(
        probability=probability, linked=linked, decision=decision, edges=band_edges(review=0.5, match=0.95)
    )
    assert estimate.precision == pytest.approx(2 / 3) and estimate.recall == pytest.approx(2 / 3)
    assert estimate.precision_low == pytest.approx(2 / 3) and estimate.recall_high == pytest.approx(2 / 3)
