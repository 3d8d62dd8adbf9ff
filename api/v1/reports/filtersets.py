import django_filters

from api.v1.indicators.filtersets import _unit_codes
from observatory.indicators.models import DiscrepancySeries, MonthlySeries
from observatory.indicators.terms import Series, UnitLevel

from ..descriptions import BASIS_PARAMETER, CATEGORY_PARAMETER, LEVEL_PARAMETER, UNIT_PARAMETER


class DiscrepancyFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, help_text=LEVEL_PARAMETER)
    unit = django_filters.CharFilter(method=_unit_codes, help_text=UNIT_PARAMETER)
    category = django_filters.ChoiceFilter(field_name="series", choices=Series.choices, help_text=CATEGORY_PARAMETER)

    class Meta:
        model = DiscrepancySeries
        fields = ["level", "unit", "category"]


class HiddenViolenceFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, help_text=LEVEL_PARAMETER)
    unit = django_filters.CharFilter(method=_unit_codes, help_text=UNIT_PARAMETER)
    basis = django_filters.CharFilter(help_text=BASIS_PARAMETER)

    class Meta:
        model = MonthlySeries
        fields = ["level", "unit", "basis"]
