import django_filters

from api.v1.indicators.filtersets import _unit_codes
from observatory.indicators.models import DiscrepancySeries, MonthlySeries
from observatory.indicators.terms import Series, UnitLevel


class DiscrepancyFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    unit = django_filters.CharFilter(method=_unit_codes, label="Unit code")
    category = django_filters.ChoiceFilter(field_name="series", choices=Series.choices)

    class Meta:
        model = DiscrepancySeries
        fields = ["level", "unit", "category"]


class HiddenViolenceFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    unit = django_filters.CharFilter(method=_unit_codes, label="Unit code")
    basis = django_filters.CharFilter(help_text="A source code (police, coroner, hospital, ...) or 'reconciled'.")

    class Meta:
        model = MonthlySeries
        fields = ["level", "unit", "basis"]
