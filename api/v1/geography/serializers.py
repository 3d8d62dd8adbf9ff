from django.urls import reverse
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatory.geography.models import AdminUnit, PoliceJurisdiction, Population
from observatory.indicators.terms import UnitLevel

COORDINATE_PRECISION = 5  # about one metre


class AdminUnitSerializer(GeoFeatureModelSerializer):
    # Named after the model field (the OpenAPI schema describes it from there), filled with the simplified shape.
    boundary = GeometryField(source="display_boundary", read_only=True, precision=COORDINATE_PRECISION)
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)
    population = serializers.IntegerField(source="latest_population", read_only=True)
    population_year = serializers.IntegerField(source="latest_population_year", read_only=True)
    population_is_demo = serializers.SerializerMethodField()
    population_source = serializers.CharField(source="latest_population_source", read_only=True)

    class Meta:
        model = AdminUnit
        geo_field = "boundary"
        id_field = "id"
        fields = [
            "id",
            "level",
            "code",
            "name",
            "parent_code",
            "parent_name",
            "is_demo",
            "boundary_source",
            "population",
            "population_year",
            "population_is_demo",
            "population_source",
        ]

    def get_population_is_demo(self, unit) -> bool | None:
        if unit.latest_population_kind is None:
            return None
        return unit.latest_population_kind == "demo"


class PoliceJurisdictionSerializer(GeoFeatureModelSerializer):
    # Named after the model field (the OpenAPI schema describes it from there), filled with the simplified shape.
    boundary = GeometryField(source="display_boundary", read_only=True, precision=COORDINATE_PRECISION)

    class Meta:
        model = PoliceJurisdiction
        geo_field = "boundary"
        id_field = "id"
        fields = ["id", "code", "name", "is_demo", "boundary_source"]


class PopulationSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    level = serializers.CharField(source="unit.level", read_only=True)
    is_demo = serializers.BooleanField(read_only=True)

    class Meta:
        model = Population
        fields = [
            "unit_code",
            "unit_name",
            "level",
            "year",
            "sex",
            "age_band",
            "population",
            "kind",
            "source",
            "is_demo",
        ]


class PopulationEstimateSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    population = serializers.FloatField()
    method = serializers.CharField()
    is_demo = serializers.BooleanField()
    sources = serializers.ListField(child=serializers.CharField())


class PopulationEstimateQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1800, max_value=2200)
    month = serializers.IntegerField(min_value=1, max_value=12)


class PlaceSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="A name or an alias, or its first letters.")
    limit = serializers.IntegerField(min_value=1, max_value=30, default=10, required=False)


class PlaceMatchSerializer(serializers.Serializer):
    level = serializers.CharField()
    level_name = serializers.SerializerMethodField(help_text="The level's name in the reader's language.")
    code = serializers.CharField()
    name = serializers.CharField(help_text="The official name.")
    parent_name = serializers.CharField(help_text="The name of the unit it lies in (empty for the country).")
    alias = serializers.CharField(help_text="The alias that matched, when not the official name.")
    page = serializers.SerializerMethodField(help_text="The unit's public page.")

    def get_level_name(self, match) -> str:
        return str(UnitLevel(match.level).label)

    def get_page(self, match) -> str:
        return reverse("dashboards:unit", kwargs={"level": match.level, "code": match.code})
