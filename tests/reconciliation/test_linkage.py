"""Linkage of police, coroner and hospital records into victims, on rows taken in through the real pipeline."""

import pytest
from django.conf import settings

from observatory.reconciliation import services
from observatory.reconciliation.linkage.features import records_frame, records_near
from observatory.reconciliation.models import CandidatePair, LinkageKey, LinkageRun, Victim, VictimChange
from observatory.reconciliation.services import linkage_run_execute, pair_decide
from observatory.records.models import SourceRecord
from tests.factories import UserFactory

from .conftest import coroner_row, hospital_row, pair_of, police_row, record, victim_of


def test_the_same_id_number_links_a_police_report_and_an_autopsy(send_rows, link):
    send_rows("police", [police_row(victima_nombre="JOSE L. MARTINEZ", victima_dni="0801-19901-2345")])
    send_rows("coroner", [coroner_row(nombre_fallecido="JOSÉ LUIS MARTÍNEZ RIVERA", identificacion="0801199012345")])
    link()
    victim = Victim.objects.get(pk=victim_of("police", "DPI-2024-000001#1"))
    assert victim_of("coroner", "AUT-GUA-2024-00412") == victim.pk
    assert victim.case_status == Victim.CaseStatus.CONFIRMED
    assert victim.sources == ["coroner", "police"]
    assert victim.full_name == "JOSÉ LUIS MARTÍNEZ RIVERA"  # the most complete name
    assert victim.category == "homicide" and victim.manner == "homicide"


def test_a_name_with_a_typo_and_no_id_still_links(send_rows, link):
    send_rows("police", [police_row(victima_dni="")])
    send_rows("coroner", [coroner_row(nombre_fallecido="JOSE LUIS MARTINES RIVERA", identificacion="")])
    link()
    assert victim_of("police", "DPI-2024-000001#1") == victim_of("coroner", "AUT-GUA-2024-00412")
    pair = pair_of(("police", "DPI-2024-000001#1"), ("coroner", "AUT-GUA-2024-00412"))
    assert pair.comparisons["name"]["label"] == "one typo apart"
    assert pair.comparisons["name"]["weight"] > 0


def test_names_in_another_order_link(send_rows, link):
    send_rows("police", [police_row(victima_nombre="MARTINEZ RIVERA, JOSE LUIS", victima_dni="")])
    send_rows("coroner", [coroner_row(identificacion="")])
    link()
    assert victim_of("police", "DPI-2024-000001#1") == victim_of("coroner", "AUT-GUA-2024-00412")
    pair = pair_of(("police", "DPI-2024-000001#1"), ("coroner", "AUT-GUA-2024-00412"))
    assert pair.comparisons["name"]["label"] == "same name"


def test_two_people_with_a_common_name_on_the_same_day_stay_apart(send_rows, link):
    send_rows(
        "police",
        [
            police_row(
                no_denuncia="DPI-2024-000010",
                victima_nombre="JOSE HERNANDEZ",
                victima_dni="1111222233333",
                victima_edad="19",
            ),
            police_row(
                no_denuncia="DPI-2024-000011",
                victima_nombre="JOSE HERNANDEZ",
                victima_dni="4444555566666",
                victima_edad="52",
                arma="ARMA BLANCA",
            ),
        ],
    )
    link()
    assert victim_of("police", "DPI-2024-000010#1") != victim_of("police", "DPI-2024-000011#1")


def test_the_same_victim_reported_twice_by_the_police_is_one_victim(send_rows, link):
    send_rows(
        "police",
        [
            police_row(no_denuncia="DPI-2024-000020", unidad="COMISARIA 16"),
            police_row(
                no_denuncia="DEIC-2024-000031",
                unidad="DEIC",
                fecha_hecho="15/03/2024",
                victima_nombre="JOSE LUIS MARTINEZ R.",
            ),
        ],
    )
    link()
    victim = Victim.objects.get(pk=victim_of("police", "DPI-2024-000020#1"))
    assert victim_of("police", "DEIC-2024-000031#1") == victim.pk
    assert victim.case_status == Victim.CaseStatus.SINGLE_SOURCE and victim.record_count == 2


