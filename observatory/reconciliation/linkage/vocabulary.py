"""How the linkage reads the observatory's terms. Light on purpose: imported wherever victims are formed,
without the data libraries."""

from django.utils.translation import gettext_lazy as _

from observatory.records.terms import Category, PlaceType, Weapon

# The blocking rules of candidates.py, as the runs page names them.
BLOCKING_RULE_NAMES = {
    "id_number": _("ID number"),
    "name": _("name"),
    "names_and_days": _("two name parts on nearby days"),
    "sound_and_place": _("a name part that sounds alike, same municipality, nearby days"),
    "colonia": _("same colonia, nearby days"),
    "context": _("day, for records without a name"),
}

# What happened, in families that several sources can describe differently without disagreeing: a hospital's
# assault injury and the coroner's homicide are one story (the victim died later); a police "missing person"
# can end as any death.
CATEGORY_FAMILIES = {
    Category.HOMICIDE: "violence",
    Category.ASSAULT_INJURY: "violence",
    Category.LEGAL_INTERVENTION: "violence",
    Category.KIDNAPPING: "violence",
    Category.ROAD_TRAFFIC_DEATH: "traffic",
    Category.ROAD_TRAFFIC_INJURY: "traffic",
    Category.SUICIDE: "suicide",
    Category.UNDETERMINED_DEATH: "undetermined",
    Category.OTHER_ACCIDENT: "accident",
    Category.NATURAL_DEATH: "natural",
    Category.ROBBERY: "property",
    Category.THEFT: "property",
    Category.EXTORTION: "property",
    Category.SEXUAL_VIOLENCE: "sexual_violence",
}
MISSING_CATEGORIES = (Category.DISAPPEARANCE,)
DEATH_CATEGORIES = (
    Category.HOMICIDE,
    Category.SUICIDE,
    Category.ROAD_TRAFFIC_DEATH,
    Category.UNDETERMINED_DEATH,
    Category.LEGAL_INTERVENTION,
    Category.NATURAL_DEATH,
)
# Words of the names institutions give someone they could not identify.
PLACEHOLDER_NAME_PARTS = frozenset(
    {
        "NN",
        "N",
        "XX",
        "X",
        "DESCONOCIDO",
        "DESCONOCIDA",
        "PACIENTE",
        "SIN",
        "NOMBRE",
        "NO",
        "IDENTIFICADO",
        "IDENTIFICADA",
        "IDENTIFICAR",
        "ANONIMO",
        "ANONIMA",
    }
)
# Words of health facilities' names that do not tell one from another ("Hospital Nacional de ...").
FACILITY_GENERIC_WORDS = frozenset(
    {
        "hospital",
        "hosp",
        "nacional",
        "general",
        "regional",
        "departamental",
        "centro",
        "salud",
        "clinica",
        "sanatorio",
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "y",
    }
)
# Words of addresses that say how to find a place, not which place it is ("3a. calle, frente a pulpería").
ADDRESS_WORDS = frozenset(
    {
        "calle",
        "avenida",
        "ave",
        "zona",
        "frente",
        "esquina",
        "entre",
        "interior",
        "inmediaciones",
        "altura",
        "carretera",
        "kilometro",
        "casa",
        "lote",
        "manzana",
        "via",
        "publica",
        "pulperia",
        "tienda",
        "iglesia",
        "parque",
        "mercado",
        "bus",
        "ruta",
        "urbano",
    }
)
# A body is recovered up to this many days after death: when only the recovery date is known, the death lies
# in the days before it.
RECOVERY_LAG_DAYS = 3
# The mechanism an ICD-10 external cause names (three-character codes, inclusive ranges): what a record that
# gives a code and no weapon (a hospital admission) says about the weapon. Intent does not matter here: an assault
# by handgun (X93), a self-inflicted (X72) or undetermined one (Y22) all say "firearm".
ICD10_MECHANISMS = {
    Weapon.FIREARM: ("W32-W34", "X72-X74", "X93-X95", "Y22-Y24"),
    Weapon.SHARP_OBJECT: ("W25-W26", "X78", "X99", "Y28"),
    Weapon.BLUNT_OBJECT: ("X79", "Y00", "Y29"),
    Weapon.STRANGULATION: ("X70", "X91", "Y20"),
    Weapon.VEHICLE: ("V01-V99",),
    Weapon.FIRE_OR_EXPLOSIVE: ("X00-X09", "X75-X77", "X96-X98", "Y25-Y27"),
}
# ICD-10's fourth character of an external cause from W00 to Y34 (but for Y06-Y07, where it names the
# perpetrator) says where it happened: .0 home, .4 street and highway, .5 trade and service area; the others
# (school, farm, "other specified") name no place type the police or the coroner record.
ICD10_PLACE_OF_OCCURRENCE_CAUSES = ("W00", "Y34")
ICD10_FOURTH_CHARACTER_NOT_A_PLACE = ("Y06", "Y07")
ICD10_PLACES_OF_OCCURRENCE = {"0": PlaceType.HOME, "4": PlaceType.PUBLIC_ROAD, "5": PlaceType.BUSINESS}
