from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers, viewsets
from rest_framework.settings import api_settings
from rest_framework_gis.filters import InBBoxFilter

from api.pagination import OrderedGeoJsonPagination
from observatory.open_data.models import OpenDataFile
from observatory.open_data.selectors import latest_release, open_data_file_list, open_victim_csv, open_victim_list

from .filtersets import OpenDataFileFilterSet, OpenVictimFilterSet
from .renderers import GeoJSONRenderer, VictimCSVRenderer
from .serializers import OpenDataFileSerializer, OpenVictimFeatureSerializer, OpenVictimSerializer

_VICTIMS = _(
    "De-identified victim-level open data (docs/privacy.md): one row per reconciled victim of the latest "
    "publication, with a random public id, the day, place (municipality, colonia, a location snapped to a grid "
    "cell's centre or the colonia's centroid), category, weapon, sex, 5-year age band, place type, the sources that "
    "recorded the case and its status. Sexual violence, violence at home and victims under 18 are not in it "
    "(aggregates only). As JSON pages, as GeoJSON (`?format=geojson`, with "
    "`in_bbox=min_lon,min_lat,max_lon,max_lat`), or as one CSV of every row that matches (`?format=csv` or "
    "`Accept: text/csv`, streamed)."
)
_FILES = _(
    "The bulk files of the latest publication: per year, the monthly figures and the victim-level open data, each a "
    "zipped Frictionless Data Package (the CSV and its datapackage.json), with its SHA-256 and the vintage."
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Victim-level open data"),
        description=_VICTIMS,
        parameters=[
            OpenApiParameter(
                "in_bbox",
                str,
                description=_("With GeoJSON: only the victims inside min_lon,min_lat,max_lon,max_lat (WGS84)."),
            )
        ],
    ),
    retrieve=extend_schema(summary=_("One victim's row"), description=_VICTIMS),
)
class OpenVictimViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = OpenVictimFilterSet
    filter_backends = [DjangoFilterBackend, InBBoxFilter]
    bbox_filter_field = "location"
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, GeoJSONRenderer, VictimCSVRenderer]

    def get_queryset(self):
        return open_victim_list()

    @property
    def _geojson(self) -> bool:
        return getattr(self.request, "accepted_renderer", None) is not None and (
            self.request.accepted_renderer.format == GeoJSONRenderer.format
        )

    def get_serializer_class(self):
        return OpenVictimFeatureSerializer if self._geojson else OpenVictimSerializer

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = (OrderedGeoJsonPagination if self._geojson else api_settings.DEFAULT_PAGINATION_CLASS)()
        return self._paginator

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == VictimCSVRenderer.format:
            response = StreamingHttpResponse(
                open_victim_csv(victims=self.filter_queryset(self.get_queryset())),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="victims.csv"'
            return response
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary=_("Bulk files"), description=_FILES),
    retrieve=extend_schema(summary=_("One bulk file"), description=_FILES),
)
class OpenDataFileViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OpenDataFileSerializer
    filterset_class = OpenDataFileFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: the latest release is read from rows
            return OpenDataFile.objects.none()
        return open_data_file_list(release=latest_release())
