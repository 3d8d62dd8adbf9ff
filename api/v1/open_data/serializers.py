from django.conf import settings
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatory.open_data.models import OpenDataFile, OpenVictim
from observatory.open_data.victims import VICTIM_COLUMN_NAMES, VICTIM_COLUMNS

# The contract's descriptions, in the reader's language; the grid and the smallest cell as this deployment sets them.
_HELP = {
    column.name: format_lazy(
        _(column.description),  # marked with gettext_noop in VICTIM_COLUMNS
        metres=settings.OPEN_DATA_GRID_METRES,
        cases=settings.OPEN_DATA_MIN_CASES_PER_CELL,
    )
    for column in VICTIM_COLUMNS
}


class OpenVictimSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpenVictim
        fields = list(VICTIM_COLUMN_NAMES)
        extra_kwargs = {name: {"help_text": help_text} for name, help_text in _HELP.items()}


class OpenVictimFeatureSerializer(GeoFeatureModelSerializer):
    location = GeometryField(
        precision=5,
        read_only=True,
        help_text=_("The snapped location as a GeoJSON Point (WGS84); see longitude in the JSON rows."),
    )

    class Meta:
        model = OpenVictim
        geo_field = "location"
        id_field = "id"
        fields = [name for name in VICTIM_COLUMN_NAMES if name not in ("longitude", "latitude")] + ["location"]
        extra_kwargs = {name: {"help_text": help_text} for name, help_text in _HELP.items()}


class OpenDataFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (a zipped Frictionless Data Package).")
    )
    vintage = serializers.IntegerField(source="release.vintage_id", help_text=_("The publication the file comes from."))
    data_as_of = serializers.DateTimeField(
        source="release.vintage.data_as_of", help_text=_("Records and victims changed after this are not in the file.")
    )
    published_at = serializers.DateTimeField(source="release.finished_at", help_text=_("When the file was written."))

    class Meta:
        model = OpenDataFile
        fields = ["dataset", "year", "name", "url", "sha256", "size", "rows", "vintage", "data_as_of", "published_at"]
        extra_kwargs = {
            "dataset": {"help_text": _("monthly (the monthly figures) or victims (the victim-level open data).")},
            "year": {"help_text": _("The year the file holds.")},
            "name": {"help_text": _("File name.")},
            "sha256": {"help_text": _("SHA-256 of the file, hexadecimal.")},
            "size": {"help_text": _("Size of the file in bytes.")},
            "rows": {"help_text": _("Rows of its CSV.")},
        }

    def get_url(self, file) -> str:
        path = reverse("open_data:file", kwargs={"release": file.release_id, "name": file.name})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
