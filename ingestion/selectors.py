from django.db.models import Count, QuerySet

from observatory.accounts.roles import Capability, Role, has_capability, role_of
from observatory.records.models import SourceRecord

from .models import ImportRun, RowIssue


def import_run_list_for(*, user) -> QuerySet[ImportRun]:
    """Analysts and admins see every run; a source uploader only its own source's runs; others none."""
    runs = ImportRun.objects.select_related("source", "profile", "submitted_by").order_by("-queued_at", "-id")
    if not has_capability(user, Capability.VIEW_UPLOAD_REPORTS):
        return runs.none()
    if role_of(user) == Role.SOURCE_UPLOADER:
        return runs.filter(source_id=user.source_code)
    return runs


def run_issue_list(*, run: ImportRun) -> QuerySet[RowIssue]:
    return run.issues.order_by("row_number", "id")


def unmapped_value_list(*, source_code: str | None = None) -> list[dict]:
    """Values no vocabulary maps, with how many stored records hold each: what an analyst has to map."""
    records = SourceRecord.objects.filter(status=SourceRecord.Status.UNMAPPED)
    if source_code:
        records = records.filter(source_id=source_code)
    counts: dict[tuple[str, str, str], int] = {}
    for source_id, entries in records.values_list("source_id", "unmapped").iterator(chunk_size=5000):
        for entry in entries:
            key = (source_id, entry["column"], entry["value"])
            counts[key] = counts.get(key, 0) + 1
    return [{"source": source, "column": column, "value": value, "records": count}
            for (source, column, value), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def run_issue_counts(*, run: ImportRun) -> dict[str, int]:
    return dict(run.issues.values_list("severity").annotate(total=Count("id")).values_list("severity", "total"))
