from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.lists import ListViewSetMixin
from api.pagination import KeysetCursorPagination
from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability, has_capability
from observatory.indicators.models import MonthlySeries, UndercountEstimate
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

from ..descriptions import MONTH_PARAMETERS, VINTAGE_PARAMETERS
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


_MONTHLY = gettext_lazy(
    "Monthly figures, one series per unit, category, basis (a source, or reconciled victims) and, at the levels "
    "broken down, sex and age band: count, population, rate per 100,000 with its exact interval (95%), annualised and "
    "12-month rates, year-on-year and year-to-date changes, unstable flag. Suppressed counts read '<5' (small) or "
    "'x' (hidden so that a total cannot reveal a small one) for everyone without access to personal data."
)
_VINTAGES = gettext_lazy(
    "Every computation of the indicators (a vintage): when, over which months, what it changed, and the data "
    "cut-off of each source. Cite figures with their vintage's number."
)
_UNDERCOUNT = gettext_lazy(
    "Multiple systems estimates of the true number of victims per year, in the country and each department, as of "
    "a vintage: the estimate with its interval (95%), the models compared and the assumptions; or the reason the data "
    "cannot support one. An estimate, not a count."
)
_ALERTS = gettext_lazy(
    "Months well above their expected count, and the hidden-violence pattern, per unit, for commanders. Restricted "
    "to accounts that may see operational detail."
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Monthly figures"), description=_MONTHLY, parameters=MONTH_PARAMETERS),
    retrieve=extend_schema(
        summary=gettext_lazy("One monthly series"), description=_MONTHLY, parameters=MONTH_PARAMETERS
    ),
)
class MonthlySeriesViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MonthlySeriesSerializer
    filterset_class = MonthlySeriesFilterSet
    pagination_class = KeysetCursorPagination
    csv_rows_per_item = "months"
    cache_per_vintage = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no request to read a vintage from
            return MonthlySeries.objects.none()
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

    def represent(self, rows: list[MonthlySeries]):
        return self.get_serializer(self._as_series(rows), many=True).data

    def retrieve(self, request, *args, **kwargs):
        series = self._as_series([self.get_object()])
        if not series:
            raise NotFound(_("No months in that range."))
        return Response(self.get_serializer(series[0]).data)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Vintages"), description=_VINTAGES),
    retrieve=extend_schema(summary=gettext_lazy("One vintage"), description=_VINTAGES),
)
class VintageViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = VintageSerializer

    def get_queryset(self):
        return vintage_list()


class _LabelledViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Rows of a unit at some level, given with the unit's code and name."""

    def represent(self, rows: list):
        context = {**self.get_serializer_context(), "labels": _labels(rows)}
        return self.get_serializer_class()(rows, many=True, context=context).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self.represent([self.get_object()])[0])


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Undercount estimates"), description=_UNDERCOUNT, parameters=VINTAGE_PARAMETERS
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One undercount estimate"), description=_UNDERCOUNT, parameters=VINTAGE_PARAMETERS
    ),
)
class UndercountViewSet(_LabelledViewSet):
    serializer_class = UndercountEstimateSerializer
    filterset_class = UndercountFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no request to read a vintage from
            return UndercountEstimate.objects.none()
        vintage, _ = _chosen_vintage(self.request)
        return undercount_list(vintage=vintage)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Alerts"), description=_ALERTS),
    retrieve=extend_schema(summary=gettext_lazy("One alert"), description=_ALERTS),
)
class AlertViewSet(_LabelledViewSet):
    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    permission_classes = [HasCapability(Capability.VIEW_OPERATIONAL_DETAIL)]

    def get_queryset(self):
        return alert_list()


_EVENTS = gettext_lazy(
    "Events that change what a series means (a truce between gangs, a police operation, the start of a programme, a "
    "change in a source's definitions or coverage), recorded by the observatory's analysts with their dates, the "
    "units concerned and a public description; the charts of those units, and of the units within them, mark them. "
    "A marker, not a claim that the event caused any change in the figures."
)
_EVENT_LANGUAGE = [
    OpenApiParameter(
        "lang",
        str,
        enum=["es", "en"],
        description=gettext_lazy("The language of the texts (default: the request's); the other where only it exists."),
    )
]


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Timeline events"), description=_EVENTS, parameters=_EVENT_LANGUAGE),
    retrieve=extend_schema(summary=gettext_lazy("One timeline event"), description=_EVENTS, parameters=_EVENT_LANGUAGE),
)
class TimelineEventViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TimelineEventSerializer
    filterset_class = TimelineEventFilterSet

    def get_queryset(self):
        return timeline_event_list(newest_first=False)

    def get_serializer_context(self):
        asked = self.request.query_params.get("lang", "") if self.request else ""
        return super().get_serializer_context() | {"language": asked if asked in ("es", "en") else get_language()}