def test_an_unidentified_body_links_on_date_place_sex_age_and_weapon(send_rows, link):
    send_rows("police", [police_row(victima_dni="", victima_edad="30")])
    send_rows(
        "coroner",
        [
            coroner_row(
                nombre_fallecido="NN", identificacion="", edad_anios="30", estado_identificacion="NO IDENTIFICADO"
            )
        ],
    )
    link()
    assert victim_of("police", "DPI-2024-000001#1") == victim_of("coroner", "AUT-GUA-2024-00412")
    pair = pair_of(("police", "DPI-2024-000001#1"), ("coroner", "AUT-GUA-2024-00412"))
    assert pair.comparisons["name"]["label"] == "unknown"
    # The autopsy names no colonia, but its place of recovery ("Col. El Milagro, 3a. calle") does.
    assert pair.comparisons["place"]["label"] == "same colonia"
    # Linked on context alone, with less confidence than a named match (same name and ID number: above 0.9999).
    assert pair.match_probability < 0.999
    victim = Victim.objects.get(pk=victim_of("police", "DPI-2024-000001#1"))
    assert victim.full_name == "JOSE LUIS MARTINEZ RIVERA" and not victim.is_unidentified


def test_a_hospital_admission_compares_the_weapon_its_icd10_external_cause_names(send_rows, link):
    send_rows(
        "police",
        [police_row(victima_dni=""), police_row(no_denuncia="DPI-2024-000002", arma="ARMA BLANCA", victima_dni="")],
    )
    send_rows("hospital", [hospital_row(cie10_causa_externa="X95.4")])  # assault by firearm; no weapon column
    link()
    admission = ("hospital", "HR-2024-118204")
    assert pair_of(("police", "DPI-2024-000001#1"), admission).comparisons["weapon"]["label"] == "same"
    assert pair_of(("police", "DPI-2024-000002#1"), admission).comparisons["weapon"]["label"] == "different"


def test_an_unknown_patient_is_compared_with_the_body_recovered_from_the_same_hospital(send_rows, link):
    # Nothing but the hospital tells the two autopsies apart for the patient: same day, sex, age and weapon.
    send_rows(
        "hospital",
        [
            hospital_row(
                establecimiento="HOSP. ROOSEVELT",
                paciente="DESCONOCIDO",
                municipio_ocurrencia="",
                municipio_residencia="",
            )
        ],
    )
    send_rows(
        "coroner",
        [
            coroner_row(lugar_levantamiento="Hospital Roosevelt", hallazgo="HOSPITAL"),
            coroner_row(
                numero_autopsia="AUT-GUA-2024-00413",
                lugar_levantamiento="Hospital San Juan de Dios",
                hallazgo="HOSPITAL",
                nombre_fallecido="PEDRO PEREZ",
                identificacion="",
            ),
        ],
    )
    link()
    admission = ("hospital", "HR-2024-118204")
    assert pair_of(admission, ("coroner", "AUT-GUA-2024-00412")).comparisons["facility"]["label"] == "same facility"
    assert victim_of(*admission) == victim_of("coroner", "AUT-GUA-2024-00412")
    assert victim_of(*admission) != victim_of("coroner", "AUT-GUA-2024-00413")


def test_a_facility_written_as_its_initials_is_the_same_facility(send_rows, link):
    send_rows("hospital", [hospital_row(establecimiento="HGSJDD", paciente="DESCONOCIDO")])
    send_rows("coroner", [coroner_row(lugar_levantamiento="Hospital General San Juan de Dios", hallazgo="HOSPITAL")])
    link()
    pair = pair_of(("hospital", "HR-2024-118204"), ("coroner", "AUT-GUA-2024-00412"))
    assert pair.comparisons["facility"]["label"] == "same facility"


