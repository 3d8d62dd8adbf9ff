from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from api.caching import cached_per_vintage
from api.v1.indicators.filtersets import MonthlySeriesFilterSet
from api.v1.indicators.views import _chosen_vintage
from observatory.accounts.roles import Capability, has_capability
from observatory.indicators.models import MonthlySeries
from observatory.indicators.reports import series_in_chunks
from observatory.indicators.sdmx import MEDIA_TYPE, sdmx_csv, structure_message
from observatory.indicators.selectors import valid_in

from ..descriptions import MONTH_PARAMETERS


class SdmxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    filterset_class = MonthlySeriesFilterSet
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no request to read a vintage from
            return MonthlySeries.objects.none()
        self.vintage, self.months = _chosen_vintage(self.request)
        return MonthlySeries.objects.filter(valid_in(self.vintage)).order_by(*MonthlySeries._meta.ordering)

    @extend_schema(
        summary=_("Monthly figures as SDMX-CSV"),
        description=_(
            "The monthly figures as SDMX-CSV 2.0 (the format UNODC and statistical offices exchange), every series "
            "that matches the filters in one streamed file: dimensions REF_AREA, INDICATOR, SEX, AGE, SOURCE, "
            "UNIT_MEASURE (NUMBER, PER_100000_YEAR) and TIME_PERIOD; attributes OBS_STATUS, CONF_STATUS (C or D "
            "where a count is suppressed, with no value), LOWER_BOUND and UPPER_BOUND. The data structure is at "
            "`structure/`."
        ),
        parameters=MONTH_PARAMETERS,
        responses={(200, MEDIA_TYPE): OpenApiTypes.STR},
    )
    @cached_per_vintage
    def list(self, request, *args, **kwargs):
        lines = sdmx_csv(
            chunks=series_in_chunks(self.filter_queryset(self.get_queryset())),
            vintage=self.vintage,
            month_from=self.months.get("month_from"),
            month_to=self.months.get("month_to"),
            public=not has_capability(request.user, Capability.VIEW_PERSONAL_DATA),
        )
        response = StreamingHttpResponse(lines, content_type=MEDIA_TYPE)
        response["Content-Disposition"] = f'attachment; filename="crime-monthly-vintage-{self.vintage.pk}.csv"'
        return response

    @extend_schema(
        summary=_("SDMX data structure"),
        description=_("The data structure definition and dataflow of the SDMX-CSV, as SDMX-ML 2.1."),
        responses={(200, "application/vnd.sdmx.structure+xml; version=2.1"): OpenApiTypes.STR},
    )
    @action(detail=False, methods=["get"], filter_backends=[], url_path="structure")
    def structure(self, request):
        return HttpResponse(structure_message(), content_type="application/vnd.sdmx.structure+xml; version=2.1")
