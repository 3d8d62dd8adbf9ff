"""Re-sent and corrected files: revisions, nothing duplicated, nothing deleted; mapping fixes re-normalise."""

import importlib

import pytest
from django.db import connection

from ingestion.models import ImportRun, SourceProfile
from ingestion.selectors import source_profile_current
from ingestion.services import source_profile_save, source_renormalise, vocabulary_mapping_add
from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.errors import ApplicationError
from observatory.records.models import Source, SourceRecord, SourceRecordRevision

from .conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db


def test_the_same_file_twice_is_recognised_and_changes_nothing(demo_city, run_file):
    content = csv_bytes(POLICE_HEADER, [police_row(), police_row(correlativo_victima="2")])
    first = run_file(content)
    before = list(SourceRecord.objects.order_by("id").values_list("id", "updated_at", "revision"))

    again = run_file(content, filename="otra_vez.csv")

    assert again.duplicate_of == first
    assert again.status == ImportRun.Status.DONE
    assert again.summary() == "read=2 created=0 updated=0 unchanged=2 rejected=0"
    # Stored in the observatory's language, as every run's messages are, whatever the sender's language.
    assert again.progress_note == f"Mismo archivo que la importación n.º {first.pk} (mismo SHA-256): no cambió nada."
    assert list(SourceRecord.objects.order_by("id").values_list("id", "updated_at", "revision")) == before


def test_the_same_rows_saved_with_another_separator_or_encoding_are_unchanged(demo_city, run_file):
    """The direccion value holds a comma: quoted with ",", not with ";" or a tab."""
    rows = [police_row(), police_row(correlativo_victima="2", victima_nombre="MARÍA PEÑA")]
    first = run_file(csv_bytes(POLICE_HEADER, rows))

    semicolons = run_file(csv_bytes(POLICE_HEADER, rows, separator=";", encoding="cp1252"), filename="pc.csv")
    tabs = run_file(
        csv_bytes(POLICE_HEADER, [rows[0], {**rows[1], "victima_edad": "31"}], separator="\t"), filename="tab.txt"
    )

    assert semicolons.summary() == "read=2 created=0 updated=0 unchanged=2 rejected=0"
    assert tabs.summary() == "read=2 created=0 updated=1 unchanged=1 rejected=0"
    unchanged, changed = SourceRecord.objects.order_by("record_id")
    assert (unchanged.last_run_id, unchanged.row_as_sent) == (first.pk, rows[0])
    assert (changed.last_run_id, changed.row_as_sent) == (tabs.pk, {**rows[1], "victima_edad": "31"})
    assert changed.revisions.get().raw == rows[1]


def test_the_same_rows_with_their_columns_in_another_order_are_unchanged(demo_city, run_file):
    rows = [police_row(), police_row(correlativo_victima="2")]
    first = run_file(csv_bytes(POLICE_HEADER, rows))

    reordered = run_file(csv_bytes(list(reversed(POLICE_HEADER)), rows), filename="reordenado.csv")
    widened = run_file(csv_bytes([*POLICE_HEADER, "observaciones"], rows), filename="con_observaciones.csv")

    assert reordered.summary() == "read=2 created=0 updated=0 unchanged=2 rejected=0"
    assert widened.summary() == "read=2 created=0 updated=2 unchanged=0 rejected=0"  # the rows as sent changed
    record = SourceRecord.objects.get(record_id="DPI-2024-000001#1")
    replaced_by_run = ImportRun.objects.get(pk=record.revisions.get().replaced_by_run_id)
    assert (record.revision, replaced_by_run.original_filename) == (2, "con_observaciones.csv")
    assert record.revisions.get().raw == rows[0]
    assert first.rows_created == 2


def test_the_same_values_under_a_column_the_profile_now_reads_are_a_change(demo_city, run_file):
    """A first export named the weapon column unlike the profile: its values were not read. Sent again with the
    profile's name, the same values now say something."""
    misnamed = [name if name != "arma" else "arma_usada" for name in POLICE_HEADER]
    row = police_row()
    run_file(csv_bytes(misnamed, [{("arma_usada" if name == "arma" else name): value for name, value in row.items()}]))

    corrected = run_file(csv_bytes(POLICE_HEADER, [row]), filename="corregido.csv")

    assert corrected.summary() == "read=1 created=0 updated=1 unchanged=0 rejected=0"
    assert SourceRecord.objects.get().weapon == "firearm"


