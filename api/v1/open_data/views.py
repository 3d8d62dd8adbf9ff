from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers, viewsets
from rest_framework_gis.filters import InBBoxFilter

from api.lists import ListViewSetMixin
from api.pagination import KeysetCursorPagination, OrderedGeoJsonPagination
from observatory.open_data.models import OpenDataFile
from observatory.open_data.selectors import latest_release, open_data_file_list, open_victim_csv, open_victim_list

from .filtersets import OpenDataFileFilterSet, OpenVictimFilterSet
from .renderers import GeoJSONRenderer
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
class OpenVictimViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = OpenVictimFilterSet
    filter_backends = [DjangoFilterBackend, InBBoxFilter]
    bbox_filter_field = "location"
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, GeoJSONRenderer]
    # What the schema describes; the paginator itself follows the format asked for (see `paginator`).
    pagination_class = KeysetCursorPagination

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
            self._paginator = (OrderedGeoJsonPagination if self._geojson else KeysetCursorPagination)()
        return self._paginator

    def csv_stream(self, queryset):
        """Straight from PostgreSQL's COPY of the same query, no row passing through Python (bench_open_data holds
        its rate against COPY's), its place names neutralised in SQL by observatory.csv_stream's rule."""
        return open_victim_csv(victims=queryset)


@extend_schema_view(
    list=extend_schema(summary=_("Bulk files"), description=_FILES),
    retrieve=extend_schema(summary=_("One bulk file"), description=_FILES),
)
class OpenDataFileViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OpenDataFileSerializer
    filterset_class = OpenDataFileFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: the latest release is read from rows
            return OpenDataFile.objects.none()
        return open_data_file_list(release=latest_release())
