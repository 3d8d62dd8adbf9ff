from rest_framework import serializers

from observatory.compstat.models import Incident


class IncidentSerializer(serializers.ModelSerializer):
    """What a commander may read of one incident: never a name, an ID number or an address."""

    category_label = serializers.CharField(source="get_category_display", read_only=True)
    weapon_label = serializers.CharField(source="get_weapon_display", read_only=True)
    place_type_label = serializers.CharField(source="get_place_type_display", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "record_id",
            "incident_number",
            "day",
            "time",
            "category",
            "category_label",
            "weapon",
            "weapon_label",
            "place_type",
            "place_type_label",
        ]


class _PointSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The incident's id in /compstat/incidents/.")
    lon_lat = serializers.ListField(child=serializers.FloatField())
    category = serializers.CharField()


class _CellSerializer(serializers.Serializer):
    bounds = serializers.ListField(child=serializers.FloatField(), help_text="west, south, east, north")
    count = serializers.IntegerField()


class IncidentMapSerializer(serializers.Serializer):
    """The incidents of a viewport: points when few, else counts in square cells sized for the zoom."""

    mode = serializers.ChoiceField(choices=["points", "cells"])
    points = _PointSerializer(many=True, required=False)
    cell_metres = serializers.FloatField(required=False)
    cells = _CellSerializer(many=True, required=False)
