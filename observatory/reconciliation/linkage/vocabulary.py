"""How the linkage reads the observatory's terms. Light on purpose: imported wherever victims are formed,
without the data libraries."""
from observatory.records.terms import Category

# What happened, in families that several sources can describe differently without disagreeing: a hospital's
# assault injury and the coroner's homicide are one story (the victim died later); a police "missing person"
# can end as any death.
CATEGORY_FAMILIES = {
    Category.HOMICIDE: "violence", Category.ASSAULT_INJURY: "violence", Category.LEGAL_INTERVENTION: "violence",
    Category.KIDNAPPING: "violence", Category.ROAD_TRAFFIC_DEATH: "traffic", Category.ROAD_TRAFFIC_INJURY: "traffic",
    Category.SUICIDE: "suicide", Category.UNDETERMINED_DEATH: "undetermined", Category.OTHER_ACCIDENT: "accident",
    Category.NATURAL_DEATH: "natural", Category.ROBBERY: "property", Category.THEFT: "property",
    Category.EXTORTION: "property", Category.SEXUAL_VIOLENCE: "sexual_violence",
}
MISSING_CATEGORIES = (Category.DISAPPEARANCE,)
DEATH_CATEGORIES = (Category.HOMICIDE, Category.SUICIDE, Category.ROAD_TRAFFIC_DEATH, Category.UNDETERMINED_DEATH,
                    Category.LEGAL_INTERVENTION, Category.NATURAL_DEATH)
# Words of the names institutions give someone they could not identify.
PLACEHOLDER_NAME_PARTS = frozenset({"NN", "N", "XX", "X", "DESCONOCIDO", "DESCONOCIDA", "PACIENTE", "SIN", "NOMBRE",
                                    "NO", "IDENTIFICADO", "IDENTIFICADA", "IDENTIFICAR", "ANONIMO", "ANONIMA"})
# A body is recovered up to this many days after death: when only the recovery date is known, the death lies
# in the days before it.
RECOVERY_LAG_DAYS = 3
