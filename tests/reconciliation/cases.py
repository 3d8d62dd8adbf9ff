"""One small set of cases for the review pages and the browser test: three police reports and two autopsies.

- José Luis Martínez: a police report and his autopsy share name, ID number and day: one victim, no review.
  A second police report of the same day (another unit, no time, no colonia, no kind of place) misspells his name,
  has no ID number and an age three years off: it pairs with the autopsy and with the first report in the review
  band, and stays apart, because his victim already holds a police record.
- Ana María López: a police report and an autopsy with a misspelt surname, no ID numbers, ages four years
  apart and a place of recovery that names no colonia nor its kind: in the review band, linked provisionally
  (nothing else explains either record).
"""

from django.conf import settings

from observatory.reconciliation.models import CandidatePair

from .conftest import coroner_row, pair_of, police_row

JOSE = ("police", "DPI-2024-000001#1")
JOSE_AUTOPSY = ("coroner", "AUT-GUA-2024-00412")
JOSE_SECOND_REPORT = ("police", "DPI-2024-000233#1")
ANA = ("police", "DPI-2024-000310#1")
ANA_AUTOPSY = ("coroner", "AUT-GUA-2024-00530")


def review_case_rows() -> dict[str, list[dict]]:
    return {
        "police": [
            police_row(),
            police_row(
                no_denuncia="DPI-2024-000233",
                hora_hecho="",
                victima_nombre="JOSE LUIS MARTINES RIVERA",
                victima_dni="",
                victima_edad="26",
                unidad="UMEP-5",
                colonia="",
                tipo_lugar="",
            ),
            police_row(
                no_denuncia="DPI-2024-000310",
                fecha_hecho="02/04/2024",
                hora_hecho="07:15",
                victima_nombre="ANA MARIA LOPEZ GARCIA",
                victima_dni="",
                victima_sexo="MUJER",
                victima_edad="31",
                arma="ARMA BLANCA",
                direccion="Colonia Belén, callejón 4",
            ),
        ],
        "coroner": [
            coroner_row(),
            coroner_row(
                numero_autopsia="AUT-GUA-2024-00530",
                fecha_levantamiento="2024-04-02",
                fecha_muerte="2024-04-02",
                nombre_fallecido="ANA MARÍA LÓPES GARCÍA",
                identificacion="",
                sexo="FEMENINO",
                edad_anios="35",
                mecanismo="ARMA BLANCA",
                causa_basica_cie10="X99",
                estado_identificacion="IDENTIFICADO",
                lugar_levantamiento="callejón 4, frente a la iglesia",
                hallazgo="OTRO",
            ),
        ],
    }


def review_case_pairs() -> dict[str, CandidatePair]:
    """The scored pairs of the cases, checked to lie where the tests need them (with the shipped priors)."""
    pairs = {
        "sure": pair_of(JOSE, JOSE_AUTOPSY),
        "apart": pair_of(JOSE_SECOND_REPORT, JOSE_AUTOPSY),
        "reports": pair_of(JOSE, JOSE_SECOND_REPORT),
        "provisional": pair_of(ANA, ANA_AUTOPSY),
    }
    band = (settings.RECONCILIATION_REVIEW_THRESHOLD, settings.RECONCILIATION_MATCH_THRESHOLD)
    assert pairs["sure"] is not None and pairs["sure"].match_probability >= band[1], (
        f"the report and autopsy sharing name, ID and day should link outright: {pairs['sure']!r}"
    )
    for name in ("apart", "reports", "provisional"):
        pair = pairs[name]
        assert pair is not None, f"pair '{name}' was not kept by the blocking or scored below the review threshold"
        assert band[0] <= pair.match_probability < band[1], (
            f"pair '{name}' should lie in the review band {band}, scored {pair.match_probability:.3f}; "
            f"evidence: {pair.comparisons} (model_priors.json changed?)"
        )
    return pairs
