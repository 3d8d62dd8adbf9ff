from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.lists import ListViewSetMixin
from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability
from observatory.compstat.filters import IncidentFilter
from observatory.compstat.periods import Span, period_span
from observatory.compstat.selectors import data_version_latest, incident_list, incident_map

from .filtersets import IncidentFilterSet
from .serializers import IncidentMapSerializer, IncidentSerializer

_OPERATIONAL = [HasCapability(Capability.VIEW_OPERATIONAL_DETAIL)]


class _IncidentCursor(CursorPagination):
    ordering = ("-day", "record_id")
    page_size = 100


_INCIDENTS = gettext_lazy(
    "Police incidents for commanders (commander role and above): number, date, time, category, weapon and place "
    "type; never a name, an ID number or an address."
)
_MAP = gettext_lazy(
    "The map's data for a viewport (bbox, zoom) and the filters: each incident when the viewport holds few, else "
    "their counts in square cells about 32 screen pixels wide. Without first/last, the last 28 days to the police "
    "data's cut-off. Commander role and above."
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Police incidents"), description=_INCIDENTS),
    retrieve=extend_schema(
        summary=gettext_lazy("One police incident"),
        description=_INCIDENTS,
        parameters=[
            OpenApiParameter(
                "id", int, OpenApiParameter.PATH, description=gettext_lazy("The incident's id (its police record's).")
            )
        ],
    ),
)
class IncidentViewSet(ListViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Police incidents for commanders: number, date, time, category, weapon and place type."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    permission_classes = _OPERATIONAL
    pagination_class = _IncidentCursor

    def get_queryset(self):
        return incident_list()


class IncidentMapViewSet(viewsets.GenericViewSet):
    """The map's data for a viewport (`bbox`, `zoom`) and the filters: each incident when the viewport holds few,
    else their counts in square cells about 32 screen pixels wide. Without `first`/`last`, the last 28 days to
    the police data's cut-off."""

    serializer_class = IncidentMapSerializer
    filterset_class = IncidentFilterSet
    permission_classes = _OPERATIONAL

    def get_queryset(self):
        return incident_list()

    @extend_schema(summary=gettext_lazy("Incident map"), description=_MAP, responses=IncidentMapSerializer)
    def list(self, request):
        filterset = IncidentFilterSet(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        query = filterset.form.cleaned_data
        if query.get("bbox") is None or query.get("zoom") is None:
            raise ValidationError({"bbox": [_("The map needs a box (bbox) and a zoom level.")]})
        version = data_version_latest()
        if version is None or version.cutoff is None:
            raise NotFound(_("No police records have been prepared for CompStat yet."))
        span = _span(query, version.cutoff)
        result = incident_map(
            bbox=query["bbox"],
            zoom=max(0, min(22, int(query["zoom"]))),
            span=span,
            filters=IncidentFilter.from_values(query),
        )
        return Response(IncidentMapSerializer(result).data)


def _span(query: dict, cutoff: date) -> Span:
    default = period_span(code="28d", end=cutoff)
    return Span(query.get("first") or default.first, query.get("last") or default.last)
