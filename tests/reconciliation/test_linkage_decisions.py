"""An analyst's decisions on a pair: must-link merges keeping the older id, cannot-link splits into new ids,
both survive a full rerun, and each is audited."""

from django.conf import settings

from observatory.reconciliation.models import CandidatePair, LinkageRun, Victim, VictimChange
from observatory.reconciliation.services import pair_decide
from tests.factories import UserFactory

from .conftest import coroner_row, pair_of, police_row, victim_of


def _two_people_one_pair(send_rows, link):
    """Two police reports two days apart, one with half the other's name and no age, colonia or ids: a pair the
    model leaves to an analyst, not linked (provisional links only join records of different sources)."""
    send_rows(
        "police",
        [
            police_row(victima_dni="", arma=""),
            police_row(
                no_denuncia="DPI-2024-000099",
                fecha_hecho="16/03/2024",
                victima_dni="",
                arma="",
                victima_nombre="JOSE MARTINEZ",
                victima_edad="",
                colonia="",
            ),
        ],
    )
    link(LinkageRun.Kind.FULL)
    pair = pair_of(("police", "DPI-2024-000001#1"), ("police", "DPI-2024-000099#1"))
    assert pair is not None, "the pair should be scored"
    assert settings.RECONCILIATION_REVIEW_THRESHOLD <= pair.match_probability < settings.RECONCILIATION_MATCH_THRESHOLD
    return pair


def test_a_must_link_decision_merges_keeping_the_older_id_and_survives_a_full_rerun(send_rows, link):
    pair = _two_people_one_pair(send_rows, link)
    older, newer = sorted([victim_of("police", "DPI-2024-000001#1"), victim_of("police", "DPI-2024-000099#1")])
    assert older != newer, f"pair unexpectedly linked by the model (p={pair.match_probability:.3f})"
    analyst = UserFactory(role="analyst")
    decision_run = pair_decide(pair=pair, decision=CandidatePair.Decision.MATCH, user=analyst, note="same DPI at desk")
    assert victim_of("police", "DPI-2024-000099#1") == victim_of("police", "DPI-2024-000001#1") == older
    retired = Victim.objects.get(pk=newer)
    assert retired.retired_at is not None and retired.merged_into_id == older
    assert VictimChange.objects.filter(run=decision_run, victim_id=newer, kind=VictimChange.Kind.MERGED).exists()
    link(LinkageRun.Kind.FULL)
    assert victim_of("police", "DPI-2024-000099#1") == victim_of("police", "DPI-2024-000001#1") == older


def test_a_cannot_link_decision_splits_into_new_ids_and_survives_a_full_rerun(send_rows, link):
    send_rows("police", [police_row()])
    send_rows("coroner", [coroner_row()])
    link(LinkageRun.Kind.FULL)
    before = victim_of("police", "DPI-2024-000001#1")
    assert victim_of("coroner", "AUT-GUA-2024-00412") == before
    pair = pair_of(("police", "DPI-2024-000001#1"), ("coroner", "AUT-GUA-2024-00412"))
    pair_decide(pair=pair, decision=CandidatePair.Decision.NON_MATCH, user=UserFactory(role="analyst"))
    police_victim, coroner_victim = victim_of("police", "DPI-2024-000001#1"), victim_of("coroner", "AUT-GUA-2024-00412")
    assert len({police_victim, coroner_victim, before}) == 3  # a split gets new ids
    assert "V-" in Victim.objects.get(pk=before).retired_reason
    assert VictimChange.objects.get(victim_id=before, kind=VictimChange.Kind.SPLIT).detail["parts"] == sorted(
        [police_victim, coroner_victim]
    )
    link(LinkageRun.Kind.FULL)
    assert victim_of("police", "DPI-2024-000001#1") == police_victim
    assert victim_of("coroner", "AUT-GUA-2024-00412") == coroner_victim


def test_decisions_are_audited(send_rows, link):
    from observatory.accounts.models import AuditEvent

    pair = _two_people_one_pair(send_rows, link)
    pair_decide(pair=pair, decision=CandidatePair.Decision.UNSURE, user=UserFactory(role="analyst"), note="ask police")
    event = AuditEvent.objects.get(action="reconciliation.pair_decided")
    assert event.detail["decision"] == "unsure" and event.detail["note"] == "ask police"
