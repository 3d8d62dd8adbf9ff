"""The observatory's own controlled vocabularies. Each source's values are mapped onto these by its
profile (ingestion/profiles/*.json); the terms themselves are the schema every later stage relies on."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    """ICCS-aligned where possible. Femicide is a flagged subset of homicide (SourceRecord.is_femicide)."""

    HOMICIDE = "homicide", _("Intentional homicide")
    ASSAULT_INJURY = "assault_injury", _("Attempted homicide / assault injury")
    ROBBERY = "robbery", _("Robbery")
    THEFT = "theft", _("Theft")
    EXTORTION = "extortion", _("Extortion")
    KIDNAPPING = "kidnapping", _("Kidnapping")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    DISAPPEARANCE = "disappearance", _("Disappearance / missing person")
    SUICIDE = "suicide", _("Suicide")
    ROAD_TRAFFIC_DEATH = "road_traffic_death", _("Road traffic death")
    ROAD_TRAFFIC_INJURY = "road_traffic_injury", _("Road traffic injury")
    UNDETERMINED_DEATH = "undetermined_death", _("Undetermined violent death")
    LEGAL_INTERVENTION = "legal_intervention", _("Death by legal intervention")
    OTHER_ACCIDENT = "other_accident", _("Other accident")
    NATURAL_DEATH = "natural_death", _("Natural death (out of scope)")
    OTHER = "other", _("Other")


class Weapon(models.TextChoices):
    FIREARM = "firearm", _("Firearm")
    SHARP_OBJECT = "sharp_object", _("Sharp object")
    BLUNT_OBJECT = "blunt_object", _("Blunt object")
    STRANGULATION = "strangulation", _("Strangulation / asphyxia")
    VEHICLE = "vehicle", _("Vehicle")
    FIRE_OR_EXPLOSIVE = "fire_or_explosive", _("Fire or explosive")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    UNKNOWN = "U", _("Unknown")


class Outcome(models.TextChoices):
    DIED = "died", _("Died")
    SURVIVED = "survived", _("Survived")
    MISSING = "missing", _("Missing")
    UNKNOWN = "unknown", _("Unknown")


class PlaceType(models.TextChoices):
    PUBLIC_ROAD = "public_road", _("Public road")
    HOME = "home", pgettext_lazy("place type", "Home")  # not Django's "Home" (the start page: "Inicio")
    BUSINESS = "business", _("Business")
    PUBLIC_TRANSPORT = "public_transport", _("Public transport")
    RIVER_OR_RAVINE = "river_or_ravine", _("River or ravine")
    CLANDESTINE_GRAVE = "clandestine_grave", _("Clandestine grave")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class Manner(models.TextChoices):
    """Manner of death as forensic medicine records it."""

    HOMICIDE = "homicide", _("Homicide")
    SUICIDE = "suicide", _("Suicide")
    ACCIDENT = "accident", _("Accident")
    UNDETERMINED = "undetermined", _("Undetermined")
    NATURAL = "natural", _("Natural")
    UNDER_STUDY = "under_study", _("Under study")


class Intent(models.TextChoices):
    """Intent of an injury as a hospital records it."""

    ASSAULT = "assault", _("Assault")
    SELF_INFLICTED = "self_inflicted", _("Self-inflicted")
    ACCIDENTAL = "accidental", _("Accidental")
    UNKNOWN = "unknown", _("Unknown")


class Identification(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    UNIDENTIFIED = "unidentified", _("Unidentified")
    CLAIMED = "claimed", _("Claimed")


class GeoMethod(models.TextChoices):
    COORDINATES = "coordinates", _("Coordinates inside the declared municipality")
    COORDINATES_SWAPPED = "coordinates_swapped", _("Coordinates with latitude and longitude swapped")
    COORDINATES_ONLY = "coordinates_only", _("Coordinates, no municipality declared")
    GAZETTEER = "gazetteer", _("Place names matched in the gazetteer")
    UNRESOLVED = "unresolved", _("Place not resolved")


# What each vocabulary sorts values into, in words: a vocabulary's name is a profile's key, not for the reader.
VOCABULARY_LABELS = {
    "category": _("offence category"),
    "weapon": _("weapon or mechanism"),
    "sex": _("sex"),
    "outcome": _("outcome"),
    "place_type": _("place type"),
    "manner": _("manner of death"),
    "intent": _("intent"),
    "identification": _("identification"),
}

# The term lists a profile's vocabularies may map onto, by vocabulary name.
TERMS_BY_VOCABULARY: dict[str, type[models.TextChoices]] = {
    "category": Category,
    "weapon": Weapon,
    "sex": Sex,
    "outcome": Outcome,
    "place_type": PlaceType,
    "manner": Manner,
    "intent": Intent,
    "identification": Identification,
}


# The names of the sources the observatory ships with (ingestion/default_profiles), in the reader's language. A
# source added later is named by the free text of its `name`, shown as written.
SHIPPED_SOURCE_NAMES = {
    "police": _("National Police: crime reports (one row per victim)"),
    "coroner": _("Forensic medicine: autopsy register (one row per body)"),
    "hospital": _("Hospitals: discharges and emergencies for injuries from external causes (one row per admission)"),
}

# The same, short, for a column or a list of sources ("Police + Coroner").
SHIPPED_SOURCE_SHORT_NAMES = {"police": _("Police"), "coroner": _("Coroner"), "hospital": _("Hospital")}
