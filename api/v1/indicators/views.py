from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability, has_capability
from observatory.indicators.models import MonthlySeries
from observatory.indicators.selectors import (
    FIGURE_COLUMNS,
    alert_list,
    figure_records,
    figures_frame,
    timeline_event_list,
    undercount_list,
    unit_labels,
    valid_in,
    vintage_list,
    vintage_or_latest,
)

from .filtersets import AlertFilterSet, MonthlySeriesFilterSet, TimelineEventFilterSet, UndercountFilterSet
from .serializers import (
    AlertSerializer,
    MonthlySeriesSerializer,
    TimelineEventSerializer,
    UndercountEstimateSerializer,
    VintageSerializer,
)

_SERIES_FIELDS = ["level", "unit_code", "unit_name", "category", "basis", "sex", "age_band", "vintage"]


class _MonthRange(serializers.Serializer):
    month_from = serializers.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"])
    month_to = serializers.DateField(required=False, input_formats=["%Y-%m", "%Y-%m-%d"])
    vintage = serializers.IntegerField(required=False, min_value=1)


def _chosen_vintage(request):
    query = _MonthRange(data=request.query_params)
    query.is_valid(raise_exception=True)
    vintage = vintage_or_latest(query.validated_data.get("vintage"))
    if vintage is None:
        raise NotFound(
            _("No such vintage.") if "vintage" in query.validated_data else _("No indicators have been computed yet.")
        )
    return vintage, query.validated_data


def _labels(objects) -> dict:
    labels = {}
    for level in {obj.level for obj in objects}:
        labels.update(
            {
                (level, unit): label
                for unit, label in unit_labels(level, [obj.unit_id for obj in objects if obj.level == level]).items()
            }
        )
    return labels


@extend_schema(
    parameters=[
        OpenApiParameter("month_from", str, description="First month, YYYY-MM."),
        OpenApiParameter("month_to", str, description="Last month, YYYY-MM."),
        OpenApiParameter("vintage", int, description="An earlier vintage (default: the latest)."),
    ]
)
class MonthlySeriesViewSet(viewsets.ReadOnlyModelViewSet):
    """Monthly figures, one series per unit, category, basis (a source, or reconciled victims) and, at the levels
    broken down, sex and age band: count, population, rate per 100,000 with its exact 95% interval, annualised and
    12-month rates, year-on-year and year-to-date changes, unstable flag. Suppressed counts read '<5' (small) or
    'x' (hidden so that a total cannot reveal a small one) for everyone without access to personal data."""

    serializer_class = MonthlySeriesSerializer
    filterset_class = MonthlySeriesFilterSet

    def get_queryset(self):
        self.vintage, self.months = _chosen_vintage(self.request)
        return MonthlySeries.objects.filter(valid_in(self.vintage)).order_by(
            "level", "unit_id", "series", "basis", "sex", "age_band"
        )

    def _as_series(self, rows: list[MonthlySeries]) -> list[dict]:
        frame = figures_frame(
            rows=rows,
            vintage=self.vintage,
            month_from=self.months.get("month_from"),
            month_to=self.months.get("month_to"),
            public=not has_capability(self.request.user, Capability.VIEW_PERSONAL_DATA),
        )
        by_row = {}
        for record in figure_records(frame):
            by_row.setdefault(record["series_row"], []).append(record)
        series = []
        for row in rows:
            group = by_row.get(row.pk)
            if group is None:
                continue
            months = [{name: figure[name] for name in FIGURE_COLUMNS if name not in _SERIES_FIELDS} for figure in group]
            series.append({**{name: group[0][name] for name in _SERIES_FIELDS}, "months": months})
        return series

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(self._as_series(list(page)), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        series = self._as_series([self.get_object()])
        if not series:
            raise NotFound(_("No months in that range."))
        return Response(self.get_serializer(series[0]).data)


class VintageViewSet(viewsets.ReadOnlyModelViewSet):
    """Every computation of the indicators: when, over which months, what it changed."""

    serializer_class = VintageSerializer

    def get_queryset(self):
        return vintage_list()


class _LabelledViewSet(viewsets.ReadOnlyModelViewSet):
    def get_serializer_context(self):
        context = super().get_serializer_context()
        objects = getattr(self, "_page", None) or []
        context["labels"] = _labels(objects)
        return context

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset)
        return self._page


class UndercountViewSet(_LabelledViewSet):
    """Multiple systems estimates of the true number of victims per year, in the country and each department,
    as of a vintage: the estimate with its 95% interval, the models compared and the assumptions; or the reason
    the data cannot support one. An estimate, not a count."""

    serializer_class = UndercountEstimateSerializer
    filterset_class = UndercountFilterSet

    def get_queryset(self):
        vintage, _ = _chosen_vintage(self.request)
        return undercount_list(vintage=vintage)


class AlertViewSet(_LabelledViewSet):
    """Months well above their expected count, and the hidden-violence pattern, per unit, for commanders."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    permission_classes = [HasCapability(Capability.VIEW_OPERATIONAL_DETAIL)]

    def get_queryset(self):
        return alert_list()


@extend_schema(
    parameters=[
        OpenApiParameter(
            "lang", str, enum=["es", "en"], description="The language of the texts (default: the request's)."
        )
    ]
)
class TimelineEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events that change what a series means (a truce between gangs, a police operation, the start of a programme,
    a change in a source's definitions or coverage), recorded by the observatory's analysts with their dates, the
    units concerned and a public description; the charts of those units, and of the units within them, mark them.
    A marker, not a claim that the event caused any change in the figures."""

    serializer_class = TimelineEventSerializer
    filterset_class = TimelineEventFilterSet

    def get_queryset(self):
        return timeline_event_list(newest_first=False)

    def get_serializer_context(self):
        asked = self.request.query_params.get("lang", "") if self.request else ""
        return super().get_serializer_context() | {"language": asked if asked in ("es", "en") else get_language()}
