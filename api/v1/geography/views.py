from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework_gis.filters import InBBoxFilter

from api.lists import ListViewSetMixin
from api.pagination import OrderedGeoJsonPagination
from observatory.geography.selectors import (
    jurisdiction_list_for_display,
    population_for_month,
    population_list,
    unit_list_for_display,
)

from .filtersets import AdminUnitFilterSet, PopulationFilterSet
from .serializers import (
    AdminUnitSerializer,
    PoliceJurisdictionSerializer,
    PopulationEstimateQuerySerializer,
    PopulationEstimateSerializer,
    PopulationSerializer,
)


class AdminUnitViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Country, departments, municipalities and colonias as GeoJSON, with their latest population."""

    serializer_class = AdminUnitSerializer
    filterset_class = AdminUnitFilterSet
    filter_backends = [DjangoFilterBackend, InBBoxFilter]
    bbox_filter_field = "boundary"
    bbox_filter_include_overlapping = True
    pagination_class = OrderedGeoJsonPagination

    def get_queryset(self):
        return unit_list_for_display()

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True), OpenApiParameter("month", int, required=True)],
        responses=PopulationEstimateSerializer,
    )
    @action(detail=True, methods=["get"])
    def population(self, request, pk=None):
        """The unit's population at mid-month, interpolated between mid-year figures."""
        query = PopulationEstimateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = self.get_object()
        estimate = population_for_month(unit=unit, **query.validated_data)
        if estimate is None:
            return Response(
                {"message": f"No population figures for {unit.name}.", "code": "no_population", "extra": {}}, status=404
            )
        return Response(
            PopulationEstimateSerializer(
                {
                    "unit_code": unit.code,
                    **query.validated_data,
                    "population": estimate.population,
                    "method": estimate.method,
                    "is_demo": estimate.is_demo,
                    "sources": estimate.sources,
                }
            ).data
        )


class PoliceJurisdictionViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Police jurisdictions: a separate layer, not nested in the administrative hierarchy."""

    serializer_class = PoliceJurisdictionSerializer
    filter_backends = [InBBoxFilter]
    bbox_filter_field = "boundary"
    bbox_filter_include_overlapping = True
    pagination_class = OrderedGeoJsonPagination

    def get_queryset(self):
        return jurisdiction_list_for_display()


class PopulationViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Population figures per unit and year, with their kind and source (demo figures say so): the totals, or with
    `groups`, `sex` or `age_band` the figures by sex and 5-year age band (blank sex or age band: all of them)."""

    serializer_class = PopulationSerializer
    filterset_class = PopulationFilterSet

    def get_queryset(self):
        return population_list()
