import django_filters
from django.utils.translation import gettext_lazy as _

from ingestion.models import ImportRun, RowIssue


class ImportRunFilterSet(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="source_id", help_text=_("Only runs of this source's code."))
    status = django_filters.ChoiceFilter(choices=ImportRun.Status.choices, help_text=_("Only runs in this state."))
    channel = django_filters.ChoiceFilter(
        choices=ImportRun.Channel.choices, help_text=_("Only files that arrived this way.")
    )

    class Meta:
        model = ImportRun
        fields = ["source", "status", "channel"]


class RowIssueFilterSet(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(choices=RowIssue.Severity.choices, help_text=_("Only issues of this kind."))
    column = django_filters.CharFilter(help_text=_("Only issues of this column of the file."))

    class Meta:
        model = RowIssue
        fields = ["severity", "column"]
