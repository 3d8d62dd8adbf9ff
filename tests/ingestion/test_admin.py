"""The ingestion admin: a profile edit is a new version through the service; runs and issues are read-only."""

import html
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from ingestion.models import ImportRun, RowIssue, SourceProfile
from ingestion.selectors import source_profile_current
from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.records.models import Source
from observatory.records.terms import PlaceType

from .conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db


def profile_change_url(profile: SourceProfile) -> str:
    return reverse("admin:ingestion_sourceprofile_change", args=[profile.pk])


@pytest.fixture
def analyst_client(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    return client


def test_analysts_see_the_ingestion_admin_and_other_roles_do_not(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    index = client.get(reverse("admin:index")).content.decode()

    for url in (
        "/admin/records/source/",
        "/admin/ingestion/sourceprofile/",
        "/admin/ingestion/importrun/",
        "/admin/ingestion/rowissue/",
    ):
        assert f'href="{url}"' in index
        assert client.get(url).status_code == 200, url
    for role in (Role.SOURCE_UPLOADER, Role.COMMANDER):
        client.force_login(user_with_role(role))
        assert client.get("/admin/ingestion/importrun/").status_code == 302  # not staff: the admin's login page


def test_saving_the_current_profile_writes_a_new_version_and_keeps_the_old(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="police"))
    edited = json.loads(json.dumps(current.config))
    edited["vocabularies"]["weapon"]["PISTOLA"] = "firearm"

    form = analyst_client.get(profile_change_url(current)).content.decode()
    assert (
        '<textarea name="config" cols="120" rows="40"' in form
        and "\n  &quot;encoding&quot;: &quot;utf-8&quot;," in form
    )
    assert "age_years (age)" in form and "weapon: firearm, sharp_object," in form  # what a profile may say

    response = analyst_client.post(
        profile_change_url(current),
        {"config": json.dumps(edited), "comment": "PISTOLA es arma de fuego", "_save": "Guardar"},
    )

    assert response.status_code == 302
    newest = source_profile_current(source=Source.objects.get(pk="police"))
    assert (newest.version, newest.comment) == (current.version + 1, "PISTOLA es arma de fuego")
    assert newest.config["vocabularies"]["weapon"]["PISTOLA"] == "firearm"
    current.refresh_from_db()
    assert "PISTOLA" not in current.config["vocabularies"]["weapon"]
    assert AuditEvent.objects.filter(action="profile.changed", detail__version=newest.version).exists()


def test_a_profile_the_service_refuses_is_shown_with_its_problems(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="police"))
    broken = {**current.config, "separator": ";;", "vocabularies": {"weapon": {"PISTOLA": "laser"}}}

    response = analyst_client.post(profile_change_url(current), {"config": json.dumps(broken), "comment": "roto"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "el separador debe ser un carácter o &#x27;auto&#x27;" in page
    assert "&#x27;PISTOLA&#x27; corresponde a &#x27;laser&#x27;" in page
    assert SourceProfile.objects.filter(source_id="police").count() == 1


def test_a_profile_of_the_wrong_shape_is_shown_with_where_it_is_wrong(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="police"))
    broken = {**current.config, "record_id": "no_denuncia", "fields": {"sex": "Genero"}, "rules": [{"when": "x"}]}

    response = analyst_client.post(profile_change_url(current), {"config": json.dumps(broken), "comment": "roto"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "record_id debe ser un objeto" in page and "fields.sex debe ser un objeto" in page
    assert "rules[1].when debe ser un objeto" in page
    assert SourceProfile.objects.filter(source_id="police").count() == 1


def test_saving_a_profile_says_what_the_save_did_and_nothing_else(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="police"))

    same = analyst_client.post(
        profile_change_url(current), {"config": json.dumps(current.config), "comment": "igual"}, follow=True
    )
    edited = analyst_client.post(
        profile_change_url(current),
        {"config": json.dumps({**current.config, "missing_values": ["", "ND"]}), "comment": "menos"},
        follow=True,
    )

    said = [[str(message) for message in response.context["messages"]] for response in (same, edited)]
    assert said == [
        [f"No cambió nada: la configuración es igual a la de la versión {current.version}."],
        [
            f"Guardado como versión {current.version + 1} de {current.source.name}; las versiones "
            "anteriores se conservan."
        ],
    ]


def test_a_new_record_id_rule_is_saved_once_confirmed_in_the_form(analyst_client, demo_city, run_file):
    run_file(csv_bytes(POLICE_HEADER, [police_row()]))
    current = source_profile_current(source=Source.objects.get(pk="police"))
    changed = {**current.config, "record_id": {"columns": ["no_denuncia"], "join": "#"}}

    asked = analyst_client.post(profile_change_url(current), {"config": json.dumps(changed), "comment": "nuevo id"})
    confirmed = analyst_client.post(
        profile_change_url(current),
        {"config": json.dumps(changed), "comment": "nuevo id", "record_id_change_confirmed": "on"},
    )

    assert asked.status_code == 200
    assert asked.context["adminform"].form.errors.keys() == {"record_id_change_confirmed"}
    assert "Los 1 registros guardados conservan sus id" in asked.content.decode()
    assert confirmed.status_code == 302
    assert source_profile_current(source=Source.objects.get(pk="police")).config["record_id"]["columns"] == [
        "no_denuncia"
    ]


def test_a_profile_is_shown_with_its_keys_in_the_order_they_were_written(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="police"))
    written = {
        "fields": {"weapon": current.config["fields"]["weapon"], **current.config["fields"]},
        **{key: value for key, value in reversed(current.config.items()) if key != "fields"},
        "missing_values": ["", "ND"],
    }
    analyst_client.post(profile_change_url(current), {"config": json.dumps(written), "comment": "otro orden"})
    newest = source_profile_current(source=Source.objects.get(pk="police"))

    form = analyst_client.get(profile_change_url(newest)).content.decode()
    shown = json.loads(html.unescape(re.search(r'<textarea name="config"[^>]*>(.*?)</textarea>', form, re.S).group(1)))

    assert list(shown) == list(written) and list(shown["fields"]) == list(written["fields"])
    assert list(source_profile_current(source=Source.objects.get(pk="police")).config) != list(
        written
    )  # as the database orders


def test_shipped_profiles_are_shown_in_their_file_s_order(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="police"))
    shipped = json.loads(Path("ingestion/default_profiles/police.json").read_text(encoding="utf-8"))

    assert list(current.config_in_written_order) == list(shipped)


