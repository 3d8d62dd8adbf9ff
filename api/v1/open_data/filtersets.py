import django_filters
from django.utils.translation import gettext_lazy as _

from api.filters import YearFilter
from observatory.open_data.models import OpenDataFile, OpenVictim
from observatory.open_data.victims import CASE_STATUS, UNDER_STUDY
from observatory.records.terms import Category, PlaceType, Sex, Weapon

_CASE_STATUSES = sorted({*CASE_STATUS.values(), UNDER_STUDY})


class OpenVictimFilterSet(django_filters.FilterSet):
    year = YearFilter(field_name="date", lookup_expr="year", help_text=_("Year of the event."))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text=_("First day, YYYY-MM-DD."))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text=_("Last day, YYYY-MM-DD."))
    municipality = django_filters.CharFilter(field_name="municipality_code", help_text=_("Municipality code."))
    colonia = django_filters.CharFilter(field_name="colonia_code", help_text=_("Colonia code."))
    category = django_filters.ChoiceFilter(choices=Category.choices)
    weapon = django_filters.ChoiceFilter(choices=Weapon.choices)
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    age_band = django_filters.CharFilter(help_text=_("e.g. 20-24, 80+ or unknown."))
    place_type = django_filters.ChoiceFilter(choices=PlaceType.choices)
    case_status = django_filters.ChoiceFilter(choices=[(status, status) for status in _CASE_STATUSES])
    source = django_filters.CharFilter(method="_recorded_by", help_text=_("Cases a source recorded (police, ...)."))

    class Meta:
        model = OpenVictim
        fields = [
            "year",
            "date_from",
            "date_to",
            "municipality",
            "colonia",
            "category",
            "weapon",
            "sex",
            "age_band",
            "place_type",
            "case_status",
            "source",
        ]

    def _recorded_by(self, queryset, name, value):
        return queryset.filter(sources__regex=rf"(^|\+){value}(\+|$)") if value.isidentifier() else queryset.none()


class OpenDataFileFilterSet(django_filters.FilterSet):
    dataset = django_filters.ChoiceFilter(
        choices=OpenDataFile.Dataset.choices,
        help_text=_("monthly (the monthly figures) or victims (the victim-level open data)."),
    )
    year = YearFilter(help_text=_("Only the files of this year."))

    class Meta:
        model = OpenDataFile
        fields = ["dataset", "year"]
