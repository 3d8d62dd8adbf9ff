from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from observatory.accounts.roles import Capability, Role, has_capability, role_of
from observatory.records.models import Source, SourceRecord
from observatory.records.rows import RowLayout
from observatory.records.terms import TERMS_BY_VOCABULARY, VOCABULARY_LABELS, Category

from .models import ImportRun, RowIssue, SourceProfile
from .profile_config import FEMICIDE_TERM, fold_value, vocabulary_for_column


def import_run_list_for(*, user) -> QuerySet[ImportRun]:
    """Analysts and admins see every run; a source uploader only its own source's runs; others none."""
    runs = ImportRun.objects.select_related("source", "profile", "submitted_by").order_by("-queued_at", "-id")
    if not has_capability(user, Capability.VIEW_UPLOAD_REPORTS):
        return runs.none()
    if role_of(user) == Role.SOURCE_UPLOADER:
        return runs.filter(source_id=user.source_code)
    return runs


def source_profile_current(*, source: Source) -> SourceProfile | None:
    """The newest version of the source's profile: the one new files are read with."""
    return source.profiles.order_by("-version").first()


def import_run_layouts(*, run_ids: Collection[int]) -> dict[int, RowLayout]:
    """{run id: (header, separator)}: how the lines of the records the runs wrote are laid out."""
    runs = ImportRun.objects.filter(pk__in=run_ids).values_list("pk", "header", "separator")
    return {pk: (header, separator) for pk, header, separator in runs}


def run_issue_list(*, run: ImportRun) -> QuerySet[RowIssue]:
    """The run's issues. A run that sent again a file already imported reports the issues of the run that
    imported it: the same rows were rejected or warned about, and its counts are that run's."""
    return RowIssue.objects.filter(run_id=run.duplicate_of_id or run.pk).order_by("row_number", "id")


def run_row_issue_list(*, run: ImportRun) -> QuerySet[RowIssue]:
    """The issues about single rows (rejected, warnings, unmapped values), without the notes about the whole file."""
    return run_issue_list(run=run).filter(row_number__gt=0)


def run_file_note_list(*, run: ImportRun) -> QuerySet[RowIssue]:
    """The notes about the whole file (row 0): separator or encoding guessed, columns ignored, file refused."""
    return run_issue_list(run=run).filter(row_number=0)


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
    return [
        {"source": source, "column": column, "value": value, "records": count}
        for (source, column, value), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def run_issue_counts(*, run: ImportRun) -> dict[str, int]:
    issues = run_issue_list(run=run).order_by()
    return dict(issues.values_list("severity").annotate(total=Count("id")).values_list("severity", "total"))


@dataclass(frozen=True)
class UnmappedColumn:
    """One column of one source with the values its vocabulary does not map, and the terms they may map onto."""

    source: Source
    column: str
    vocabulary: str | None
    term_choices: list[tuple[str, str]]
    values: list[dict]

    @property
    def vocabulary_label(self) -> str:
        return str(VOCABULARY_LABELS.get(self.vocabulary, self.vocabulary))


def vocabulary_term_choices(*, vocabulary: str) -> list[tuple[str, str]]:
    """The terms a source value may be mapped onto in a vocabulary; a category may also say femicide."""
    terms = TERMS_BY_VOCABULARY[vocabulary]
    choices = list(terms.choices)
    if terms is Category:
        choices.append((FEMICIDE_TERM, _("Femicide (intentional homicide, flagged as femicide)")))
    return choices


def unmapped_value_groups() -> list[UnmappedColumn]:
    """The unmapped values by source and column, with the vocabulary of the source's current profile reading it.
    A value that profile maps already (just mapped: its records are being normalised again) says onto which term,
    and which run re-normalises the source, once one has started."""
    values_by_column: dict[tuple[str, str], list[dict]] = {}
    for entry in unmapped_value_list():
        values_by_column.setdefault((entry["source"], entry["column"]), []).append(
            {"value": entry["value"], "records": entry["records"]}
        )
    sources = Source.objects.in_bulk({source for source, _column in values_by_column})
    groups = []
    for (source_code, column), values in sorted(values_by_column.items()):
        source = sources[source_code]
        profile = source_profile_current(source=source)
        vocabulary = vocabulary_for_column(config=profile.config, column=column) if profile else None
        term_choices = vocabulary_term_choices(vocabulary=vocabulary) if vocabulary in TERMS_BY_VOCABULARY else []
        if vocabulary:
            mapped = {
                fold_value(value): term
                for value, term in ((profile.config.get("vocabularies") or {}).get(vocabulary) or {}).items()
            }
            labels = dict(term_choices)
            renormalisation = _latest_renormalisation(source=source, profile_version=profile.version)
            for entry in values:
                if (term := mapped.get(fold_value(entry["value"]))) is not None:
                    entry.update(mapped_to=labels.get(term, term), renormalisation=renormalisation)
        groups.append(
            UnmappedColumn(
                source=source, column=column, vocabulary=vocabulary, values=values, term_choices=term_choices
            )
        )
    return groups


def _latest_renormalisation(*, source: Source, profile_version: int) -> ImportRun | None:
    return (
        ImportRun.objects.filter(
            source=source, channel=ImportRun.Channel.RENORMALISATION, profile__version=profile_version
        )
        .order_by("-queued_at")
        .first()
    )