def test_a_corrected_row_is_updated_in_place_with_its_history(demo_city, run_file):
    first = run_file(
        csv_bytes(
            POLICE_HEADER, [police_row(), police_row(correlativo_victima="2"), police_row(correlativo_victima="3")]
        )
    )
    corrected = run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(victima_edad="24", victima_nombre="JOSE LUIS MARTINEZ RIVAS"),
                police_row(correlativo_victima="2"),
                police_row(correlativo_victima="4"),
            ],
        ),
        filename="ultimos_90_dias.csv",
    )

    assert corrected.summary() == "read=3 created=1 updated=1 unchanged=1 rejected=0"
    assert SourceRecord.objects.count() == 4  # row 3, absent from the later file, is not deleted
    changed = SourceRecord.objects.get(record_id="DPI-2024-000001#1")
    assert (changed.revision, changed.full_name, str(changed.age_years)) == (2, "JOSE LUIS MARTINEZ RIVAS", "24.00")
    assert (changed.first_run_id, changed.last_run_id) == (first.pk, corrected.pk)
    previous = SourceRecordRevision.objects.get(record=changed)
    assert (previous.revision, previous.replaced_by_run_id) == (1, corrected.pk)
    assert previous.raw["victima_nombre"] == "JOSE LUIS MARTINEZ RIVERA"
    assert previous.normalised["full_name"] == "JOSE LUIS MARTINEZ RIVERA"
    assert previous.normalised["age_years"] == 23
    untouched = SourceRecord.objects.get(record_id="DPI-2024-000001#2")
    assert (untouched.revision, untouched.last_run_id) == (1, first.pk)


@pytest.mark.parametrize("chunk_rows", [1, 2, 100])
def test_a_record_id_repeated_in_a_later_chunk_replaces_the_earlier_row(demo_city, run_file, settings, chunk_rows):
    settings.INGEST_CHUNK_ROWS = chunk_rows
    run = run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(victima_edad="23"),
                police_row(correlativo_victima="2"),
                police_row(correlativo_victima="3"),
                police_row(victima_edad="24"),
                police_row(victima_edad="25"),
            ],
        )
    )

    assert run.summary() == "read=5 created=3 updated=0 unchanged=0 rejected=0"
    record = SourceRecord.objects.get(record_id="DPI-2024-000001#1")
    assert (record.revision, str(record.age_years), record.revisions.count()) == (1, "25.00", 0)
    warnings = run.issues.filter(severity="warning").order_by("row_number")
    assert [(warning.row_number, warning.reason) for warning in warnings] == [
        (2, "the same record id appears again on row 6, which replaces this row"),
        (5, "the same record id appears again on row 6, which replaces this row"),
    ]


@pytest.mark.parametrize("chunk_rows", [1, 100])
def test_a_stored_record_met_twice_in_a_later_file_keeps_one_revision(demo_city, run_file, settings, chunk_rows):
    first = run_file(
        csv_bytes(
            POLICE_HEADER, [police_row(), police_row(correlativo_victima="2"), police_row(correlativo_victima="3")]
        )
    )
    settings.INGEST_CHUNK_ROWS = chunk_rows
    later = run_file(
        csv_bytes(
            POLICE_HEADER,
            [
                police_row(),  # unchanged at first, then changed by row 5
                police_row(correlativo_victima="2", victima_edad="30"),  # changed, then changed again by row 6
                police_row(correlativo_victima="3"),
                police_row(victima_edad="40"),
                police_row(correlativo_victima="2", victima_edad="31"),
            ],
        ),
        filename="corregido.csv",
    )

    assert later.summary() == "read=5 created=0 updated=2 unchanged=1 rejected=0"
    for record_id, age in (("DPI-2024-000001#1", "40.00"), ("DPI-2024-000001#2", "31.00")):
        record = SourceRecord.objects.get(record_id=record_id)
        assert (record.revision, str(record.age_years), record.first_run_id, record.last_run_id) == (
            2,
            age,
            first.pk,
            later.pk,
        )
        previous = record.revisions.get()
        assert (previous.revision, previous.replaced_by_run_id, previous.normalised["age_years"]) == (1, later.pk, 23)
    assert later.issues.filter(severity="warning").count() == 2