def test_a_body_recovered_from_a_hospital_is_not_placed_where_the_hospital_is(send_rows, link):
    # Shot in Villa Nueva, died in a Mixco hospital: the autopsy's municipality is the hospital's.
    send_rows(
        "police",
        [
            police_row(
                municipio="VILLA NUEVA", colonia="", victima_nombre="DESCONOCIDO", victima_dni="", victima_edad="30"
            )
        ],
    )
    send_rows(
        "coroner",
        [
            coroner_row(
                nombre_fallecido="NN",
                identificacion="",
                edad_anios="30",
                estado_identificacion="NO IDENTIFICADO",
                municipio_levantamiento="Mixco",
                lugar_levantamiento="Hospital Roosevelt",
                hallazgo="HOSPITAL",
            )
        ],
    )
    link()
    pair = pair_of(("police", "DPI-2024-000001#1"), ("coroner", "AUT-GUA-2024-00412"))
    assert pair is not None, "an unnamed body from a hospital is paired on context whatever the hospital's municipality"
    assert pair.comparisons["place"]["label"] == "unknown"
    assert victim_of("police", "DPI-2024-000001#1") == victim_of("coroner", "AUT-GUA-2024-00412")


def test_a_hospital_admission_compares_the_kind_of_place_its_icd10_external_cause_names(send_rows, link):
    send_rows(
        "police",
        [
            police_row(victima_dni="", tipo_lugar="VIVIENDA"),
            police_row(no_denuncia="DPI-2024-000002", victima_dni="", tipo_lugar="VIA PUBLICA"),
            police_row(no_denuncia="DPI-2024-000003", victima_dni="", tipo_lugar="BUS"),
        ],
    )
    send_rows("hospital", [hospital_row(cie10_causa_externa="X95.0")])  # assault by handgun, at home
    link()
    admission = ("hospital", "HR-2024-118204")
    labels = [
        pair_of((("police", f"DPI-2024-00000{number}#1")), admission).comparisons["place_kind"]["label"]
        for number in (1, 2, 3)
    ]
    assert labels == ["same kind of place", "different", "different"]


def test_a_street_is_compared_as_holding_public_transport(send_rows, link):
    send_rows("police", [police_row(victima_dni="", tipo_lugar="BUS")])
    send_rows("hospital", [hospital_row(cie10_causa_externa="X95.4")])  # street and highway
    link()
    pair = pair_of(("police", "DPI-2024-000001#1"), ("hospital", "HR-2024-118204"))
    assert pair.comparisons["place_kind"]["label"] == "street and public transport"


def test_the_age_of_someone_nobody_named_is_compared_as_an_estimate(send_rows, link):
    send_rows(
        "police",
        [
            police_row(victima_dni="", victima_edad="23"),
            police_row(no_denuncia="DPI-2024-000002", victima_dni="", victima_edad="26", victima_nombre="PEDRO PEREZ"),
        ],
    )
    send_rows(
        "hospital",
        [
            hospital_row(paciente="DESCONOCIDO", edad="25"),
            hospital_row(id_registro="HR-2024-118205", paciente="PEDRO PEREZ", edad="23"),
        ],
    )
    link()
    guessed = pair_of(("police", "DPI-2024-000001#1"), ("hospital", "HR-2024-118204"))
    assert guessed.comparisons["age"]["label"] == "within three years (or 15%), one age estimated"
    written = pair_of(("police", "DPI-2024-000002#1"), ("hospital", "HR-2024-118205"))
    assert written.comparisons["age"]["label"] == "within three years (or 15%)"


def test_two_victims_of_one_incident_are_never_one_victim(send_rows, link):
    send_rows(
        "police",
        [police_row(victima_dni=""), police_row(correlativo_victima="2", victima_nombre="DESCONOCIDO", victima_dni="")],
    )
    send_rows("coroner", [coroner_row(identificacion="")])
    link()
    first, second = ("police", "DPI-2024-000001#1"), ("police", "DPI-2024-000001#2")
    assert victim_of(*first) == victim_of("coroner", "AUT-GUA-2024-00412")
    assert victim_of(*second) != victim_of(*first)
    assert pair_of(first, second) is None  # not even offered for review


