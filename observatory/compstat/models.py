"""The commander's week: police incidents copied for fast reading, per data version, and what is computed from them.

Pages and the API read these tables, never the records themselves: the copy (`Incident`) is made in Celery after
every police import, with a spatial index in Web Mercator so that the map's grid of counts is one indexed query.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from observatory.jobs.models import Job
from observatory.records.terms import Category, PlaceType, Weapon


class DataVersion(Job):
    """One build of the incident copy: the police records as they were when it started, and their cut-off."""

    # The police records' latest change and their number: two builds with the same key read the same data.
    records_changed_at = models.DateTimeField(_("records changed at"), null=True)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    cutoff = models.DateField(_("data cut-off"), null=True, help_text=_("The latest day the police records reach."))

    class Meta(Job.Meta):
        verbose_name = _("CompStat data version")
        verbose_name_plural = _("CompStat data versions")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.cutoff or '…'}"


class Incident(models.Model):
    """A police record as a commander may see it: no name, no ID number, no address, no free text."""

    record_id = models.BigIntegerField(primary_key=True)  # the SourceRecord's id
    incident_number = models.CharField(_("incident number"), max_length=100, blank=True)
    day = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True)
    hour = models.SmallIntegerField(_("hour"), null=True)
    weekday = models.SmallIntegerField(_("day of week"), help_text="ISO: 1 Monday … 7 Sunday")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, blank=True)
    weapon = models.CharField(_("weapon"), max_length=32, choices=Weapon.choices, blank=True)
    place_type = models.CharField(_("place type"), max_length=32, choices=PlaceType.choices, blank=True)
    jurisdiction_id = models.IntegerField(null=True)
    colonia_id = models.IntegerField(null=True)
    municipality_id = models.IntegerField(null=True)
    point = models.PointField(_("point (Web Mercator)"), srid=3857, null=True)
    # The point's coordinates again as plain numbers: the map's cells are counted from them, which is several times
    # cheaper per row than reading the geometry.
    x = models.FloatField(null=True)
    y = models.FloatField(null=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-day", "record_id"]
        indexes = [
            models.Index(fields=["day", "category"], name="compstat_incident_by_day"),
            models.Index(fields=["jurisdiction_id", "day"], name="compstat_incident_by_juris"),
        ]


class StoredResult(models.Model):
    """A page's figures for one data version and one question (jurisdiction, date, filters), computed once."""

    version = models.ForeignKey(DataVersion, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64, help_text="SHA-256 of the question's parameters")
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "kind", "key"], name="one_result_per_question")]


class JurisdictionPopulation(models.Model):
    """An estimate: the population of a police jurisdiction in a year, by area weighting of the colonias (or
    municipalities, where no colonia has a figure) it overlaps."""

    class Method(models.TextChoices):
        AREA_WEIGHTED = "area_weighted", _("Area-weighted estimate")

    jurisdiction = models.ForeignKey(
        "geography.PoliceJurisdiction", on_delete=models.CASCADE, related_name="+", verbose_name=_("jurisdiction")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    from_colonias = models.PositiveIntegerField(_("people from colonia figures"), default=0)
    from_municipalities = models.PositiveIntegerField(_("people from municipality figures"), default=0)
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.AREA_WEIGHTED)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jurisdiction population (estimate)")
        verbose_name_plural = _("jurisdiction populations (estimates)")
        ordering = ["jurisdiction", "year"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="one_population_per_jurisdiction_year")
        ]


class WeeklyReport(Job):
    """A printable CompStat report of a jurisdiction (or all) for the week ending on a day, kept as a PDF."""

    jurisdiction = models.ForeignKey(
        "geography.PoliceJurisdiction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    week_ending = models.DateField(_("week ending"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("asked by")
    )
    language = models.CharField(_("language"), max_length=8, default="es")
    version = models.ForeignKey(DataVersion, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(_("PDF"), upload_to="compstat/reports/", blank=True)

    class Meta(Job.Meta):
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-queued_at", "-pk"]
