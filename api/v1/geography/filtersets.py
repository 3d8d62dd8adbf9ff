import django_filters

from observatory.geography.models import AdminUnit, Level, Population
from observatory.geography.terms import AGE_BAND_CHOICES, EVERYONE, PopulationSex


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
    sex = django_filters.ChoiceFilter(
        choices=PopulationSex.choices[1:], help_text="M or F: that sex's figures, of every age and by age band."
    )
    age_band = django_filters.ChoiceFilter(
        choices=AGE_BAND_CHOICES[1:],
        help_text="A 5-year band (00-04 ... 75-79, 80+): its figures, of both sexes and by sex.",
    )
    groups = django_filters.BooleanFilter(
        method="_groups",
        help_text="true: the figures of every group (sex, age band) besides the "
        "totals. Without sex, age_band or groups, totals only.",
    )

    class Meta:
        model = Population
        fields = ["level", "code", "year", "sex", "age_band", "groups"]

    def _groups(self, queryset, name, value):
        return queryset if value else queryset.filter(sex=EVERYONE, age_band=EVERYONE)

    def filter_queryset(self, queryset):
        # Everyone's figures unless a group is asked for.
        if not any(name in self.data for name in ("sex", "age_band", "groups")):
            queryset = queryset.filter(sex=EVERYONE, age_band=EVERYONE)
        return super().filter_queryset(queryset)
