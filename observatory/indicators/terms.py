"""The dimensions every published figure is cut by: geography level, series, basis, sex and age band."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from observatory.geography.terms import AGE_BAND_OPEN_FROM, AGE_BAND_WIDTH, age_band_label
from observatory.records.terms import Category

RECONCILED = "reconciled"
# Sex and age band of a figure that covers everyone.
ALL = ""


class UnitLevel(models.TextChoices):
    """The geography levels figures are published at: the administrative hierarchy and the police's own map."""

    COUNTRY = "country", _("Country")
    DEPARTMENT = "department", _("Department")
    MUNICIPALITY = "municipality", _("Municipality")
    COLONIA = "colonia", _("Colonia")
    JURISDICTION = "jurisdiction", _("Police jurisdiction")


class Series(models.TextChoices):
    """What is counted: every category of the records, plus the subsets the observatory publishes on their own."""

    HOMICIDE = Category.HOMICIDE.value, Category.HOMICIDE.label
    FEMICIDE = "femicide", _("Femicide")
    ASSAULT_INJURY = Category.ASSAULT_INJURY.value, Category.ASSAULT_INJURY.label
    ROBBERY = Category.ROBBERY.value, Category.ROBBERY.label
    THEFT = Category.THEFT.value, Category.THEFT.label
    EXTORTION = Category.EXTORTION.value, Category.EXTORTION.label
    KIDNAPPING = Category.KIDNAPPING.value, Category.KIDNAPPING.label
    SEXUAL_VIOLENCE = Category.SEXUAL_VIOLENCE.value, Category.SEXUAL_VIOLENCE.label
    DISAPPEARANCE = Category.DISAPPEARANCE.value, Category.DISAPPEARANCE.label
    SUICIDE = Category.SUICIDE.value, Category.SUICIDE.label
    ROAD_TRAFFIC_DEATH = Category.ROAD_TRAFFIC_DEATH.value, Category.ROAD_TRAFFIC_DEATH.label
    ROAD_TRAFFIC_INJURY = Category.ROAD_TRAFFIC_INJURY.value, Category.ROAD_TRAFFIC_INJURY.label
    UNDETERMINED_DEATH = Category.UNDETERMINED_DEATH.value, Category.UNDETERMINED_DEATH.label
    LEGAL_INTERVENTION = Category.LEGAL_INTERVENTION.value, Category.LEGAL_INTERVENTION.label
    OTHER_ACCIDENT = Category.OTHER_ACCIDENT.value, Category.OTHER_ACCIDENT.label
    NATURAL_DEATH = Category.NATURAL_DEATH.value, Category.NATURAL_DEATH.label
    OTHER = Category.OTHER.value, Category.OTHER.label
    UNIDENTIFIED_BODY = "unidentified_body", _("Unidentified bodies")
    CLANDESTINE_GRAVE = "clandestine_grave", _("Bodies found in clandestine graves")


# Deaths: a record of one of these is a body, whatever its outcome field says.
DEATH_CATEGORIES = frozenset(
    {
        Category.HOMICIDE,
        Category.SUICIDE,
        Category.ROAD_TRAFFIC_DEATH,
        Category.UNDETERMINED_DEATH,
        Category.LEGAL_INTERVENTION,
        Category.NATURAL_DEATH,
    }
)

# The intent a category implies: two records of one victim in different classes are a classification conflict
# (police "death under investigation" against the coroner's "homicide"). Categories that say nothing about the
# manner of death (a robbery, a missing-person report) are left out.
INTENT_CLASS = {
    Category.HOMICIDE: "assault",
    Category.ASSAULT_INJURY: "assault",
    Category.SUICIDE: "self",
    Category.ROAD_TRAFFIC_DEATH: "accident",
    Category.ROAD_TRAFFIC_INJURY: "accident",
    Category.OTHER_ACCIDENT: "accident",
    Category.UNDETERMINED_DEATH: "undetermined",
    Category.LEGAL_INTERVENTION: "legal",
    Category.NATURAL_DEATH: "natural",
}

# The hidden-violence monitor's series: what rises when killings are hidden rather than stopped.
HIDDEN_VIOLENCE_SERIES = (
    Series.DISAPPEARANCE,
    Series.UNIDENTIFIED_BODY,
    Series.CLANDESTINE_GRAVE,
    Series.UNDETERMINED_DEATH,
)

# The 5-year bands (age_band_label) are the geography's, so that every band has its population under the same label.
UNKNOWN_AGE_BAND = "unknown"
AGE_BANDS = [age_band_label(lower) for lower in range(0, AGE_BAND_OPEN_FROM + 1, AGE_BAND_WIDTH)] + [UNKNOWN_AGE_BAND]


def age_band_lower(label: str) -> int | None:
    if label in (ALL, UNKNOWN_AGE_BAND):
        return None
    return int(label.rstrip("+").split("-")[0])
