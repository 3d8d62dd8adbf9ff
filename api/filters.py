import django_filters
from django import forms


class YearFilter(django_filters.NumberFilter):
    """A year, 1 to 9999 (a date's range): a decimal or a larger number is refused (400) before it reaches a date
    lookup, which would fail with a server error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)
