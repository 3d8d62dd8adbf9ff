"""Stored hotspot analyses and their areas as GeoJSON: counts and statistics of cells and colonias, never a record."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatory.hotspots.models import HotspotAnalysis, HotspotArea


class HotspotAnalysisSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("The police jurisdiction analysed (its code); null: all.")
    )
    periods = serializers.JSONField(
        help_text=_(
            "Per month: hotspot_cells (hot spots at 95% or more), area_share, next_month, next_incidents, "
            "incident_share (of next month's incidents in them) and pai (Predictive Accuracy Index; null without hot "
            "spots or next incidents)."
        )
    )

    class Meta:
        model = HotspotAnalysis
        fields = [
            "id",
            "status",
            "progress",
            "progress_note",
            "error",
            "category",
            "jurisdiction",
            "first_month",
            "last_month",
            "cell_metres",
            "srid",
            "permutations",
            "data_version",
            "record_count",
            "periods",
            "summary",
            "queued_at",
            "finished_at",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Identifier of the analysis.")},
            "status": {"help_text": _("queued, running, done or failed.")},
            "progress": {"help_text": _("Share of the work done, 0 to 1.")},
            "progress_note": {"help_text": _("What the analysis is doing now.")},
            "error": {"help_text": _("Why the analysis failed, when it did.")},
            "category": {"help_text": _("The category of incidents analysed; empty: all.")},
            "first_month": {"help_text": _("First month analysed.")},
            "last_month": {"help_text": _("Last month analysed.")},
            "cell_metres": {"help_text": _("Side of the grid's square cells, in metres.")},
            "srid": {"help_text": _("The metric projection of the grid (EPSG code).")},
            "permutations": {"help_text": _("Permutations of the Gi* inference.")},
            "data_version": {"help_text": _("The version of the police records the analysis read.")},
            "record_count": {"help_text": _("Incidents analysed.")},
            "summary": {"help_text": _("Counts of hot and cold spots, emerging classes and clusters.")},
            "queued_at": {"help_text": _("When the analysis was asked for.")},
            "finished_at": {"help_text": _("When it finished.")},
        }


class HotspotAreaSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = HotspotArea
        geo_field = "geometry"
        id_field = False
        fields = [
            "kind",
            "code",
            "name",
            "count",
            "gi_z",
            "gi_p",
            "gi_p_sim",
            "confidence",
            "emerging",
            "hot_months",
            "trend_tau",
            "trend_p",
            "density",
            "population",
            "rate",
            "eb_rate",
            "spatial_eb_rate",
            "moran_cluster",
            "moran_p",
        ]
        extra_kwargs = {
            "name": {"help_text": _("The colonia's name, or the cell's reference.")},
            "count": {"help_text": _("Incidents in the area over the months analysed.")},
            "gi_z": {"help_text": _("Getis-Ord Gi* z-score.")},
            "gi_p": {"help_text": _("Gi* p-value (normal approximation), before the false discovery rate control.")},
            "gi_p_sim": {"help_text": _("Gi* pseudo p-value from the permutations.")},
            "hot_months": {"help_text": _("Months in which the area was a hot spot.")},
            "trend_tau": {"help_text": _("Mann-Kendall tau of the monthly Gi* z-scores.")},
            "trend_p": {"help_text": _("Mann-Kendall p-value of that trend.")},
            "density": {"help_text": _("Kernel density of incidents, for display.")},
            "population": {"help_text": _("The colonia's population, when known.")},
            "rate": {"help_text": _("Incidents per 100,000 inhabitants.")},
            "eb_rate": {"help_text": _("Empirical-Bayes smoothed rate per 100,000.")},
            "spatial_eb_rate": {"help_text": _("Spatial empirical-Bayes smoothed rate per 100,000.")},
            "moran_p": {"help_text": _("Local Moran's I pseudo p-value.")},
        }


class HotspotAreaQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["grid", "colonia"], default="grid", help_text=_("grid: the square cells; colonia: the colonias.")
    )
    every_area = serializers.BooleanField(
        default=False, help_text=_("Also the cells with no incident, no significant statistic and no emerging class.")
    )
