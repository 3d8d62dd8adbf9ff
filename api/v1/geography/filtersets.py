import django_filters

from observatory.geography.models import AdminUnit, Level, Population


class AdminUnitFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    parent = django_filters.CharFilter(field_name="parent__code", label="Parent unit code")
    code = django_filters.CharFilter()
    is_demo = django_filters.BooleanFilter()

    class Meta:
        model = AdminUnit
        fields = ["level", "parent", "code", "is_demo"]


class PopulationFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(field_name="unit__level", choices=Level.choices)
    code = django_filters.CharFilter(field_name="unit__code")
    year = django_filters.NumberFilter()
    year_min = django_filters.NumberFilter(field_name="year", lookup_expr="gte")
    year_max = django_filters.NumberFilter(field_name="year", lookup_expr="lte")

    class Meta:
        model = Population
        fields = ["level", "code", "year"]