def test_the_profile_form_asks_for_json_and_a_comment(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="police"))

    response = analyst_client.post(profile_change_url(current), {"config": "{no es json", "comment": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"config", "comment"}
    assert SourceProfile.objects.filter(source_id="police").count() == 1


def test_earlier_versions_are_read_only(analyst_client):
    first = source_profile_current(source=Source.objects.get(pk="police"))
    analyst_client.post(
        profile_change_url(first),
        {"config": json.dumps({**first.config, "missing_values": ["", "ND"]}), "comment": "menos vacíos"},
    )

    page = analyst_client.get(profile_change_url(first)).content.decode()
    refused = analyst_client.post(profile_change_url(first), {"config": json.dumps(first.config), "comment": "x"})

    assert "<textarea" not in page and '<pre class="profile-config">' in page
    assert refused.status_code == 403
    assert SourceProfile.objects.filter(source_id="police").count() == 2


def test_the_add_form_writes_the_next_version_of_the_chosen_source(analyst_client):
    current = source_profile_current(source=Source.objects.get(pk="coroner"))

    response = analyst_client.post(
        reverse("admin:ingestion_sourceprofile_add"),
        {"source": "coroner", "config": json.dumps({**current.config, "separator": ","}), "comment": "ahora con comas"},
    )

    assert response.status_code == 302
    assert source_profile_current(source=Source.objects.get(pk="coroner")).version == current.version + 1


def test_runs_and_issues_are_read_only_and_searchable(analyst_client, demo_city, run_file):
    run = run_file(
        csv_bytes(POLICE_HEADER, [police_row(), police_row(correlativo_victima="2", fecha_hecho="x")]),
        filename="pnc_julio.csv",
    )
    issue = RowIssue.objects.get(run=run, severity=RowIssue.Severity.REJECTED)

    found = analyst_client.get("/admin/ingestion/importrun/", {"q": run.sha256}).content.decode()
    filtered = analyst_client.get("/admin/ingestion/importrun/", {"status__exact": "failed"}).content.decode()
    run_page = analyst_client.get(reverse("admin:ingestion_importrun_change", args=[run.pk])).content.decode()
    issue_page = analyst_client.get(reverse("admin:ingestion_rowissue_change", args=[issue.pk])).content.decode()

    assert "pnc_julio.csv" in found and "pnc_julio.csv" not in filtered
    assert "pnc_julio.csv" in run_page  # shown, not editable:
    assert 'name="original_filename"' not in run_page and 'name="status"' not in run_page
    assert 'name="_save"' not in run_page
    assert "JOSE LUIS MARTINEZ RIVERA" not in issue_page  # rows as sent are read, audited, on the run's page
    assert analyst_client.get(reverse("admin:ingestion_importrun_add")).status_code == 403
    assert analyst_client.post(reverse("admin:ingestion_importrun_delete", args=[run.pk])).status_code == 403
    assert analyst_client.post(reverse("admin:ingestion_rowissue_delete", args=[issue.pk])).status_code == 403
    assert ImportRun.objects.filter(pk=run.pk).exists()


def test_the_spanish_admin_calls_its_start_page_inicio_while_a_place_type_home_is_a_vivienda(analyst_client):
    """The place type "Home" once took over Django's own "Home" (the breadcrumb's start page)."""
    page = analyst_client.get("/admin/records/source/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<a href="/admin/">Inicio</a>' in page and "Vivienda" not in page
    with translation.override("es"):
        assert str(PlaceType.HOME.label) == "Vivienda"
