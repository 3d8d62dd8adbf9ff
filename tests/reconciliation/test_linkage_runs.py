"""Linkage runs: incremental runs read only the records within reach of the new ones, full reruns and
corrections keep victims' ids, imports queue runs, and a run fails or leaves a block out saying why; the
evaluation command."""

import pytest
from django.conf import settings

from observatory.reconciliation import services
from observatory.reconciliation.linkage.features import records_frame, records_near
from observatory.reconciliation.models import CandidatePair, LinkageKey, LinkageRun, Victim, VictimChange
from observatory.reconciliation.services import linkage_run_execute
from observatory.records.models import SourceRecord

from .conftest import coroner_row, hospital_row, police_row, record, victim_of


def test_an_incremental_run_keeps_ids_and_adds_the_new_record(send_rows, link):
    send_rows("police", [police_row()])
    send_rows("coroner", [coroner_row()])
    link()
    victim_id = victim_of("police", "DPI-2024-000001#1")
    send_rows("hospital", [hospital_row()])
    run = link()
    assert run.kind == LinkageRun.Kind.INCREMENTAL and run.victims_created == 0 and run.victims_changed == 1
    assert victim_of("hospital", "HR-2024-118204") == victim_id
    change = VictimChange.objects.get(run=run, victim_id=victim_id)
    assert change.kind == VictimChange.Kind.RECORDS_ADDED
    assert change.detail["records"] == [record("hospital", "HR-2024-118204").pk]


def test_an_incremental_run_reads_only_the_records_within_reach_of_the_new_ones(send_rows, link):
    send_rows(
        "police",
        [
            police_row(),  # same day, name and ID number
            police_row(
                no_denuncia="DPI-2024-000002",
                fecha_hecho="10/01/2024",
                victima_dni="",
                victima_nombre="RIVERA MARTINEZ, JOSE LUIS",
            ),  # the same name, two months before
            police_row(
                no_denuncia="DPI-2024-000003", fecha_hecho="01/01/2024", victima_nombre="CARLOS RUIZ"
            ),  # same ID
            police_row(
                no_denuncia="DPI-2024-000004", fecha_hecho="17/03/2024", victima_nombre="PEDRO PEREZ", victima_dni=""
            ),  # close in time
            police_row(
                no_denuncia="DPI-2024-000005", fecha_hecho="10/01/2024", victima_nombre="ANA LOPEZ", victima_dni=""
            ),  # nothing in common
            police_row(
                no_denuncia="DPI-2024-000006", fecha_hecho="10/01/2024", victima_nombre="ANA LOPEZ", victima_dni=""
            ),  # a name held twice
        ],
    )
    send_rows(
        "hospital",
        [hospital_row(fecha_ingreso="2024-01-20T10:00:00", fecha_egreso="2024-03-15T08:00:00", paciente="MARIO GOMEZ")],
    )  # admitted in January, died the day of the autopsy
    link()
    send_rows("coroner", [coroner_row()])
    autopsy = record("coroner", "AUT-GUA-2024-00412").pk
    frame, name_shares = records_near(records={autopsy})
    assert set(frame["source"] + ":" + frame["unique_id"].astype(str)) == {
        f"{source}:{record(source, record_id).pk}"
        for source, record_id in [
            ("coroner", "AUT-GUA-2024-00412"),
            ("police", "DPI-2024-000001#1"),
            ("police", "DPI-2024-000002#1"),
            ("police", "DPI-2024-000003#1"),
            ("police", "DPI-2024-000004#1"),
            ("hospital", "HR-2024-118204"),
        ]
    }
    everything = records_frame()
    assert frame.equals(everything[everything["unique_id"].isin(frame["unique_id"])].reset_index(drop=True))
    # The frequency of the new record's name still counts every record (8 named, 3 of them JOSE LUIS MARTINEZ
    # RIVERA in some order).
    counts = everything["name_sorted"].value_counts()
    assert counts.sum() == 8 and counts["JOSE LUIS MARTINEZ RIVERA"] == 3
    assert name_shares.to_dict() == {"JOSE LUIS MARTINEZ RIVERA": 3 / 8}


