"""Profiles of the wrong shape are refused saying where: when saved, and when a file is sent under one stored before
its checks existed; the shapes a profile may take."""

import pytest

from ingestion.models import ImportRun, SourceProfile
from ingestion.selectors import source_profile_current
from ingestion.services import source_profile_save
from observatory.errors import ApplicationError
from observatory.records.models import Source, SourceRecord

from .conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db


def test_a_profile_that_does_not_validate_is_refused_with_every_problem(demo_city):
    police = Source.objects.get(pk="police")
    broken = {
        **source_profile_current(source=police).config,
        "separator": ";;",
        "vocabularies": {"weapon": {"PISTOLA": "laser"}},
    }

    with pytest.raises(ApplicationError) as refused:
        source_profile_save(source=police, config=broken)

    assert "separator must be one character or 'auto'" in refused.value.message
    assert "'PISTOLA' maps to 'laser'" in refused.value.message
    assert police.profiles.count() == 1


# A profile's parts given the wrong JSON type or an unusable value, and what the refusal says of each.
WRONG_SHAPES = [
    pytest.param({"record_id": "No. Expediente"}, "record_id must be an object", id="record id a text"),
    pytest.param({"fields": {"sex": "Genero"}}, "fields.sex must be an object", id="field a text"),
    pytest.param(
        {"fields": {"event_date": {"column": "fecha", "type": "date", "formats": 5}}},
        "fields.event_date.formats must be a text or a list of texts, not 5",
        id="formats a number",
    ),
    pytest.param(
        {"fields": {"event_date": {"column": "fecha", "type": "date", "formats": ["%d.%m.%Q"]}}},
        'fields.event_date.formats: "%d.%m.%Q" cannot be used',
        id="unknown directive",
    ),
    pytest.param(
        {"fields": {"event_date": {"column": "fecha", "type": "date", "formats": ["dd.mm.yyyy"]}}},
        'fields.event_date.formats: "dd.mm.yyyy" cannot be used',
        id="no directive",
    ),
    pytest.param(
        {"fields": {"event_date": {"column": "fecha", "type": "date", "formats": ["%d/%m"]}}},
        "it does not read a whole date",
        id="part of a date",
    ),
    pytest.param(
        {
            "fields": {
                "event_date": {"column": "fecha", "type": "date", "formats": ["%d/%m/%Y"]},
                "event_time": {"column": "hora", "type": "time", "formats": ["%H:%M:%"]},
            }
        },
        'fields.event_time.formats: "%H:%M:%" cannot be used',
        id="stray percent",
    ),
    pytest.param(
        {"fields": {"event_date": {"column": "fecha", "type": "date", "formats": ["%d/%m/%Y"], "required": "false"}}},
        'fields.event_date.required must be true or false (without quotes), not "false"',
        id="required in quotes",
    ),
    pytest.param(
        {"vocabularies": {"sex": ["MASC", "FEM"]}}, "vocabularies.sex must be an object", id="vocabulary a list"
    ),
    pytest.param(
        {"rules": [{"when": "homicide", "set": {"category": "homicide"}}]},
        "rules[1].when must be an object",
        id="rule a text",
    ),
    pytest.param({"rules": {"when": {}}}, "rules must be a list", id="rules an object"),
    pytest.param({"encoding": "latin-9x"}, 'encoding: unknown encoding "latin-9x"', id="unknown encoding"),
    pytest.param(
        {"missing_values": 0}, "missing_values must be a text or a list of texts", id="missing values a number"
    ),
]


@pytest.mark.parametrize(("change", "said"), WRONG_SHAPES)
def test_a_profile_of_the_wrong_shape_is_refused_saying_where(demo_city, change, said):
    police = Source.objects.get(pk="police")

    with pytest.raises(ApplicationError) as refused:
        source_profile_save(source=police, config={**source_profile_current(source=police).config, **change})

    assert said in refused.value.message
    assert police.profiles.count() == 1


def test_missing_values_may_be_one_text(demo_city, run_file):
    police = Source.objects.get(pk="police")
    source_profile_save(source=police, config={**source_profile_current(source=police).config, "missing_values": "S/D"})

    run_file(csv_bytes(POLICE_HEADER, [police_row(arma="S/D")]))

    assert SourceRecord.objects.get().status == "normalised"


def test_a_file_sent_under_a_stored_profile_that_no_longer_validates_fails_saying_why(demo_city, run_file):
    profile = source_profile_current(source=Source.objects.get(pk="police"))
    profile.config["fields"]["event_date"]["formats"] = ["%d.%m.%Q"]  # saved before formats were checked
    SourceProfile.objects.filter(pk=profile.pk).update(config=profile.config)

    run = run_file(csv_bytes(POLICE_HEADER, [police_row()]))

    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith(
        f"Version {profile.version} of the police profile cannot be used: "
        'fields.event_date.formats: "%d.%m.%Q" cannot be used'
    )
    profile.config["fields"]["event_date"]["formats"] = ["%d/%m/%Y"]
    corrected = source_profile_save(source=profile.source, config=profile.config)
    assert run_file(csv_bytes(POLICE_HEADER, [police_row()])).summary().startswith("read=1 created=1")
    assert corrected.version == profile.version + 1