def test_fixing_a_mapping_renormalises_stored_rows_without_a_new_upload(demo_city, run_file, user_with_role):
    run_file(csv_bytes(POLICE_HEADER, [police_row(delito="SICARIATO"), police_row(correlativo_victima="2")]))
    analyst = user_with_role(Role.ANALYST)
    assert SourceRecord.objects.get(record_id="DPI-2024-000001#1").status == SourceRecord.Status.UNMAPPED

    profile = vocabulary_mapping_add(
        source=Source.objects.get(pk="police"),
        column="delito",
        value="SICARIATO",
        term="homicide",
        changed_by=analyst,
        ip_address="10.1.1.1",
    )
    renormalisation = source_renormalise(source=profile.source)

    assert profile.version == 2
    assert profile.config["vocabularies"]["category"]["SICARIATO"] == "homicide"
    assert (
        SourceProfile.objects.get(source_id="police", version=1).config["vocabularies"]["category"].get("SICARIATO")
        is None
    )
    fixed = SourceRecord.objects.get(record_id="DPI-2024-000001#1")
    assert (fixed.status, fixed.category, fixed.outcome, fixed.unmapped) == ("normalised", "homicide", "died", [])
    assert (fixed.revision, fixed.profile_version) == (2, 2)
    assert renormalisation.summary() == "read=1 created=0 updated=1 unchanged=0 rejected=0"
    assert renormalisation.channel == ImportRun.Channel.RENORMALISATION
    assert SourceRecord.objects.get(record_id="DPI-2024-000001#2").revision == 1
    event = AuditEvent.objects.get(action="profile.changed", detail__version=2)
    assert (event.actor, event.ip_address) == (analyst, "10.1.1.1")


def test_rows_normalised_again_are_still_recognised_when_their_file_is_sent_again(demo_city, run_file):
    """Re-normalisation reads the stored rows of files with different columns together; a row's empty values in
    the other files' columns do not make it differ from its own file."""
    first = csv_bytes(POLICE_HEADER, [police_row(delito="SICARIATO")])
    run_file(first)
    run_file(
        csv_bytes(
            [*POLICE_HEADER, "observaciones"],
            [police_row(correlativo_victima="2", delito="SICARIATO", observaciones="revisar")],
        ),
        filename="otra.csv",
    )
    police = Source.objects.get(pk="police")
    vocabulary_mapping_add(source=police, column="delito", value="SICARIATO", term="homicide")
    assert source_renormalise(source=police).summary() == "read=2 created=0 updated=2 unchanged=0 rejected=0"

    again = run_file(first + b"\n", filename="la_primera_otra_vez.csv")  # not byte for byte the same file

    assert again.summary() == "read=1 created=0 updated=0 unchanged=1 rejected=0"


def test_a_value_is_mapped_where_the_profile_names_its_column_as_the_file_writes_it(demo_city, run_file):
    police = Source.objects.get(pk="police")
    config = source_profile_current(source=police).config
    config["fields"]["category"]["column"] = "Delito "
    source_profile_save(source=police, config=config)
    run_file(csv_bytes(POLICE_HEADER, [police_row(delito="SICARIATO")]))

    profile = vocabulary_mapping_add(source=police, column="delito", value="SICARIATO", term="homicide")

    assert profile.config["vocabularies"]["category"]["SICARIATO"] == "homicide"


def test_a_file_sent_again_after_its_profile_was_corrected_is_read_again(demo_city, run_file):
    police = Source.objects.get(pk="police")
    config = source_profile_current(source=police).config
    config["fields"]["event_date"]["formats"] = ["%d/%m/%y"]  # a wrong format: four-digit years are not read
    source_profile_save(source=police, config=config)
    rows = [police_row(correlativo_victima="1"), police_row(correlativo_victima="2", fecha_hecho="14/03/24")]
    first = run_file(csv_bytes(POLICE_HEADER, rows))
    config["fields"]["event_date"]["formats"] = ["%d/%m/%Y"]
    source_profile_save(source=police, config=config)

    again = run_file(csv_bytes(POLICE_HEADER, rows))
    once_more = run_file(csv_bytes(POLICE_HEADER, rows))

    assert first.summary() == "read=2 created=1 updated=0 unchanged=0 rejected=1"
    assert (again.duplicate_of, again.summary()) == (None, "read=2 created=1 updated=0 unchanged=1 rejected=0")
    assert once_more.duplicate_of == again  # under the same profile, recognised
    assert not SourceRecordRevision.objects.exists()


def test_a_new_way_of_building_record_ids_must_be_confirmed_once_records_are_stored(demo_city, run_file):
    police = Source.objects.get(pk="police")
    config = {
        **source_profile_current(source=police).config,
        "record_id": {"columns": ["no_denuncia", "correlativo_victima"], "join": "-"},
    }
    source_profile_save(source=police, config={**config, "record_id": {"columns": ["No. Denuncia"], "join": "#"}})
    run_file(csv_bytes(POLICE_HEADER, [police_row()]))

    with pytest.raises(ApplicationError) as refused:
        source_profile_save(source=police, config=config)
    source_profile_save(source=police, config=config, record_id_change_confirmed=True)

    assert refused.value.message.startswith(
        "The record id would be built from no_denuncia + '-' + "
        "correlativo_victima instead of no_denuncia. The 1 records stored"
    )
    assert police.profiles.count() == 3


