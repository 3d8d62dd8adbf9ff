from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework_gis.filters import InBBoxFilter

from api.lists import ListViewSetMixin
from api.pagination import OrderedGeoJsonPagination
from observatory.geography.place_search import place_search
from observatory.geography.selectors import (
    jurisdiction_list_for_display,
    population_for_month,
    population_list,
    unit_list_for_display,
)

from .filtersets import AdminUnitFilterSet, PopulationFilterSet
from .serializers import (
    AdminUnitSerializer,
    PlaceMatchSerializer,
    PlaceSearchQuerySerializer,
    PoliceJurisdictionSerializer,
    PopulationEstimateQuerySerializer,
    PopulationEstimateSerializer,
    PopulationSerializer,
)

_IN_BBOX = OpenApiParameter(
    "in_bbox",
    str,
    description=_("Only the shapes that overlap this box: min_lon,min_lat,max_lon,max_lat (WGS84 degrees)."),
)
_UNITS = _(
    "The country, its departments, municipalities and colonias as GeoJSON features, each with its official code, "
    "the unit it lies in and its latest population."
)
_JURISDICTIONS = _("Police jurisdictions as GeoJSON features: a layer of their own, not nested in the departments.")
_POPULATIONS = _(
    "Population figures per unit and year, with their kind and source (demo figures say so): the totals, or with "
    "`groups`, `sex` or `age_band` the figures by sex and 5-year age band (blank sex or age band: all of them)."
)


@extend_schema_view(
    list=extend_schema(summary=_("Administrative units"), description=_UNITS, parameters=[_IN_BBOX]),
    retrieve=extend_schema(summary=_("One administrative unit"), description=_UNITS),
)
class AdminUnitViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    cache_per_geography = True
    serializer_class = AdminUnitSerializer
    filterset_class = AdminUnitFilterSet
    filter_backends = [DjangoFilterBackend, InBBoxFilter]
    bbox_filter_field = "boundary"
    bbox_filter_include_overlapping = True
    pagination_class = OrderedGeoJsonPagination

    def get_queryset(self):
        return unit_list_for_display()

    @extend_schema(
        summary=_("A unit's population in a month"),
        description=_("The unit's population at mid-month, interpolated between mid-year figures."),
        parameters=[PopulationEstimateQuerySerializer],
        responses=PopulationEstimateSerializer,
    )
    @action(detail=True, methods=["get"])
    def population(self, request, pk=None):
        query = PopulationEstimateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = self.get_object()
        estimate = population_for_month(unit=unit, **query.validated_data)
        if estimate is None:
            return Response(
                {
                    "message": _("No population figures for %(unit)s.") % {"unit": unit.name},
                    "code": "no_population",
                    "extra": {},
                },
                status=404,
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


@extend_schema_view(
    list=extend_schema(summary=_("Police jurisdictions"), description=_JURISDICTIONS, parameters=[_IN_BBOX]),
    retrieve=extend_schema(summary=_("One police jurisdiction"), description=_JURISDICTIONS),
)
class PoliceJurisdictionViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    cache_per_geography = True
    serializer_class = PoliceJurisdictionSerializer
    filter_backends = [InBBoxFilter]
    bbox_filter_field = "boundary"
    bbox_filter_include_overlapping = True
    pagination_class = OrderedGeoJsonPagination

    def get_queryset(self):
        return jurisdiction_list_for_display()


@extend_schema_view(
    list=extend_schema(summary=_("Population figures"), description=_POPULATIONS),
    retrieve=extend_schema(summary=_("One population figure"), description=_POPULATIONS),
)
class PopulationViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    cache_per_geography = True
    serializer_class = PopulationSerializer
    filterset_class = PopulationFilterSet

    def get_queryset(self):
        return population_list()


class PlaceSearchViewSet(viewsets.ViewSet):
    """Units by name or alias, accents and case aside, from their first letters on: what the portal's search box
    suggests as the reader types. Each match links to the unit's page."""

    @extend_schema(
        summary=_("Search units by name"),
        description=_(
            "Units by name or alias, accents and case aside, from their first letters on: what the portal's search "
            "box suggests as the reader types. Each match links to the unit's page."
        ),
        parameters=[PlaceSearchQuerySerializer],
        responses=PlaceMatchSerializer(many=True),
    )
    def list(self, request):
        query = PlaceSearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = place_search(text=query.validated_data["q"], limit=query.validated_data["limit"])
        return Response(PlaceMatchSerializer(matches, many=True).data)
