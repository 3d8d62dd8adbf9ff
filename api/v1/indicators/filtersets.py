import django_filters
from django.db.models import Q

from observatory.geography.models import AdminUnit, PoliceJurisdiction
from observatory.indicators.models import Alert, MonthlySeries, UndercountEstimate
from observatory.indicators.terms import Series, UnitLevel


def _unit_codes(queryset, name, value):
    """A unit by its official code, at whatever level the rows are (a jurisdiction code at that level)."""
    units = list(AdminUnit.objects.filter(code=value).values_list("level", "id"))
    units += [
        (UnitLevel.JURISDICTION, pk)
        for pk in PoliceJurisdiction.objects.filter(code=value).values_list("id", flat=True)
    ]
    match = Q(pk__in=[])
    for level, pk in units:
        match |= Q(level=level, unit_id=pk)
    return queryset.filter(match)


class MonthlySeriesFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    unit = django_filters.CharFilter(method=_unit_codes, label="Unit code")
    category = django_filters.ChoiceFilter(field_name="series", choices=Series.choices)
    basis = django_filters.CharFilter(help_text="A source code (police, coroner, hospital, ...) or 'reconciled'.")
    sex = django_filters.CharFilter(help_text="M, F or U; empty for everyone (the default).")
    age_band = django_filters.CharFilter(help_text="e.g. 15-19; empty for every age (the default).")

    class Meta:
        model = MonthlySeries
        fields = ["level", "unit", "category", "basis", "sex", "age_band"]

    def filter_queryset(self, queryset):
        # Everyone's figures unless a sex or age band is asked for.
        for name in ("sex", "age_band"):
            if name not in self.data:
                queryset = queryset.filter(**{name: ""})
        return super().filter_queryset(queryset)


class UndercountFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    unit = django_filters.CharFilter(method=_unit_codes, label="Unit code")
    category = django_filters.ChoiceFilter(field_name="series", choices=Series.choices)
    year = django_filters.NumberFilter()

    class Meta:
        model = UndercountEstimate
        fields = ["level", "unit", "category", "year", "status"]


class AlertFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    unit = django_filters.CharFilter(method=_unit_codes, label="Unit code")
    category = django_filters.ChoiceFilter(field_name="series", choices=Series.choices)
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = Alert
        fields = ["kind", "level", "unit", "category", "basis", "month_from", "month_to"]
