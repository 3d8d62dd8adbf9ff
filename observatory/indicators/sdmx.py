"""The monthly figures in SDMX, the exchange format of UNODC and the statistical offices: the data as SDMX-CSV 2.0
and the data structure (DSD and dataflow) as SDMX-ML 2.1, which SDMX tools need to read the CSV.

Dimensions: REF_AREA (the level and the unit's code, MUNICIPALITY_0108), INDICATOR (the category, HOMICIDE), SEX
(M, F, _U unknown, _T everyone), AGE (Y15T19, Y_GE80, _U unknown, _T every age), SOURCE (POLICE, CORONER, HOSPITAL,
RECONCILED), UNIT_MEASURE (NUMBER: the month's count; PER_100000_YEAR: its rate per 100,000 a year) and
TIME_PERIOD (YYYY-MM). Attributes of each observation: OBS_STATUS (A normal, P provisional, U low reliability:
a rate on fewer than 20 events, M missing: no source covered the month), CONF_STATUS (F free, C a small count
suppressed, D hidden so that a total cannot give one back) and LOWER_BOUND / UPPER_BOUND (the rate's exact 95%
interval). A suppressed figure has no value and says why in CONF_STATUS.
"""

from collections.abc import Iterable, Iterator
from datetime import date

from django.conf import settings

from observatory.csv_stream import csv_blocks

from .models import MonthlySeries, Vintage
from .selectors import PROVISIONAL, figure_records, figures_frame
from .terms import UNKNOWN_AGE_BAND

DSD_ID = "CRIME_MONTHLY"
DATAFLOW_ID = "DF_CRIME_MONTHLY"
VERSION = "1.0"
DIMENSIONS = ("REF_AREA", "INDICATOR", "SEX", "AGE", "SOURCE", "UNIT_MEASURE", "TIME_PERIOD")
ATTRIBUTES = ("OBS_STATUS", "CONF_STATUS", "LOWER_BOUND", "UPPER_BOUND")
HEADER = ("STRUCTURE", "STRUCTURE_ID", "ACTION", *DIMENSIONS, "OBS_VALUE", *ATTRIBUTES)
MEDIA_TYPE = "application/vnd.sdmx.data+csv; version=2.0.0"
_SEX = {"": "_T", "U": "_U"}
_CONFIDENTIALITY = {"": "F", "primary": "C", "complementary": "D"}


def dataflow_reference() -> str:
    return f"{settings.OPEN_DATA_SDMX_AGENCY}:{DATAFLOW_ID}({VERSION})"


def _age(band: str) -> str:
    if band == "":
        return "_T"
    if band == UNKNOWN_AGE_BAND:
        return "_U"
    if band.endswith("+"):
        return f"Y_GE{int(band[:-1])}"
    low, high = band.split("-")
    return f"Y{int(low)}T{int(high)}"


def _number(value) -> str:
    if value is None or isinstance(value, str):
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _observations(figure: dict, prefix: list[str]) -> Iterator[list[str]]:
    """The count and, where the unit has a population, the annual rate of one figure."""
    no_data = figure["coverage"] == 0
    status = "M" if no_data else "P" if figure["status"] == PROVISIONAL else "A"
    confidentiality = _CONFIDENTIALITY[figure["suppressed"]]
    yield [*prefix, "NUMBER", figure["month"], _number(figure["count"]), status, confidentiality, "", ""]
    if figure["population"] is None:
        return
    rate_status = "U" if status == "A" and figure["unstable"] else status
    yield [
        *prefix,
        "PER_100000_YEAR",
        figure["month"],
        _number(figure["annual_rate"]),
        rate_status,
        confidentiality,
        _number(figure["annual_rate_low"]),
        _number(figure["annual_rate_high"]),
    ]


def sdmx_csv(
    *,
    chunks: Iterable[list[MonthlySeries]],
    vintage: Vintage,
    month_from: date | None = None,
    month_to: date | None = None,
    public: bool = True,
) -> Iterator[bytes]:
    """SDMX-CSV 2.0 of the figures of every series in `chunks`, as the public sees them when `public`, in blocks."""
    return csv_blocks(
        header=HEADER,
        rows=_sdmx_rows(chunks=chunks, vintage=vintage, month_from=month_from, month_to=month_to, public=public),
    )


def _sdmx_rows(
    *,
    chunks: Iterable[list[MonthlySeries]],
    vintage: Vintage,
    month_from: date | None,
    month_to: date | None,
    public: bool,
) -> Iterator[list[str]]:
    reference = dataflow_reference()
    for chunk in chunks:
        frame = figures_frame(rows=chunk, vintage=vintage, month_from=month_from, month_to=month_to, public=public)
        for figure in figure_records(frame):
            prefix = [
                "dataflow",
                reference,
                "I",
                f"{figure['level'].upper()}_{figure['unit_code']}",
                figure["category"].upper(),
                _SEX.get(figure["sex"], figure["sex"]),
                _age(figure["age_band"]),
                figure["basis"].upper(),
            ]
            yield from _observations(figure, prefix)


def structure_message() -> bytes:
    """The data structure definition and the dataflow, as an SDMX-ML 2.1 structure message."""
    # Here, not above: the URL configuration imports this module, and sdmx1 takes half a second to load.
    import sdmx
    from sdmx.message import StructureMessage
    from sdmx.model import common, v21

    agency = common.Agency(id=settings.OPEN_DATA_SDMX_AGENCY)
    name = {"en": "Crime observatory: monthly figures", "es": "Observatorio del delito: cifras mensuales"}
    dsd = v21.DataStructureDefinition(id=DSD_ID, version=VERSION, maintainer=agency, name=name)
    for position, dimension in enumerate(DIMENSIONS[:-1]):
        dsd.dimensions.append(v21.Dimension(id=dimension, order=position))
    dsd.dimensions.append(v21.TimeDimension(id=DIMENSIONS[-1], order=len(DIMENSIONS) - 1))
    dsd.measures.append(v21.PrimaryMeasure(id="OBS_VALUE"))
    for attribute in ATTRIBUTES:
        dsd.attributes.append(v21.DataAttribute(id=attribute, related_to=v21.PrimaryMeasureRelationship()))
    dataflow = v21.DataflowDefinition(id=DATAFLOW_ID, version=VERSION, maintainer=agency, name=name, structure=dsd)
    message = StructureMessage()
    message.add(dsd)
    message.add(dataflow)
    return sdmx.to_xml(message, pretty_print=True)
