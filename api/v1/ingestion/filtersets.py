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
    class Meta:
        model = RowIssue
        fields = ["severity", "column"]
