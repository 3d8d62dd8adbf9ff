from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from observatory.compstat.models import Incident


# What a commander may read of one incident: never a name, an ID number or an address.
class IncidentSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(
        source="get_category_display", read_only=True, help_text=_("The category's name in the reader's language.")
    )
    weapon_label = serializers.CharField(
        source="get_weapon_display", read_only=True, help_text=_("The weapon's name in the reader's language.")
    )
    place_type_label = serializers.CharField(
        source="get_place_type_display", read_only=True, help_text=_("The kind of place in the reader's language.")
    )

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
        extra_kwargs = {
            "record_id": {"help_text": _("The incident's id (its police record's).")},
            "incident_number": {"help_text": _("The police's number for the report (never a person's ID number).")},
            "day": {"help_text": _("Day of the incident, YYYY-MM-DD.")},
            "time": {"help_text": _("Time of the incident, HH:MM, when the police recorded it.")},
            "category": {"help_text": _("Category code (homicide, robbery, ...).")},
            "weapon": {"help_text": _("Weapon code (firearm, knife, ...), empty when unknown.")},
            "place_type": {"help_text": _("Kind of place code (street, home, ...), empty when unknown.")},
        }


class _PointSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The incident's id in /compstat/incidents/."))
    lon_lat = serializers.ListField(
        child=serializers.FloatField(), help_text=_("Longitude and latitude of the incident (WGS 84).")
    )
    category = serializers.CharField(help_text=_("Category code of the incident."))


class _CellSerializer(serializers.Serializer):
    bounds = serializers.ListField(
        child=serializers.FloatField(), help_text=_("The cell's west, south, east and north edges (WGS 84).")
    )
    count = serializers.IntegerField(help_text=_("Incidents in the cell."))


# The incidents of a viewport: points when few, else counts in square cells sized for the zoom.
class IncidentMapSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=["points", "cells"], help_text=_("points: each incident; cells: counts in square cells.")
    )
    points = _PointSerializer(many=True, required=False, help_text=_("The incidents, in points mode."))
    cell_metres = serializers.FloatField(required=False, help_text=_("The cells' side in metres, in cells mode."))
    cells = _CellSerializer(many=True, required=False, help_text=_("The cells holding incidents, in cells mode."))