def test_changing_an_existing_mapping_renormalises_every_stored_record(
    demo_city, run_file, django_capture_on_commit_callbacks
):
    run_file(
        csv_bytes(POLICE_HEADER, [police_row(delito="MUERTE EN INVESTIGACION"), police_row(correlativo_victima="2")])
    )
    police = Source.objects.get(pk="police")
    config = source_profile_current(source=police).config
    config["vocabularies"]["category"]["MUERTE EN INVESTIGACION"] = "homicide"
    config["record_id"] = {"columns": ["no_denuncia"], "join": "#"}  # applies to new files, not stored records

    with django_capture_on_commit_callbacks() as queued:
        source_profile_save(
            source=police,
            config=config,
            comment="the committee files these as homicides",
            record_id_change_confirmed=True,
        )
    rerun = source_renormalise(source=police, only_unmapped=False)

    assert len(queued) == 1
    assert rerun.summary() == "read=2 created=0 updated=1 unchanged=1 rejected=0"  # the other reads the same
    changed, same = SourceRecord.objects.order_by("record_id")
    assert (changed.category, changed.revision, changed.profile_version) == ("homicide", 2, 2)
    assert (same.revision, same.profile_version, same.last_run_id) == (1, 2, changed.first_run_id)
    assert list(SourceRecordRevision.objects.values_list("record__record_id", flat=True)) == [changed.record_id]
    assert SourceRecord.objects.count() == 2


def test_only_adding_a_vocabulary_value_leaves_normalised_records_alone(
    demo_city, run_file, django_capture_on_commit_callbacks
):
    run_file(csv_bytes(POLICE_HEADER, [police_row()]))
    police = Source.objects.get(pk="police")

    with django_capture_on_commit_callbacks() as queued:
        vocabulary_mapping_add(source=police, column="delito", value="DECAPITACION", term="homicide")

    assert queued == []  # nothing unmapped, nothing changed for stored records


TRICKY_VALUES = {
    "direccion": '3 calle; frente a "La Bendición",\nal lado del taller',
    "unidad": " UMEP-3 ",
    "victima_dni": "",
}


@pytest.mark.parametrize("separator", [",", ";"])
@pytest.mark.parametrize("careful", [False, True], ids=["fast reader", "careful reader"])
def test_the_row_as_sent_is_kept_value_for_value(demo_city, run_file, separator, careful):
    rows = [police_row(**TRICKY_VALUES), police_row(correlativo_victima="2")]
    if careful:  # a line with too many fields sends the whole file through the careful reader
        rows.append({**police_row(correlativo_victima="3"), "unidad": "UMEP-3" + separator + "extra"})
    content = csv_bytes(POLICE_HEADER, rows, separator=separator)
    if careful:
        content = content.replace(
            b'"UMEP-3' + separator.encode() + b'extra"', b"UMEP-3" + separator.encode() + b"extra"
        )

    run = run_file(content)

    assert run.rows_created == 2
    assert SourceRecord.objects.get(record_id="DPI-2024-000001#1").row_as_sent == police_row(**TRICKY_VALUES)
    assert SourceRecord.objects.get(record_id="DPI-2024-000001#2").row_as_sent == police_row(correlativo_victima="2")


def test_a_revision_keeps_the_row_as_sent_value_for_value(demo_city, run_file):
    run_file(csv_bytes(POLICE_HEADER, [police_row(**TRICKY_VALUES)], separator=";"))
    run_file(csv_bytes(POLICE_HEADER, [police_row(**TRICKY_VALUES, victima_edad="24")]))

    previous = SourceRecordRevision.objects.get()
    assert previous.raw == police_row(**TRICKY_VALUES)
    assert SourceRecord.objects.get().row_as_sent == police_row(**TRICKY_VALUES, victima_edad="24")


def test_the_migration_that_recomputes_stored_hashes_computes_them_as_the_importer_does(demo_city, run_file):
    """Records 0005 rehashes stored records in Python, apart from the importer's Arrow code: both must agree, or
    every record would count as updated the next time its file is sent."""
    rehash = importlib.import_module("observatory.records.migrations.0005_content_hashes_whatever_the_column_order")
    run_file(
        csv_bytes(
            list(reversed(POLICE_HEADER)),
            [police_row(**TRICKY_VALUES), police_row(correlativo_victima="2", victima_nombre="MARÍA PEÑA")],
            separator=";",
        )
    )
    run_file(
        csv_bytes([*POLICE_HEADER, "observaciones"], [police_row(correlativo_victima="3", observaciones="x")]),
        filename="otra.csv",
    )
    imported = dict(SourceRecord.objects.values_list("record_id", "content_hash"))
    SourceRecord.objects.update(content_hash=0)

    rehash.content_hashes_whatever_the_column_order(apps=None, schema_editor=connection.schema_editor())

    assert dict(SourceRecord.objects.values_list("record_id", "content_hash")) == imported
