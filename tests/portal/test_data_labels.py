"""Data labels are stored as codes with their figures and read in the reader's language: a source's name, why a
vintage or a linkage run was made, why a victim changed, why an undercount was not estimated."""

import pytest
from django.utils import translation

from observatory.indicators.models import UndercountEstimate, Vintage
from observatory.reconciliation.models import LinkageRun, Victim, VictimChange
from observatory.records.models import Source

pytestmark = pytest.mark.django_db


def _in(language: str, read) -> str:
    with translation.override(language):
        return str(read())


def test_a_shipped_source_is_named_in_the_reader_s_language_and_another_as_written():
    police = Source.objects.get(code="police")
    added = Source.objects.create(code="morgue_norte", name="Morgue del Norte")

    assert _in("en", lambda: police.label) == "National Police: crime reports (one row per victim)"
    assert _in("es", lambda: police.label) == "Policía Nacional: denuncias (una fila por víctima)"
    assert _in("en", lambda: added.label) == "Morgue del Norte"


def test_why_a_vintage_and_a_linkage_run_were_made_is_read_in_either_language():
    vintage = Vintage.objects.create(
        kind=Vintage.Kind.INCREMENTAL, reason_code=Vintage.Reason.IMPORT_RUN, reason_params={"run": 12}
    )
    run = LinkageRun.objects.create(
        kind=LinkageRun.Kind.DECISION, reason_code=LinkageRun.Reason.DECISION, reason_params={"pair": 40}
    )

    assert _in("en", lambda: vintage.reason_text) == "after import run #12"
    assert _in("es", lambda: vintage.reason_text) == "tras la importación n.º 12"
    assert _in("en", lambda: run.reason_text) == "Decision on pair 40"
    assert "40" in _in("es", lambda: run.reason_text) and "par" in _in("es", lambda: run.reason_text)


def test_why_a_victim_changed_names_its_status_and_category_in_the_reader_s_language():
    run = LinkageRun.objects.create(kind=LinkageRun.Kind.FULL)
    victim = Victim.objects.create(created_by_run=run, case_status=Victim.CaseStatus.CONFIRMED)
    change = VictimChange.objects.create(
        victim=victim,
        run=run,
        kind=VictimChange.Kind.ATTRIBUTES,
        detail={"old_status": "single_source", "status": "confirmed", "old_category": "", "category": "homicide"},
    )

    english = _in("en", lambda: change.reason)
    spanish = _in("es", lambda: change.reason)

    assert (
        english
        == "Case status Single source → Confirmed (autopsy and another source), category - → Intentional homicide"
    )
    assert "Una sola fuente" in spanish and "Homicidio intencional" in spanish


def test_why_a_stratum_was_not_estimated_is_read_from_its_code_and_figures():
    vintage = Vintage.objects.create(kind=Vintage.Kind.FULL)
    refused = UndercountEstimate(
        vintage=vintage,
        level="country",
        unit_id=1,
        year=2024,
        series="homicide",
        status=UndercountEstimate.Status.REFUSED,
        observed=12,
        reason_code="too_few_cases",
        detail={"reason_params": {"observed": 12, "minimum": 30}},
    )

    assert _in("en", lambda: refused.reason) == (
        "Only 12 victims were observed; at least 30 are needed for an estimate."
    )
    assert "12" in _in("es", lambda: refused.reason) and "30" in _in("es", lambda: refused.reason)
    assert _in("es", lambda: refused.reason) != _in("en", lambda: refused.reason)
