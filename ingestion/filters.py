"""Filters of the ingestion pages: the run list by source and status, a run's issues by severity."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import ImportRun, RowIssue

ROW_SEVERITIES = [(value, label) for value, label in RowIssue.Severity.choices if value != RowIssue.Severity.FILE]


class ImportRunPageFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(field_name="source_id", label=_("Source"), empty_label=_("All sources"))
    status = django_filters.ChoiceFilter(
        choices=ImportRun.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = ImportRun
        fields = ["source", "status"]

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["source"].extra["choices"] = [(source.code, source.label) for source in sources]


class RowIssuePageFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=ROW_SEVERITIES, label=_("Severity"), empty_label=_("All severities"))

    class Meta:
        model = RowIssue
        fields = ["severity"]