def test_a_body_found_weeks_after_its_death_links_to_the_police_report_of_the_finding(send_rows, link):
    # The autopsy's interval runs from the estimated death to the recovery, six weeks: blocked on both ends.
    send_rows(
        "police",
        [police_row(fecha_hecho="21/04/2024", victima_nombre="DESCONOCIDO", victima_dni="", victima_edad="30")],
    )
    send_rows(
        "coroner",
        [
            coroner_row(
                fecha_muerte="2024-03-08",
                fecha_levantamiento="2024-04-21",
                nombre_fallecido="NN",
                identificacion="",
                edad_anios="30",
                estado_identificacion="NO IDENTIFICADO",
                hallazgo="FOSA CLANDESTINA",
            )
        ],
    )
    link()
    assert victim_of("police", "DPI-2024-000001#1") == victim_of("coroner", "AUT-GUA-2024-00412")


def test_a_missing_person_report_links_to_the_body_found_weeks_later(send_rows, link):
    send_rows(
        "police",
        [
            police_row(
                no_denuncia="DPI-2024-000040",
                fecha_hecho="01/02/2024",
                delito="DESAPARICION",
                victima_nombre="ANA MARIA LOPEZ GARCIA",
                victima_sexo="F",
                victima_edad="19",
                victima_dni="",
                arma="",
            )
        ],
    )
    send_rows(
        "coroner",
        [
            coroner_row(
                fecha_levantamiento="2024-03-20",
                fecha_muerte="",
                identificacion="",
                nombre_fallecido="ANA MARÍA LÓPEZ GARCÍA",
                sexo="FEMENINO",
                edad_anios="19",
                hallazgo="FOSA CLANDESTINA",
            )
        ],
    )
    link()
    victim = Victim.objects.get(pk=victim_of("police", "DPI-2024-000040#1"))
    assert victim_of("coroner", "AUT-GUA-2024-00412") == victim.pk
    assert victim.was_reported_missing and victim.died
    assert victim.category == "homicide"  # the death, not the disappearance report
    pair = pair_of(("police", "DPI-2024-000040#1"), ("coroner", "AUT-GUA-2024-00412"))
    assert pair.comparisons["event_dates"]["label"] == "reported missing, found dead later"


def test_police_under_investigation_against_a_coroner_homicide_is_disputed(send_rows, link):
    send_rows("police", [police_row(delito="MUERTE EN INVESTIGACION")])
    send_rows("coroner", [coroner_row()])
    send_rows("hospital", [hospital_row()])
    link()
    victim = Victim.objects.get(pk=victim_of("police", "DPI-2024-000001#1"))
    assert victim.record_count == 3
    assert victim.case_status == Victim.CaseStatus.DISPUTED
    assert victim.category == "homicide"  # forensic medicine decides the manner
    assert victim.icd10_injury == "S211"  # the hospital's diagnosis
    assert victim.attribute_sources["manner"] == record("coroner", "AUT-GUA-2024-00412").pk


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


def test_two_autopsies_are_never_one_victim(send_rows, link):
    send_rows("coroner", [coroner_row(), coroner_row(numero_autopsia="AUT-GUA-2024-00413")])
    link()
    assert victim_of("coroner", "AUT-GUA-2024-00412") != victim_of("coroner", "AUT-GUA-2024-00413")


def test_decisions_are_audited(send_rows, link):
    from observatory.accounts.models import AuditEvent

    pair = _two_people_one_pair(send_rows, link)
    pair_decide(pair=pair, decision=CandidatePair.Decision.UNSURE, user=UserFactory(role="analyst"), note="ask police")
    event = AuditEvent.objects.get(action="reconciliation.pair_decided")
    assert event.detail["decision"] == "unsure" and event.detail["note"] == "ask police"


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
    bad = tmp_path / "bad.csv"
    bad.write_text("source,record\npolice,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="victim_key"):
        call_command("evaluate_linkage", str(bad))


def test_every_import_that_changes_records_queues_an_incremental_run(send_rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run = send_rows("police", [police_row()])
    queued = LinkageRun.objects.get()
    assert queued.kind == LinkageRun.Kind.INCREMENTAL and queued.status == LinkageRun.Status.QUEUED
    assert str(run.pk) in queued.reason
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
    assert "name part on a day:" in run.notes


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
