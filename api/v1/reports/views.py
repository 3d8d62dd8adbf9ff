from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from api.lists import ListViewSetMixin
from api.v1.indicators.views import _chosen_vintage
from observatory.accounts.roles import Capability, has_capability
from observatory.indicators.models import DiscrepancySeries, MonthlySeries, Vintage
from observatory.indicators.reports import discrepancy_summaries, hidden_violence_series
from observatory.indicators.selectors import coverage_report, valid_in
from observatory.indicators.terms import ALL, Series

from ..descriptions import MONTH_PARAMETERS, VINTAGE_PARAMETERS
from .filtersets import DiscrepancyFilterSet, HiddenViolenceFilterSet
from .serializers import DiscrepancySerializer, HiddenViolenceSerializer, SourceCoverageSerializer


class _MonthlyReportViewSet(ListViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Published rows, each read with its months by `report`."""

    report = None
    csv_rows_per_item = "months"
    cache_per_vintage = True

    def represent(self, rows: list):
        items = self.report(
            rows=rows,
            vintage=self.vintage,
            month_from=self.months.get("month_from"),
            month_to=self.months.get("month_to"),
            public=not has_capability(self.request.user, Capability.VIEW_PERSONAL_DATA),
        )
        return self.get_serializer(items, many=True).data


@extend_schema_view(
    list=extend_schema(
        summary=_("Discrepancies between sources"),
        description=_(
            "How the sources agree, per unit, category and month: each source's records, the reconciled victims, the "
            "victims by the set of sources that recorded them, and the victims whose records conflict (category, "
            "date, place). Counts are suppressed as the monthly figures are."
        ),
        parameters=MONTH_PARAMETERS,
    )
)
class DiscrepancyViewSet(_MonthlyReportViewSet):
    serializer_class = DiscrepancySerializer
    filterset_class = DiscrepancyFilterSet
    report = staticmethod(discrepancy_summaries)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no request to read a vintage from
            return DiscrepancySeries.objects.none()
        self.vintage, self.months = _chosen_vintage(self.request)
        return DiscrepancySeries.objects.filter(valid_in(self.vintage)).order_by("level", "unit_id", "series")


@extend_schema_view(
    list=extend_schema(
        summary=_("Hidden-violence series"),
        description=_(
            "The hidden-violence series per unit and basis: homicides beside missing persons, unidentified bodies, "
            "bodies in clandestine graves and undetermined deaths, month by month and over 12 months. Killings "
            "hidden rather than stopped show as homicides falling while the others rise."
        ),
        parameters=MONTH_PARAMETERS,
    )
)
class HiddenViolenceViewSet(_MonthlyReportViewSet):
    serializer_class = HiddenViolenceSerializer
    filterset_class = HiddenViolenceFilterSet
    report = staticmethod(hidden_violence_series)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no request to read a vintage from
            return MonthlySeries.objects.none()
        self.vintage, self.months = _chosen_vintage(self.request)
        return MonthlySeries.objects.filter(
            valid_in(self.vintage), series=Series.HOMICIDE, sex=ALL, age_band=ALL
        ).order_by("level", "unit_id", "basis")


@extend_schema_view(
    list=extend_schema(
        summary=_("Coverage and data cut-off per source"),
        description=_(
            "What each source covers and how far its data reach, as a vintage read them: declared or inferred "
            "coverage, the municipalities and months, the cut-off day (the latest event among its records), and the "
            "declared municipalities it has sent nothing for during months. A month is provisional until every "
            "covering source's data reach past its end plus the settling days."
        ),
        parameters=VINTAGE_PARAMETERS,
    )
)
class SourceCoverageViewSet(ListViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SourceCoverageSerializer
    cache_per_vintage = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, with no vintage to read
            return Vintage.objects.none()
        vintage, _months = _chosen_vintage(self.request)
        return [
            {**source, "settling_days": vintage.settling_days, "vintage": vintage.pk}
            for source in coverage_report(vintage=vintage)
        ]
