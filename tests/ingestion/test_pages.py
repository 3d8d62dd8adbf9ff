"""The ingestion pages: who sees which runs, sending a file without JavaScript, a run's report, mapping values."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ingestion.models import ImportRun, RowIssue, SourceProfile
from ingestion.selectors import source_profile_current
from ingestion.services import import_run_create
from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.records.models import Source, SourceRecord

from .conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db

RUN_LIST, RUN_CREATE, UNMAPPED = (
    reverse("ingestion:run-list"),
    reverse("ingestion:run-create"),
    reverse("ingestion:unmapped-values"),
)
VICTIM_NAME = "JOSE LUIS MARTINEZ RIVERA"


def police_file(*rows: dict) -> bytes:
    return csv_bytes(POLICE_HEADER, list(rows))


@pytest.fixture
def runs(demo_city, run_file):
    """A processed police run (one good row, one impossible date, one unmapped offence) and a coroner run."""
    police = run_file(
        police_file(
            police_row(),
            police_row(correlativo_victima="2", fecha_hecho="31/02/2024"),
            police_row(correlativo_victima="3", delito="SICARIATO"),
        ),
        filename="pnc_marzo.csv",
    )
    coroner = run_file(
        b"numero_autopsia;fecha_levantamiento\nAUT-1;2024-01-02\n", source="coroner", filename="forense_marzo.csv"
    )
    return {"police": police, "coroner": coroner}


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def run_page(run: ImportRun) -> str:
    return reverse("ingestion:run-detail", args=[run.pk])


# Access


def test_anonymous_visitors_are_sent_to_the_login_page(client, runs):
    for url in (RUN_LIST, RUN_CREATE, UNMAPPED, run_page(runs["police"])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.COMMANDER])
def test_public_accounts_and_commanders_are_refused_every_page(client, runs, user_with_role, role):
    client.force_login(user_with_role(role))

    for url in (RUN_LIST, RUN_CREATE, UNMAPPED, run_page(runs["police"])):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            UNMAPPED, {"source": "police", "column": "delito", "value": "SICARIATO", "term": "homicide"}
        ).status_code
        == 403
    )
    assert SourceProfile.objects.filter(source_id="police").count() == 1


def test_an_uploader_sees_its_own_source_runs_only(client, runs, user_with_role):
    client.force_login(user_with_role(Role.SOURCE_UPLOADER, source_code="police"))

    listed = page_text(client.get(RUN_LIST))
    own = client.get(run_page(runs["police"]))
    other = client.get(run_page(runs["coroner"]))

    assert "pnc_marzo.csv" in listed and "forense_marzo.csv" not in listed
    assert own.status_code == 200
    assert other.status_code == 404
    assert client.get(UNMAPPED).status_code == 403
    assert client.get(RUN_CREATE).status_code == 200


def test_an_analyst_sees_every_page_and_every_run(client, runs, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    listed = page_text(client.get(RUN_LIST))

    assert "pnc_marzo.csv" in listed and "forense_marzo.csv" in listed
    for url in (RUN_CREATE, UNMAPPED, run_page(runs["police"]), run_page(runs["coroner"])):
        assert client.get(url).status_code == 200, url


def test_navigation_shows_each_role_its_own_pages(client, user_with_role):
    client.force_login(user_with_role(Role.SOURCE_UPLOADER))
    uploader_home = page_text(client.get("/"))
    client.force_login(user_with_role(Role.ANALYST))
    analyst_home = page_text(client.get("/"))
    client.force_login(user_with_role(Role.COMMANDER))
    commander_home = page_text(client.get("/"))

    assert f'href="{RUN_LIST}"' in uploader_home and f'href="{UNMAPPED}"' not in uploader_home
    assert f'href="{RUN_LIST}"' in analyst_home and f'href="{UNMAPPED}"' in analyst_home
    assert ">Importaciones<" in analyst_home and ">Valores sin mapear<" in analyst_home
    assert f'href="{RUN_LIST}"' not in commander_home and f'href="{UNMAPPED}"' not in commander_home


# The run list


def test_the_run_list_gives_who_when_status_and_counts_in_spanish(client, runs, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    listed = page_text(client.get(RUN_LIST))

    run_row = rf"<tr>\s*<td><a [^>]*>{runs['police'].pk}</a></td>(.*?)</tr>"
    row = re.search(run_row, listed, re.DOTALL).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
    queued = timezone.localtime(runs["police"].queued_at).strftime("%d/%m/%Y %H:%M")
    assert cells == [
        "Policía Nacional: denuncias (una fila por víctima)",
        "pnc_marzo.csv",
        "Línea de comandos",
        "—",
        queued,
        "Terminado",
        "3",
        "2",
        "0",
        "0",
        "1",
    ]
    assert f'href="{RUN_CREATE}"' in listed


def test_the_run_list_filters_by_source_and_status(client, runs, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    ImportRun.objects.filter(pk=runs["coroner"].pk).update(status=ImportRun.Status.FAILED)

    coroner_only = page_text(client.get(RUN_LIST, {"source": "coroner"}))
    failed_only = page_text(client.get(RUN_LIST, {"status": "failed"}))
    done_police = page_text(client.get(RUN_LIST, {"status": "done", "source": "police"}))

    assert "forense_marzo.csv" in coroner_only and "pnc_marzo.csv" not in coroner_only
    assert "forense_marzo.csv" in failed_only and "pnc_marzo.csv" not in failed_only
    assert "pnc_marzo.csv" in done_police and "forense_marzo.csv" not in done_police


def test_an_uploader_is_offered_only_its_own_source_to_filter_by(client, runs, user_with_role):
    client.force_login(user_with_role(Role.SOURCE_UPLOADER, source_code="police"))

    listed = page_text(client.get(RUN_LIST, {"source": "coroner"}))

    assert 'value="police"' in listed and 'value="coroner"' not in listed
    assert "forense_marzo.csv" not in listed


def test_the_run_list_pages_by_fifty_keeping_its_filters(client, demo_city, user_with_role):
    ImportRun.objects.bulk_create(
        ImportRun(
            source_id="police",
            channel=ImportRun.Channel.COMMAND,
            status=ImportRun.Status.DONE,
            original_filename=f"lote_{number:03d}.csv",
            sha256=f"{number:064x}",
            size_bytes=10,
        )
        for number in range(55)
    )
    client.force_login(user_with_role(Role.ANALYST))

    first = page_text(client.get(RUN_LIST, {"status": "done"}))
    second = page_text(client.get(RUN_LIST, {"status": "done", "page": 2}))

    assert len(re.findall(r"lote_\d{3}\.csv</a>", first)) == 50
    assert len(re.findall(r"lote_\d{3}\.csv</a>", second)) == 5
    assert "Página 1 de 2" in first
    assert '?status=done&amp;page=2"' in first


# Sending a file without JavaScript


def test_the_upload_form_sends_the_file_and_goes_to_its_run(
    client, demo_city, user_with_role, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.INGEST_RAW_ROOT = tmp_path / "subidas"
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)
    upload = SimpleUploadedFile("pnc_abril.csv", police_file(police_row()), content_type="text/csv")

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(RUN_CREATE, {"source": "police", "file": upload}, REMOTE_ADDR="10.20.30.40")

    run = ImportRun.objects.get(original_filename="pnc_abril.csv")
    assert response.status_code == 302 and response["Location"] == run_page(run)
    assert (run.source_id, run.channel, run.submitted_by, run.submitted_from, run.status) == (
        "police",
        ImportRun.Channel.UPLOAD,
        analyst,
        "10.20.30.40",
        ImportRun.Status.QUEUED,
    )
    assert len(queued) == 1  # processing is queued once the run is committed
    assert (tmp_path / "subidas" / run.sha256[:2] / run.sha256[2:4] / run.sha256).read_bytes() == police_file(
        police_row()
    )


def test_an_uploader_is_offered_its_own_source_only(client, demo_city, user_with_role):
    client.force_login(user_with_role(Role.SOURCE_UPLOADER, source_code="police"))

    form = page_text(client.get(RUN_CREATE))

    source_select = re.search(r'<select name="source".*?</select>', form, re.DOTALL).group(0)
    assert re.findall(r'<option value="([^"]*)"', source_select) == ["police"]


def test_an_uploader_sending_for_another_source_is_refused_with_the_reason(client, demo_city, user_with_role):
    client.force_login(user_with_role(Role.SOURCE_UPLOADER, source_code="police"))
    upload = SimpleUploadedFile("forense.csv", b"numero_autopsia;fecha_levantamiento\nAUT-2;2024-01-02\n")

    answer = page_text(client.post(RUN_CREATE, {"source": "coroner", "file": upload}))

    assert "Esta cuenta envía archivos solo para la fuente «police», no para «coroner»." in answer
    assert not ImportRun.objects.exists()


def unnamed_file_body(boundary: str) -> bytes:
    """A form whose file part has an empty file name, as some clients send it."""
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\npolice\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename=""\r\n'
        f"Content-Type: text/csv\r\n\r\nno_denuncia\n\r\n--{boundary}--\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"source": "police"}, "Elija el archivo que va a enviar."),
        ({"file": b"no_denuncia\n"}, "Elija la fuente de la que viene el archivo."),
        ({"source": "bomberos", "file": b"no_denuncia\n"}, "No existe esa fuente."),
    ],
)
def test_the_upload_form_says_what_is_missing(client, demo_city, user_with_role, data, message):
    client.force_login(user_with_role(Role.ANALYST))
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile("pnc.csv", data["file"])}

    answer = page_text(client.post(RUN_CREATE, data))

    assert message in answer
    assert not ImportRun.objects.exists()


def test_a_file_with_an_empty_name_is_asked_for_again(client, demo_city, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    answer = page_text(
        client.post(RUN_CREATE, unnamed_file_body("limite"), content_type="multipart/form-data; boundary=limite")
    )

    assert "Elija el archivo que va a enviar." in answer
    assert not ImportRun.objects.exists()


# A run's page


def test_the_run_page_gives_counts_and_the_report_with_rows_as_sent_for_analysts(client, runs, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    run = runs["police"]

    page = page_text(client.get(run_page(run)))

    assert 'role="progressbar"' in page and 'aria-valuenow="100"' in page and "100\u00a0%" in page
    assert 'data-status="done"' in page and "data-status-url" not in page  # a finished run is not followed
    counts = dict(re.findall(r'<td data-count="(\w+)">(\d+)</td>', page))
    assert counts == {"read": "3", "created": "2", "updated": "0", "unchanged": "0", "rejected": "1", "warnings": "1"}
    assert "31/02/2024" in page and "Fila rechazada" in page and "SICARIATO" in page
    assert VICTIM_NAME in page  # the rejected row as sent, for an analyst
    assert reverse("api-v1:import-run-report", args=[run.pk]) in page
    assert (
        f'<a href="{reverse("admin:ingestion_sourceprofile_change", args=[run.profile.pk])}">versión 1 del perfil'
        in page
    )
    event = AuditEvent.objects.get(action="import_run.rows_as_sent_read")
    assert (event.target_id, event.detail) == (str(run.pk), {"rows": [3]})


def test_an_uploader_reads_the_report_without_rows_as_sent(client, runs, user_with_role):
    client.force_login(user_with_role(Role.SOURCE_UPLOADER, source_code="police"))

    page = page_text(client.get(run_page(runs["police"])))

    assert "31/02/2024" in page and "Fila rechazada" in page
    assert VICTIM_NAME not in page
    assert "versión 1 del perfil" in page and "/admin/" not in page  # the profile is read in the admin, by analysts
    assert not AuditEvent.objects.filter(action="import_run.rows_as_sent_read").exists()


def test_the_run_page_filters_issues_by_severity_and_pages_by_hundred(client, runs, user_with_role):
    run = runs["police"]
    RowIssue.objects.bulk_create(
        RowIssue(
            run=run,
            row_number=1000 + number,
            column="victima_edad",
            value="999",
            reason="edad imposible",
            severity=RowIssue.Severity.WARNING,
        )
        for number in range(120)
    )
    client.force_login(user_with_role(Role.ANALYST))

    rejected = page_text(client.get(run_page(run), {"severity": "rejected"}))
    warnings = page_text(client.get(run_page(run), {"severity": "warning"}))
    warnings_page_2 = page_text(client.get(run_page(run), {"severity": "warning", "page": 2}))

    assert "31/02/2024" in rejected and "SICARIATO" not in rejected and "edad imposible" not in rejected
    assert warnings.count("edad imposible") == 100 and warnings_page_2.count("edad imposible") == 20
    assert '<option value="warning" selected>Fila conservada, con una advertencia (120 problemas)</option>' in warnings
    assert '<option value="rejected">Fila rechazada (1 problema)</option>' in warnings
    assert '?severity=warning&amp;page=2"' in warnings


def test_a_queued_run_page_follows_the_run_through_the_api(client, demo_city, user_with_role):
    run = import_run_create(
        source=Source.objects.get(pk="police"),
        stream=SimpleUploadedFile("x.csv", b"a\n"),
        filename="pendiente.csv",
        channel=ImportRun.Channel.UPLOAD,
        enqueue=False,
    )
    client.force_login(user_with_role(Role.ANALYST))

    page = page_text(client.get(run_page(run)))

    assert f'data-status-url="{reverse("api-v1:import-run-detail", args=[run.pk])}"' in page
    assert 'aria-valuenow="0"' in page and "En cola" in page
    assert "js/import_run.js" in page
    assert '<meta http-equiv="refresh"' in page  # inside <noscript>: without JavaScript the page reloads itself


def test_a_failed_run_shows_its_message_and_a_resent_file_links_the_first_run(
    client, demo_city, run_file, user_with_role
):
    failed = run_file(b"", filename="vacio.csv")
    first = run_file(police_file(police_row()), filename="pnc_mayo.csv")
    again = run_file(police_file(police_row()), filename="pnc_mayo_otra_vez.csv")
    client.force_login(user_with_role(Role.ANALYST))

    failed_page = page_text(client.get(run_page(failed)))
    again_page = page_text(client.get(run_page(again)))

    assert failed.status == ImportRun.Status.FAILED
    assert 'role="alert"' in failed_page and failed.error in failed_page
    assert 'id="run-counts"' not in failed_page and "Descargar el informe" not in failed_page  # nothing was read
    assert again.duplicate_of == first
    assert f'<a href="{run_page(first)}">importación n.º {first.pk}</a>: no cambió nada' in again_page
    assert again.progress_note not in again_page  # said once, with the link, not twice


def test_file_level_notes_are_listed_apart_from_the_rows(client, demo_city, run_file, user_with_role):
    header = [*POLICE_HEADER, "columna_extra"]
    run = run_file(csv_bytes(header, [{**police_row(), "columna_extra": "x"}]))
    note = RowIssue.objects.get(run=run, row_number=0)
    client.force_login(user_with_role(Role.ANALYST))

    page = page_text(client.get(run_page(run)))

    notes = re.search(r'<ul class="file-notes">(.*?)</ul>', page, re.DOTALL).group(1)
    assert note.reason in notes
    assert "No hay filas con problemas." in page


# Unmapped values


def test_the_unmapped_page_maps_a_value_into_a_new_profile_version(
    client, runs, user_with_role, django_capture_on_commit_callbacks
):
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)

    listed = page_text(client.get(UNMAPPED))
    group = re.search(r"<code>delito</code>.*?</table>", listed, re.DOTALL).group(0)
    assert "SICARIATO" in group
    assert 'value="homicide"' in group and 'value="femicide"' in group and 'value="firearm"' not in group

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            UNMAPPED,
            {"source": "police", "column": "delito", "value": "SICARIATO", "term": "homicide"},
            REMOTE_ADDR="10.9.8.7",
            follow=True,
        )

    profile = source_profile_current(source=Source.objects.get(pk="police"))
    assert profile.version == 2
    assert profile.config["vocabularies"]["category"]["SICARIATO"] == "homicide"
    assert (
        SourceProfile.objects.get(source_id="police", version=1).config["vocabularies"]["category"].get("SICARIATO")
        is None
    )
    assert response.redirect_chain == [(UNMAPPED, 302)]
    page = response.content.decode()
    assert "«SICARIATO» corresponde ahora a «Homicidio intencional»" in page and "se volverán a normalizar" in page
    group = re.search(r"<code>delito</code>.*?</table>", page_text(response), re.DOTALL).group(0)
    pending = re.search(r"<tr>\s*<td>SICARIATO</td>.*?</tr>", group, re.DOTALL).group(0)
    assert "Asignado a «Homicidio intencional»: sus registros se están normalizando de nuevo." in pending
    assert "<select" not in pending  # mapped already: no second form while its records wait
    assert len(queued) == 1  # the re-normalisation of the unmapped records
    event = AuditEvent.objects.get(action="profile.changed", detail__version=2)
    assert (event.actor, event.ip_address) == (analyst, "10.9.8.7")


def test_a_mapping_the_service_refuses_is_shown_as_an_error(client, runs, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    bad_term = client.post(
        UNMAPPED, {"source": "police", "column": "delito", "value": "SICARIATO", "term": "laser"}, follow=True
    ).content.decode()
    no_vocabulary = client.post(
        UNMAPPED, {"source": "police", "column": "unidad", "value": "UMEP-3", "term": "homicide"}, follow=True
    ).content.decode()

    assert "El perfil no es válido" in bad_term and "laser" in bad_term
    assert "Ningún vocabulario lee la columna «unidad» en el perfil de police." in no_vocabulary
    assert source_profile_current(source=Source.objects.get(pk="police")).version == 1
    assert SourceRecord.objects.filter(status=SourceRecord.Status.UNMAPPED).count() == 1
