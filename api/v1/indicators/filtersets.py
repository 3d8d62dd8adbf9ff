import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observatory.geography.models import AdminUnit, PoliceJurisdiction
from observatory.indicators.models import Alert, MonthlySeries, TimelineEvent, UndercountEstimate
from observatory.indicators.selectors import events_for_unit
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


class TimelineEventFilterSet(django_filters.FilterSet):
    """With `unit`, the events a chart of that unit marks: those recorded for it and for the units it belongs to
    (`level` then says which unit has that code). Without it, `level` keeps the events recorded for a unit of that
    level. Dates keep the events that overlap them."""

    unit = django_filters.CharFilter(
        method="concerning_unit", help_text=_("A unit's code: the events its charts mark (its own and its parents').")
    )
    level = django_filters.ChoiceFilter(
        choices=UnitLevel.choices, method="recorded_at_level", help_text=_("The level of the unit (see unit).")
    )
    date_from = django_filters.DateFilter(
        method="ending_from", help_text=_("Events that end (or happen) on or after this day, YYYY-MM-DD.")
    )
    date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", help_text=_("Events that start on or before this day, YYYY-MM-DD.")
    )
    kind = django_filters.ChoiceFilter(choices=TimelineEvent.Kind.choices, help_text=_("The kind of event."))
    source = django_filters.CharFilter(field_name="source_id", help_text=_("A source's code."))

    class Meta:
        model = TimelineEvent
        fields = ["unit", "level", "date_from", "date_to", "kind", "source"]

    def concerning_unit(self, queryset, name, value):
        level = self.form.cleaned_data.get("level")
        units = []
        if level != UnitLevel.JURISDICTION:
            admin_units = AdminUnit.objects.filter(code=value)
            units += list(admin_units.filter(level=level) if level else admin_units)
        if level in ("", UnitLevel.JURISDICTION):
            units += list(PoliceJurisdiction.objects.filter(code=value))
        concerning = set()
        for unit in units:
            concerning.update(events_for_unit(unit=unit).values_list("pk", flat=True))
        return queryset.filter(pk__in=concerning)

    def recorded_at_level(self, queryset, name, value):
        if self.form.cleaned_data.get("unit"):
            return queryset  # the level of the unit asked for
        recorded = Q(jurisdictions__isnull=False) if value == UnitLevel.JURISDICTION else Q(units__level=value)
        return queryset.filter(pk__in=TimelineEvent.objects.filter(recorded).values("pk"))

    def ending_from(self, queryset, name, value):
        return queryset.filter(Q(end_date__gte=value) | Q(end_date__isnull=True, start_date__gte=value))
