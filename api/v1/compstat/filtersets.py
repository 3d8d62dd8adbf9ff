import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from observatory.compstat.models import Incident
from observatory.compstat.terms import HOUR_BAND_HOURS, HourBand, Weekday
from observatory.records.terms import Category, Weapon


class _BoundingBoxField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError as error:
            raise forms.ValidationError(_("Write the box as west,south,east,north in degrees.")) from error
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise forms.ValidationError(_("Write the box as west,south,east,north in degrees."))
        return west, south, east, north


class _BoundingBoxFilter(django_filters.CharFilter):
    field_class = _BoundingBoxField

    def filter(self, queryset, value):
        # The map's aggregation reads the box itself (in Web Mercator); the list of incidents is not cut by it.
        return queryset


class IncidentFilterSet(django_filters.FilterSet):
    """The commander's filters, for the incident list and, validated the same way, for the map."""

    first = django_filters.DateFilter(field_name="day", lookup_expr="gte", help_text=_("First day (YYYY-MM-DD)."))
    last = django_filters.DateFilter(field_name="day", lookup_expr="lte", help_text=_("Last day (YYYY-MM-DD)."))
    category = django_filters.ChoiceFilter(choices=Category.choices, help_text=_("Only this category."))
    weapon = django_filters.ChoiceFilter(choices=Weapon.choices, help_text=_("Only this weapon."))
    weekday = django_filters.TypedChoiceFilter(choices=Weekday.choices, coerce=int, help_text=_("1 Monday … 7 Sunday"))
    hour_band = django_filters.ChoiceFilter(
        choices=HourBand.choices, method="filter_hour_band", help_text=_("Only this band of hours of the day.")
    )
    jurisdiction = django_filters.NumberFilter(field_name="jurisdiction_id", help_text=_("A police jurisdiction's id."))
    colonia = django_filters.NumberFilter(field_name="colonia_id", help_text=_("A colonia's id."))
    bbox = _BoundingBoxFilter(help_text=_("The map's viewport: west,south,east,north in degrees."))
    zoom = django_filters.NumberFilter(method="filter_zoom", help_text=_("The map's zoom level (0-22)."))

    class Meta:
        model = Incident
        fields = ["first", "last", "category", "weapon", "weekday", "hour_band", "jurisdiction", "colonia"]

    def filter_hour_band(self, queryset, name, value):
        first, last = HOUR_BAND_HOURS[HourBand(value)]
        return queryset.filter(hour__gte=first, hour__lte=last)

    def filter_zoom(self, queryset, name, value):
        return queryset