def test_the_keys_an_incremental_run_keeps_bring_its_records_within_reach_of_later_ones(send_rows, link):
    send_rows("police", [police_row(victima_nombre="ANA LOPEZ", victima_dni="")])
    link()  # the first run reads everything
    send_rows("coroner", [coroner_row()])
    assert link().kind == LinkageRun.Kind.INCREMENTAL
    # A year later, the same name written in another order: within reach by the autopsy's name alone.
    send_rows(
        "hospital",
        [
            hospital_row(
                paciente="MARTINEZ RIVERA JOSE LUIS",
                fecha_ingreso="2025-05-01T10:00:00",
                fecha_egreso="2025-05-02T08:00:00",
            )
        ],
    )
    admission = record("hospital", "HR-2024-118204").pk
    frame, _name_shares = records_near(records={admission})
    assert set(frame["unique_id"]) == {admission, record("coroner", "AUT-GUA-2024-00412").pk}


def test_an_incremental_run_without_linkage_keys_reads_every_record(send_rows, link):
    send_rows(
        "police",
        [
            police_row(),
            police_row(
                no_denuncia="DPI-2024-000002", victima_nombre="ANA LOPEZ", victima_dni="", fecha_hecho="10/01/2024"
            ),
        ],
    )
    link()
    LinkageKey.objects.all().delete()  # as after the upgrade that began to keep them
    send_rows("coroner", [coroner_row()])
    run = link()
    assert run.records_considered == SourceRecord.objects.count() == 3
    assert set(LinkageKey.objects.values_list("record_id", flat=True)) == set(
        SourceRecord.objects.values_list("pk", flat=True)
    )
    assert victim_of("coroner", "AUT-GUA-2024-00412") == victim_of("police", "DPI-2024-000001#1")


def test_a_full_rerun_on_unchanged_data_gives_the_same_victims(send_rows, link):
    send_rows(
        "police",
        [
            police_row(),
            police_row(no_denuncia="DPI-2024-000002", victima_nombre="MARIA PEREZ", victima_dni="", victima_sexo="F"),
        ],
    )
    send_rows("coroner", [coroner_row()])
    link(LinkageRun.Kind.FULL)
    before = {record_id: victim_of("police", record_id) for record_id in ("DPI-2024-000001#1", "DPI-2024-000002#1")}
    rerun = link(LinkageRun.Kind.FULL)
    assert (rerun.victims_created, rerun.victims_changed, rerun.victims_retired) == (0, 0, 0)
    assert {record_id: victim_of("police", record_id) for record_id in before} == before


def test_a_correction_of_a_record_updates_the_victim_in_place(send_rows, link):
    send_rows("police", [police_row(delito="MUERTE EN INVESTIGACION")])
    send_rows("coroner", [coroner_row(manera_muerte="INDETERMINADA", causa_basica_cie10="Y34")])
    link()
    victim_id = victim_of("police", "DPI-2024-000001#1")
    assert Victim.objects.get(pk=victim_id).category == "undetermined_death"
    send_rows("coroner", [coroner_row()])  # forensic medicine concludes: homicide
    run = link()
    victim = Victim.objects.get(pk=victim_id)
    assert victim.retired_at is None and victim.category == "homicide"
    assert VictimChange.objects.filter(run=run, victim=victim, kind=VictimChange.Kind.ATTRIBUTES).exists()


