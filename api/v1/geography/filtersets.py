import django_filters
from django.utils.translation import gettext_lazy as _

from api.filters import YearFilter
from observatory.geography.models import AdminUnit, Level, Population
from observatory.geography.terms import AGE_BAND_CHOICES, EVERYONE, PopulationSex


class AdminUnitFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, help_text=_("Only units of this level."))
    parent = django_filters.CharFilter(
        field_name="parent__code", help_text=_("Only the units inside the unit with this code.")
    )
    code = django_filters.CharFilter(help_text=_("The unit with this official code."))
    is_demo = django_filters.BooleanFilter(help_text=_("true: only demo units; false: only official ones."))

    class Meta:
        model = AdminUnit
        fields = ["level", "parent", "code", "is_demo"]


class PopulationFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        field_name="unit__level", choices=Level.choices, help_text=_("Only units of this level.")
    )
    code = django_filters.CharFilter(field_name="unit__code", help_text=_("Only the unit with this official code."))
    year = YearFilter(help_text=_("Only this year."))
    year_min = YearFilter(field_name="year", lookup_expr="gte", help_text=_("Only this year and later."))
    year_max = YearFilter(field_name="year", lookup_expr="lte", help_text=_("Only this year and earlier."))
    sex = django_filters.ChoiceFilter(
        choices=PopulationSex.choices[1:], help_text=_("M or F: that sex's figures, of every age and by age band.")
    )
    age_band = django_filters.ChoiceFilter(
        choices=AGE_BAND_CHOICES[1:],
        help_text=_("A 5-year band (00-04 ... 75-79, 80+): its figures, of both sexes and by sex."),
    )
    groups = django_filters.BooleanFilter(
        method="_groups",
        help_text=_(
            "true: the figures of every group (sex, age band) besides the totals. Without sex, age_band or groups, "
            "totals only."
        ),
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
