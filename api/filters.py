from datetime import UTC

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField


class YearFilter(django_filters.NumberFilter):
    """A year, 1 to 9999 (a date's range): a decimal or a larger number is refused (400) before it reaches a date
    lookup, which would fail with a server error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class _UtcMomentField(IsoDateTimeField):
    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(_("Enter a moment between the years 1 and 9999."), code="invalid") from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 moment, compared in UTC: Python reads offsets up to ±23:59, PostgreSQL refuses those beyond
    ±15:59 with a server error; a moment that leaves the years 1 to 9999 in UTC is refused (400)."""

    field_class = _UtcMomentField
