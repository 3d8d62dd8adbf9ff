import django_filters

from ingestion.models import ImportRun, RowIssue


class ImportRunFilterSet(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="source_id")

    class Meta:
        model = ImportRun
        fields = ["source", "status", "channel"]


class RowIssueFilterSet(django_filters.FilterSet):
    class Meta:
        model = RowIssue
        fields = ["severity", "column"]
