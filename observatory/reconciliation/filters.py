"""Filters of the reconciliation pages: the review queue by pair of sources, the victims by what they are."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from observatory.records.terms import Category

from .models import CandidatePair, Victim

_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


def source_pair_value(first: str, second: str) -> str:
    return f"{first}+{second}"


class ReviewQueueFilter(django_filters.FilterSet):
    sources = django_filters.ChoiceFilter(
        label=_("Sources"), empty_label=_("All pairs of sources"), method="filter_sources"
    )

    class Meta:
        model = CandidatePair
        fields = ["sources"]

    def __init__(self, *args, source_pairs: list[tuple[str, str]], source_names: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sources"].extra["choices"] = [
            (source_pair_value(first, second), f"{source_names.get(first, first)} – {source_names.get(second, second)}")
            for first, second in source_pairs
        ]

    def filter_sources(self, queryset: QuerySet[CandidatePair], name: str, value: str) -> QuerySet[CandidatePair]:
        first, _plus, second = value.partition("+")
        return queryset.filter(
            Q(record_low__source_id=first, record_high__source_id=second)
            | Q(record_low__source_id=second, record_high__source_id=first)
        )


class VictimFilter(django_filters.FilterSet):
    case_status = django_filters.ChoiceFilter(
        choices=Victim.CaseStatus.choices, label=_("Case status"), empty_label=_("All statuses")
    )
    source = django_filters.ChoiceFilter(label=_("Source"), empty_label=_("All sources"), method="filter_source")
    reported_missing = django_filters.BooleanFilter(
        field_name="was_reported_missing", label=_("Reported missing"), widget=forms.Select(choices=_ANY)
    )
    unidentified = django_filters.BooleanFilter(
        field_name="is_unidentified", label=_("Unidentified"), widget=forms.Select(choices=_ANY)
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Category"), empty_label=_("All categories")
    )
    month = django_filters.DateFilter(
        label=_("Month"),
        method="filter_month",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    class Meta:
        model = Victim
        fields = ["case_status", "source", "reported_missing", "unidentified", "category", "month"]

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["source"].extra["choices"] = [(source.code, source.label) for source in sources]

    def filter_source(self, queryset: QuerySet[Victim], name: str, value: str) -> QuerySet[Victim]:
        return queryset.filter(sources__contains=[value])

    def filter_month(self, queryset: QuerySet[Victim], name: str, value) -> QuerySet[Victim]:
        return queryset.filter(event_date__year=value.year, event_date__month=value.month)
