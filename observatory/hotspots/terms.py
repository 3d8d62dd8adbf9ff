"""The hotspot analysis' vocabularies: the areas it counts in, its confidence classes, emerging-hotspot classes and
local Moran's I clusters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    GRID = "grid", _("Grid cells")
    COLONIA = "colonia", _("Colonias")


class Confidence(models.IntegerChoices):
    """A Gi* hot (positive) or cold (negative) spot at the highest confidence it keeps after the false discovery rate
    correction; 0 not significant."""

    HOT_99 = 3, _("Hot spot (99%)")
    HOT_95 = 2, _("Hot spot (95%)")
    HOT_90 = 1, _("Hot spot (90%)")
    NOT_SIGNIFICANT = 0, _("Not significant")
    COLD_90 = -1, _("Cold spot (90%)")
    COLD_95 = -2, _("Cold spot (95%)")
    COLD_99 = -3, _("Cold spot (99%)")


# The significance levels of the classes above, strongest first: (confidence level, alpha).
CONFIDENCE_LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))
# The weakest class counted as a hot spot in a month (emerging hotspots) and for the Predictive Accuracy Index.
HOTSPOT_MIN_CONFIDENCE = Confidence.HOT_95


class EmergingClass(models.TextChoices):
    """ArcGIS's Emerging Hot Spot Analysis classes, simplified (the page states the rules)."""

    NEW = "new", _("New")
    INTENSIFYING = "intensifying", _("Intensifying")
    PERSISTENT = "persistent", _("Persistent")
    DIMINISHING = "diminishing", _("Diminishing")
    SPORADIC = "sporadic", _("Sporadic")
    NO_PATTERN = "no_pattern", _("No pattern")


class MoranCluster(models.TextChoices):
    HIGH_HIGH = "HH", _("High rate among high rates")
    LOW_LOW = "LL", _("Low rate among low rates")
    HIGH_LOW = "HL", _("High rate among low rates")
    LOW_HIGH = "LH", _("Low rate among high rates")
    NONE = "", _("Not significant")


class DisplacementReading(models.TextChoices):
    """What a weighted displacement quotient says (Bowers & Johnson 2003)."""

    NO_REDUCTION = (
        "no_reduction",
        _("Incidents did not fall in the area relative to the rest: there is no effect to weigh displacement against."),
    )
    NO_CONTROL = "no_control", _("No incidents in the rest of the study area in one of the periods: no quotient.")
    DIFFUSION_GREATER = (
        "diffusion_greater",
        _("Diffusion of benefits: incidents also fell in the ring around the area, by more than in the area itself."),
    )
    DIFFUSION = (
        "diffusion",
        _("Diffusion of benefits: incidents also fell in the ring around the area, by less than in the area itself."),
    )
    NEITHER = "neither", _("Neither displacement nor diffusion: the ring did not change relative to the rest.")
    DISPLACEMENT_LESS = (
        "displacement_less",
        _("Some displacement to the ring, smaller than the fall in the area: a net reduction."),
    )
    DISPLACEMENT_GREATER = (
        "displacement_greater",
        _("Displacement to the ring larger than the fall in the area: incidents moved next door, and more of them."),
    )
