from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.lists import ListViewSetMixin
from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability
from observatory.hotspots.selectors import hotspot_analysis_list, hotspot_area_list

from .filtersets import HotspotAnalysisFilterSet
from .serializers import HotspotAnalysisSerializer, HotspotAreaQuerySerializer, HotspotAreaSerializer

_ANALYSES = gettext_lazy(
    "Hotspot analyses of the police records (commander role and above): status and progress while computing, then "
    "the months' Predictive Accuracy Index; areas gives the grid cells or colonias as GeoJSON."
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Hotspot analyses"), description=_ANALYSES),
    retrieve=extend_schema(summary=gettext_lazy("One hotspot analysis"), description=_ANALYSES),
)
class HotspotAnalysisViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Hotspot analyses of the police records (commanders and above): status and progress while computing, then
    the months' Predictive Accuracy Index; `areas` gives the grid cells or colonias as GeoJSON."""

    permission_classes = [HasCapability(Capability.VIEW_OPERATIONAL_DETAIL)]
    serializer_class = HotspotAnalysisSerializer
    filterset_class = HotspotAnalysisFilterSet

    def get_queryset(self):
        return hotspot_analysis_list()

    @extend_schema(
        summary=gettext_lazy("The areas of a hotspot analysis"),
        description=gettext_lazy(
            "The grid cells or colonias of an analysis as GeoJSON, with their counts and statistics (Gi*, emerging "
            "class, kernel density, rates, local Moran cluster); by default only the notable ones."
        ),
        parameters=[HotspotAreaQuerySerializer],
        responses=HotspotAreaSerializer(many=True),
    )
    @action(detail=True, pagination_class=None, filterset_class=None)
    def areas(self, request, pk=None):
        """A GeoJSON FeatureCollection of the analysis' cells (by default only those with incidents or a finding)
        or colonias, each with its count, Gi* z and p-values, confidence class (-3 cold at 99% .. 3 hot at 99%),
        emerging class, kernel density, and for colonias populations, raw and smoothed rates and local Moran's I."""
        query = HotspotAreaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        areas = hotspot_area_list(
            analysis=self.get_object(),
            kind=query.validated_data["kind"],
            only_notable=not query.validated_data["every_area"],
        )
        return Response(HotspotAreaSerializer(areas, many=True).data)
