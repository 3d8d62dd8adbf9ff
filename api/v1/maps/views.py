from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.caching import cached_per_vintage
from observatory.indicators.portal import choropleth, default_period, map_periods
from observatory.indicators.selectors import vintage_or_latest

from .serializers import ChoroplethQuerySerializer, ChoroplethSerializer


@method_decorator(gzip_page, name="dispatch")
class ChoroplethViewSet(viewsets.ViewSet):
    @extend_schema(
        summary=gettext_lazy("The map of rates"),
        description=gettext_lazy(
            "The map of 12-month rates per 100,000 of every unit of a level (municipalities by default), for a "
            "calendar year or the 12 months ending at a month: one TopoJSON topology with each unit's count, rate, "
            "exact interval (95%), unstable flag and status, and the class breaks (Fisher-Jenks, or quantiles when few "
            "units have a rate). Units without data have null figures; hidden counts read '<5' or 'x' and have no "
            "rate."
        ),
        parameters=[ChoroplethQuerySerializer],
        responses=ChoroplethSerializer,
    )
    @cached_per_vintage
    def list(self, request):
        query = ChoroplethQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        chosen = query.validated_data
        vintage = vintage_or_latest(chosen.get("vintage"))
        if vintage is None:
            raise NotFound(_("No such vintage.") if "vintage" in chosen else _("No figures have been published yet."))
        period = chosen.get("period") or default_period(
            map_periods(vintage=vintage, category=chosen["category"], basis=chosen["basis"])
        )
        if period is None:
            raise NotFound(_("No figures have been published for this series yet."))
        return Response(
            choropleth(
                vintage=vintage,
                period=period,
                level=chosen["level"],
                category=chosen["category"],
                basis=chosen["basis"],
            )
        )
