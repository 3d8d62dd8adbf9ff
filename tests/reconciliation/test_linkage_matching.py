"""Which police, coroner and hospital records are one victim, and on what evidence: rows taken in through the
real pipeline, linked with the shipped priors."""

from observatory.reconciliation.models import Victim

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


def test_two_autopsies_are_never_one_victim(send_rows, link):
    send_rows("coroner", [coroner_row(), coroner_row(numero_autopsia="AUT-GUA-2024-00413")])
    link()
    assert victim_of("coroner", "AUT-GUA-2024-00412") != victim_of("coroner", "AUT-GUA-2024-00413")
