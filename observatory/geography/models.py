from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .terms import AGE_BAND_CHOICES, EVERYONE, POPULATION_AGE_BANDS, PopulationSex


class Level(models.TextChoices):
    COUNTRY = "country", _("Country")
    DEPARTMENT = "department", _("Department")
    MUNICIPALITY = "municipality", _("Municipality")
    COLONIA = "colonia", _("Colonia")


PARENT_LEVEL: dict[str, str | None] = {
    Level.COUNTRY: None,
    Level.DEPARTMENT: Level.COUNTRY,
    Level.MUNICIPALITY: Level.DEPARTMENT,
    Level.COLONIA: Level.MUNICIPALITY,
}


class AdminUnit(models.Model):
    """One unit of the administrative hierarchy: country > department > municipality > colonia."""

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    code = models.CharField(_("official code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    boundary = models.MultiPolygonField(_("boundary"), srid=4326)
    boundary_source = models.CharField(_("boundary source"), max_length=300, blank=True)
    is_demo = models.BooleanField(
        _("demo unit"), default=False, help_text=_("Generated for the demo; not an official boundary.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="unique_code_per_level"),
            models.CheckConstraint(
                condition=models.Q(level=Level.COUNTRY, parent__isnull=True)
                | (~models.Q(level=Level.COUNTRY) & models.Q(parent__isnull=False)),
                name="only_country_without_parent",
            ),
        ]
        indexes = [models.Index(fields=["parent", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()} {self.code})"


class PoliceJurisdiction(models.Model):
    """A police district or station area: its own layer, because it does not follow municipal lines."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    boundary = models.MultiPolygonField(_("boundary"), srid=4326)
    boundary_source = models.CharField(_("boundary source"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo unit"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("police jurisdiction")
        verbose_name_plural = _("police jurisdictions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PopulationKind(models.TextChoices):
    CENSUS = "census", _("Census")
    PROJECTION = "projection", _("Projection")
    ESTIMATE = "estimate", _("Estimate")
    DEMO = "demo", _("Demo figure")


class Population(models.Model):
    """Mid-year (1 July) population of a unit, of everyone or of a group (a sex, an age band, or both); months
    between figures are interpolated."""

    unit = models.ForeignKey(AdminUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=1, choices=PopulationSex.choices, blank=True, default=EVERYONE)
    age_band = models.CharField(_("age band"), max_length=8, choices=AGE_BAND_CHOICES, blank=True, default=EVERYONE)
    population = models.PositiveIntegerField(_("population"))
    kind = models.CharField(_("kind"), max_length=16, choices=PopulationKind.choices)
    source = models.CharField(_("source"), max_length=300)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["unit", "year", "sex", "age_band"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sex", "age_band"], name="one_population_per_unit_year_group"
            ),
            models.CheckConstraint(condition=models.Q(year__gte=1800, year__lte=2200), name="plausible_year"),
            models.CheckConstraint(condition=models.Q(sex__in=PopulationSex.values), name="population_sex_known"),
            models.CheckConstraint(
                condition=models.Q(age_band__in=[EVERYONE, *POPULATION_AGE_BANDS]), name="population_age_band_known"
            ),
        ]

    def __str__(self) -> str:
        group = " ".join(part for part in (self.sex, self.age_band) if part)
        return f"{self.unit.name} {self.year}{f' ({group})' if group else ''}: {self.population}"

    @property
    def is_demo(self) -> bool:
        return self.kind == PopulationKind.DEMO


class PlaceName(models.Model):
    """Gazetteer entry: an official name or an alias of a unit, with its folded matching key."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official name")
        ALIAS = "alias", _("Alias")

    unit = models.ForeignKey(AdminUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="place_names")
    name = models.CharField(_("name"), max_length=200)
    folded = models.CharField(_("matching key"), max_length=200, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ALIAS)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, editable=False)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("gazetteer")
        ordering = ["folded"]
        constraints = [models.UniqueConstraint(fields=["unit", "folded"], name="one_key_per_unit")]
        indexes = [models.Index(fields=["level", "folded"])]

    def __str__(self) -> str:
        return f"{self.name} → {self.unit.name}"
