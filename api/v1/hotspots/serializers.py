"""Stored hotspot analyses and their areas as GeoJSON: counts and statistics of cells and colonias, never a record."""

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatory.hotspots.models import HotspotAnalysis, HotspotArea


class HotspotAnalysisSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)
    periods = serializers.JSONField(
        help_text="Per month: hotspot_cells (hot spots at 95% or more), area_share, next_month, next_incidents, "
        "incident_share (of next month's incidents in them) and pai (Predictive Accuracy Index; null without hot "
        "spots or next incidents)."
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


class HotspotAreaQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["grid", "colonia"], default="grid")
    every_area = serializers.BooleanField(
        default=False, help_text="Also the cells with no incident, no significant statistic and no emerging class."
    )
