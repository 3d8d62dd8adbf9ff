"""The victim-level open data's contract (docs/privacy.md): its columns, in order, with their types and meaning.

Kept: a random public id, the day and month, municipality, colonia, category, weapon or mechanism, sex, 5-year age
band, place type, the sources that recorded the case, the case status, and a snapped location. Never: names, ID
numbers, addresses, free text, source record ids, times of day, birth dates, exact points.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless Table Schema type
    description: str  # English, marked for translation: the API's schema gives it in the reader's language


VICTIM_COLUMNS = (
    Column(
        "id",
        "string",
        gettext_noop("Public id of the victim: random, kept from one release to the next, from no source id."),
    ),
    Column("date", "date", gettext_noop("Day of the event (or of the death where the event's is unknown).")),
    Column("month", "yearmonth", gettext_noop("Month of the event, YYYY-MM.")),
    Column("municipality_code", "string", gettext_noop("Official code of the municipality.")),
    Column("municipality", "string", gettext_noop("Name of the municipality.")),
    Column(
        "colonia_code", "string", gettext_noop("Official code of the colonia (neighbourhood); empty where unknown.")
    ),
    Column("colonia", "string", gettext_noop("Name of the colonia; empty where unknown.")),
    Column("category", "string", gettext_noop("Reconciled category (homicide, assault_injury, suicide, ...).")),
    Column("weapon", "string", gettext_noop("Weapon or mechanism (firearm, sharp_object, ...); empty where unknown.")),
    Column("sex", "string", gettext_noop("M, F or U (unknown).")),
    Column("age_band", "string", gettext_noop("5-year age band (20-24, ..., 80+) or unknown.")),
    Column("place_type", "string", gettext_noop("Kind of place (public_road, business, ...); empty where unknown.")),
    Column("sources", "string", gettext_noop("The sources that recorded the case, joined by + (coroner+police).")),
    Column("case_status", "string", gettext_noop("confirmed (autopsy and another source), probable, or under_study.")),
    Column(
        "longitude",
        "number",
        gettext_noop(
            "Centre of the {metres} m grid cell the case fell in (WGS84), or the colonia's centroid where fewer "
            "than {cases} cases of the year share the cell; empty where neither is known."
        ),
    ),
    Column("latitude", "number", gettext_noop("As longitude.")),
)
VICTIM_COLUMN_NAMES = tuple(column.name for column in VICTIM_COLUMNS)

# The observatory's case statuses as the contract names them.
CASE_STATUS = {
    "confirmed": "confirmed",
    "corroborated": "probable",
    "single_source": "probable",
    "disputed": "under_study",
}
UNDER_STUDY = "under_study"