def test_evaluate_linkage_prints_pairwise_scores_on_its_last_line(send_rows, link, tmp_path):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    send_rows(
        "police",
        [
            police_row(),
            police_row(
                no_denuncia="DPI-2024-000002",
                victima_nombre="MARIA PEREZ",
                victima_dni="",
                victima_sexo="F",
                victima_edad="40",
            ),
        ],
    )
    send_rows("coroner", [coroner_row()])
    link()
    truth = tmp_path / "truth.csv"
    # The truth says the coroner's body is Maria, not Jose: one predicted pair, wrong; one true pair, missed.
    truth.write_text(
        "source,record_id,victim_key\npolice,DPI-2024-000001#1,a\npolice,DPI-2024-000002#1,b\n"
        "coroner,AUT-GUA-2024-00412,b\npolice,NOT-HELD#1,c\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("evaluate_linkage", str(truth), stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "precision=0.000 recall=0.000 f1=0.000"
    assert "not found: 1" in lines[0]
    # Maria's report and the body share no name and differ in sex: no blocking rule puts them side by side.
    assert "true pairs no rule finds: 1" in lines
    assert "true pairs found by rule colonia: 0 (by it alone: 0)" in lines
    bad = tmp_path / "bad.csv"
    bad.write_text("source,record\npolice,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="victim_key"):
        call_command("evaluate_linkage", str(bad))


def test_every_import_that_changes_records_queues_an_incremental_run(send_rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run = send_rows("police", [police_row()])
    queued = LinkageRun.objects.get()
    assert queued.kind == LinkageRun.Kind.INCREMENTAL and queued.status == LinkageRun.Status.QUEUED
    assert queued.reason_code == LinkageRun.Reason.IMPORT_RUN and str(run.pk) in queued.reason_text
    assert callbacks, "the task is sent only once the import has committed"
    with django_capture_on_commit_callbacks():
        send_rows("police", [police_row()])  # the same rows again: nothing changed, nothing queued
    assert LinkageRun.objects.count() == 1


def test_a_run_whose_worker_died_is_taken_up_again_but_not_for_ever(send_rows):
    """A killed worker's run is redelivered; one that took its worker down JOB_MAX_INTERRUPTIONS times (out of
    memory on every try) fails with the reason instead of holding a worker for ever."""
    send_rows("police", [police_row()])
    taken_up = LinkageRun.objects.create(kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.RUNNING, attempts=1)
    given_up = LinkageRun.objects.create(
        kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.RUNNING, attempts=settings.JOB_MAX_INTERRUPTIONS
    )

    assert (linkage_run_execute(run_id=taken_up.pk).status, LinkageRun.objects.get(pk=taken_up.pk).attempts) == (
        LinkageRun.Status.DONE,
        2,
    )
    failed = linkage_run_execute(run_id=given_up.pk)
    assert failed.status == LinkageRun.Status.FAILED
    assert failed.error.startswith(f"The worker running this job stopped {settings.JOB_MAX_INTERRUPTIONS} times")


def test_a_block_shared_by_too_many_records_is_left_out_and_the_run_says_so(
    send_rows, link, settings, english_messages
):
    settings.RECONCILIATION_BLOCK_MAX_PAIRS = 5
    # One report repeated four times: its ID number and its name would pair the four records six times over.
    send_rows("police", [police_row(no_denuncia=f"DPI-2024-00010{copy}") for copy in range(4)])
    send_rows(
        "police",
        [
            police_row(
                no_denuncia=f"DPI-2024-00020{copy}",
                victima_nombre="MARIA ELENA LOPEZ GARCIA",
                victima_dni="2222333344444",
                victima_sexo="M",
            )
            for copy in range(2)
        ],
    )
    run = link()
    repeated = {victim_of("police", f"DPI-2024-00010{copy}#1") for copy in range(4)}
    assert len(repeated) == 4
    assert not CandidatePair.objects.filter(record_low__record_id__startswith="DPI-2024-00010").exists()
    assert victim_of("police", "DPI-2024-000200#1") == victim_of("police", "DPI-2024-000201#1")
    assert "ID number: 1 key(s), 6 comparisons" in run.notes
    assert "name: 1 key(s), 6 comparisons" in run.notes
    assert "two name parts on nearby days:" in run.notes


def test_scored_pairs_are_stored_a_batch_at_a_time(send_rows, link, settings):
    settings.RECONCILIATION_SCORE_BATCH_PAIRS = 1
    send_rows("police", [police_row(), police_row(no_denuncia="DEIC-2024-000031", unidad="DEIC")])
    send_rows("coroner", [coroner_row()])
    run = link()
    assert run.pairs_scored == CandidatePair.objects.count() == 3
    assert (
        len(
            {
                victim_of("police", "DPI-2024-000001#1"),
                victim_of("police", "DEIC-2024-000031#1"),
                victim_of("coroner", "AUT-GUA-2024-00412"),
            }
        )
        == 1
    )


def test_a_run_that_runs_out_of_memory_fails_saying_so(db, monkeypatch, english_messages):
    def exhausted(run):
        raise MemoryError

    monkeypatch.setattr(services, "_execute", exhausted)
    run = LinkageRun.objects.create(kind=LinkageRun.Kind.INCREMENTAL)
    with pytest.raises(MemoryError):
        linkage_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == LinkageRun.Status.FAILED
    assert run.error.startswith("Out of memory")
