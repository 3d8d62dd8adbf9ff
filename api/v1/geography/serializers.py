from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatory.geography.models import AdminUnit, PoliceJurisdiction, Population
from observatory.indicators.terms import UnitLevel

from ..descriptions import ID, LEVEL, UNIT_CODE, UNIT_NAME

COORDINATE_PRECISION = 5  # about one metre

_BOUNDARY_SOURCE = _("Where the boundary comes from (publisher and date).")
_IS_DEMO_UNIT = _("Generated for the demo; not an official boundary.")
_POPULATION_IS_DEMO = _("A demo figure, not an official one.")


# A display boundary is an annotation (the simplified shape), not a model field: its schema is stated here.
_MULTIPOLYGON_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["MultiPolygon"]},
        "coordinates": {
            "type": "array",
            "items": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
            },
        },
    },
    "required": ["type", "coordinates"],
}


@extend_schema_field(_MULTIPOLYGON_SCHEMA)
class DisplayBoundaryField(GeometryField):
    pass


class AdminUnitSerializer(GeoFeatureModelSerializer):
    # Named after the model field (the OpenAPI schema describes it from there), filled with the simplified shape.
    boundary = DisplayBoundaryField(
        source="display_boundary",
        read_only=True,
        precision=COORDINATE_PRECISION,
        help_text=_("The unit's boundary, simplified for display (GeoJSON MultiPolygon, WGS84)."),
    )
    parent_code = serializers.CharField(
        source="parent.code", read_only=True, default=None, allow_null=True, help_text=_("Code of the unit it lies in.")
    )
    parent_name = serializers.CharField(
        source="parent.name", read_only=True, default=None, allow_null=True, help_text=_("Name of the unit it lies in.")
    )
    population = serializers.IntegerField(
        source="latest_population", read_only=True, allow_null=True, help_text=_("Its latest mid-year population.")
    )
    population_year = serializers.IntegerField(
        source="latest_population_year", read_only=True, allow_null=True, help_text=_("Year of that population.")
    )
    population_is_demo = serializers.SerializerMethodField(
        help_text=_("The population is a demo figure, not an official one; null without population.")
    )
    population_source = serializers.CharField(
        source="latest_population_source",
        read_only=True,
        allow_null=True,
        help_text=_("Where that population comes from."),
    )

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
        extra_kwargs = {
            "id": {"help_text": ID},
            "level": {"help_text": _("Level: country, department, municipality or colonia.")},
            "code": {"help_text": _("Official code of the unit.")},
            "name": {"help_text": UNIT_NAME},
            "is_demo": {"help_text": _IS_DEMO_UNIT},
            "boundary_source": {"help_text": _BOUNDARY_SOURCE},
        }

    def get_population_is_demo(self, unit) -> bool | None:
        if unit.latest_population_kind is None:
            return None
        return unit.latest_population_kind == "demo"


class PoliceJurisdictionSerializer(GeoFeatureModelSerializer):
    # Named after the model field (the OpenAPI schema describes it from there), filled with the simplified shape.
    boundary = DisplayBoundaryField(
        source="display_boundary",
        read_only=True,
        precision=COORDINATE_PRECISION,
        help_text=_("The jurisdiction's boundary, simplified for display (GeoJSON MultiPolygon, WGS84)."),
    )

    class Meta:
        model = PoliceJurisdiction
        geo_field = "boundary"
        id_field = "id"
        fields = ["id", "code", "name", "is_demo", "boundary_source"]
        extra_kwargs = {
            "id": {"help_text": ID},
            "code": {"help_text": _("The police's code of the jurisdiction.")},
            "name": {"help_text": _("Name of the jurisdiction.")},
            "is_demo": {"help_text": _IS_DEMO_UNIT},
            "boundary_source": {"help_text": _BOUNDARY_SOURCE},
        }


class PopulationSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True, help_text=UNIT_CODE)
    unit_name = serializers.CharField(source="unit.name", read_only=True, help_text=UNIT_NAME)
    level = serializers.CharField(source="unit.level", read_only=True, help_text=LEVEL)
    is_demo = serializers.BooleanField(read_only=True, help_text=_POPULATION_IS_DEMO)

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
        extra_kwargs = {
            "year": {"help_text": _("Year of the mid-year figure.")},
            "sex": {"help_text": _("M or F; empty for both sexes.")},
            "age_band": {"help_text": _("5-year age band (00-04, ..., 80+); empty for every age.")},
            "population": {"help_text": _("People living in the unit at mid-year.")},
            "kind": {"help_text": _("census, projection, estimate or demo (a figure made up for the demo).")},
            "source": {"help_text": _("Where the figure comes from.")},
        }


class PopulationEstimateSerializer(serializers.Serializer):
    unit_code = serializers.CharField(help_text=UNIT_CODE)
    year = serializers.IntegerField(help_text=_("Year asked for."))
    month = serializers.IntegerField(help_text=_("Month asked for, 1 to 12."))
    population = serializers.FloatField(help_text=_("Estimated population at mid-month."))
    method = serializers.CharField(
        help_text=_(
            "How it was obtained: interpolated between two mid-year figures, extrapolated (the nearest figure "
            "carried) or single figure."
        )
    )
    is_demo = serializers.BooleanField(help_text=_POPULATION_IS_DEMO)
    sources = serializers.ListField(
        child=serializers.CharField(), help_text=_("Where the mid-year figures used come from.")
    )


class PopulationEstimateQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1800, max_value=2200, help_text=_("Year, e.g. 2024."))
    month = serializers.IntegerField(min_value=1, max_value=12, help_text=_("Month, 1 to 12."))


class PlaceSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text=_("A name or an alias, or its first letters."))
    limit = serializers.IntegerField(
        min_value=1, max_value=30, default=10, required=False, help_text=_("How many matches at most (1 to 30).")
    )


class PlaceMatchSerializer(serializers.Serializer):
    level = serializers.CharField(help_text=LEVEL)
    level_name = serializers.SerializerMethodField(help_text=_("The level's name in the reader's language."))
    code = serializers.CharField(help_text=UNIT_CODE)
    name = serializers.CharField(help_text=_("The official name."))
    parent_name = serializers.CharField(help_text=_("The name of the unit it lies in (empty for the country)."))
    alias = serializers.CharField(help_text=_("The alias that matched, when not the official name."))
    page = serializers.SerializerMethodField(help_text=_("The unit's public page."))

    def get_level_name(self, match) -> str:
        return str(UnitLevel(match.level).label)

    def get_page(self, match) -> str:
        return reverse("dashboards:unit", kwargs={"level": match.level, "code": match.code})
