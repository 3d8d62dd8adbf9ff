"""Stored hotspot analyses: one per data version and parameters (its key), with a row per grid cell and colonia."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from observatory.jobs.models import Job

from .terms import AreaKind, Confidence, EmergingClass, MoranCluster


class HotspotAnalysis(Job):
    """Hot and cold spots, emerging hotspots and the Predictive Accuracy Index of the police records of some months.

    `key` is a hash of the data version (the source's latest record change and its record count) and the
    parameters: asking again for the same analysis of unchanged records finds this row instead of computing anew."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    data_version = models.CharField(_("data version"), max_length=64)
    category = models.CharField(_("category"), max_length=32, blank=True, help_text=_("Empty: every category."))
    jurisdiction = models.ForeignKey(
        "geography.PoliceJurisdiction",
        verbose_name=_("police jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    cell_metres = models.PositiveIntegerField(_("cell size (m)"))
    srid = models.PositiveIntegerField(_("projection (EPSG)"), null=True, blank=True)
    permutations = models.PositiveIntegerField(_("permutations"))
    record_count = models.PositiveIntegerField(_("records"), default=0)
    # Per month: [{"month", "hotspot_cells", "area_share", "next_incidents", "incident_share", "pai"}].
    periods = models.JSONField(_("Predictive Accuracy Index per month"), default=list, blank=True)
    # Figures of the whole analysis: cells, colonias, the kernel bandwidth, the study area's extent.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(Job.Meta):
        verbose_name = _("hotspot analysis")
        verbose_name_plural = _("hotspot analyses")
        ordering = ["-queued_at"]


class HotspotArea(models.Model):
    """One grid cell or colonia of an analysis: its count and what the statistics say of it."""

    analysis = models.ForeignKey(HotspotAnalysis, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(_("kind"), max_length=8, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=32, help_text=_("row-column of a cell; a colonia's code."))
    name = models.CharField(_("name"), max_length=200, blank=True)
    geometry = models.GeometryField(_("geometry"), srid=4326)
    count = models.PositiveIntegerField(_("incidents"))
    gi_z = models.FloatField(_("Gi* z-score"))
    gi_p = models.FloatField(_("Gi* p-value (two-sided, normal)"))
    gi_p_sim = models.FloatField(_("Gi* pseudo p-value (two-sided, permutations)"))
    confidence = models.SmallIntegerField(_("confidence"), choices=Confidence.choices, default=0)
    emerging = models.CharField(_("emerging class"), max_length=16, choices=EmergingClass.choices, blank=True)
    hot_months = models.PositiveSmallIntegerField(_("months as a hot spot"), null=True, blank=True)
    trend_tau = models.FloatField(_("Mann-Kendall tau"), null=True, blank=True)
    trend_p = models.FloatField(_("Mann-Kendall p-value"), null=True, blank=True)
    density = models.FloatField(_("kernel density (incidents per km²)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    rate = models.FloatField(_("rate per 100,000"), null=True, blank=True)
    eb_rate = models.FloatField(_("empirical Bayes rate per 100,000"), null=True, blank=True)
    spatial_eb_rate = models.FloatField(_("spatial empirical Bayes rate per 100,000"), null=True, blank=True)
    moran_cluster = models.CharField(
        _("local Moran cluster"), max_length=2, choices=MoranCluster.choices, blank=True, default=""
    )
    moran_p = models.FloatField(_("local Moran pseudo p-value"), null=True, blank=True)

    class Meta:
        verbose_name = _("hotspot area")
        verbose_name_plural = _("hotspot areas")
        ordering = ["analysis", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["analysis", "kind", "code"], name="one_row_per_analysis_area")]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"
