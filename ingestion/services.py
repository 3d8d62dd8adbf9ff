"""Taking a file in, whatever the channel: store it, recognise a re-sent file, process it into SourceRecords."""

import json
import logging
import os
import socket
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from observatory.accounts.models import User
from observatory.accounts.services import audit_record
from observatory.database.connection_loss import connection_lost
from observatory.errors import ApplicationError
from observatory.jobs.locks import IMPORT_RUN_LOCK_NAMESPACE
from observatory.jobs.services import job_attempt_start, job_fail
from observatory.queueing import task_enqueue
from observatory.records.models import Source, SourceRecord

from .drop_files import drop_file_settle
from .models import ImportRun, RowIssue, SourceProfile
from .profile_config import ProfileError, fold_value, profile_config_parse, vocabulary_for_column
from .queueing import IMPORT_RUN_PROCESS, SOURCE_RENORMALISE
from .selectors import source_profile_current
from .storage import raw_file_store

logger = logging.getLogger(__name__)


class RunBusy(Exception):
    """Another live worker holds the run (or the killed one's session has not ended yet)."""


DEFAULT_PROFILES_DIR = Path(__file__).parent / "default_profiles"


def import_run_create(
    *,
    source: Source,
    stream: BinaryIO,
    filename: str,
    channel: str,
    submitted_by: User | None = None,
    submitted_from: str = "",
    drop_path: str = "",
    enqueue: bool = True,
) -> ImportRun:
    """Keep the file, open its run, and queue it; the same file sent again is recognised and changes nothing."""
    profile = source_profile_current(source=source)
    if profile is None:
        raise ApplicationError(
            _("The source %(source)s has no profile yet: an analyst must write one first.") % {"source": source.code},
            code="no_profile",
        )
    stored = raw_file_store(stream=stream)
    with transaction.atomic():
        run = ImportRun.objects.create(
            source=source,
            profile=profile,
            channel=channel,
            submitted_by=submitted_by,
            submitted_from=submitted_from[:300],
            original_filename=os.path.basename(filename)[:300] or "upload.csv",
            sha256=stored.sha256,
            size_bytes=stored.size_bytes,
            drop_path=drop_path,
        )
        # Read with another version of the profile (a date format corrected since), the file may give other records:
        # it is read again, and its rows that read the same are counted unchanged.
        earlier = (
            ImportRun.objects.filter(
                source=source,
                sha256=stored.sha256,
                status=ImportRun.Status.DONE,
                duplicate_of__isnull=True,
                profile=profile,
            )
            .exclude(pk=run.pk)
            .order_by("queued_at")
            .first()
        )
        if earlier is not None:
            _finish_as_duplicate(run=run, earlier=earlier)
        elif enqueue:
            task_enqueue(name=IMPORT_RUN_PROCESS, args=(run.pk,))
    return run


def _finish_as_duplicate(*, run: ImportRun, earlier: ImportRun) -> None:
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):  # stored, like every run's messages, in one language
        note = _("Same file as run #%(run)d (same SHA-256): nothing changed.") % {"run": earlier.pk}
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE,
        duplicate_of=earlier,
        rows_read=earlier.rows_read,
        rows_unchanged=earlier.rows_created + earlier.rows_updated + earlier.rows_unchanged,
        rows_rejected=earlier.rows_rejected,
        progress=1.0,
        started_at=now,
        finished_at=now,
        heartbeat_at=now,
        progress_note=note,
    )
    run.refresh_from_db()


def _lock(run_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_RUN_LOCK_NAMESPACE, run_id])
        return cursor.fetchone()[0]


def _unlock(run_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_RUN_LOCK_NAMESPACE, run_id])


def _fail_worn_out(run: ImportRun) -> None:
    _fail(
        run,
        _(
            "The worker processing this file stopped %(attempts)d times before finishing (killed, or "
            "out of memory); the file was not imported. Tell the observatory's administrator."
        )
        % {"attempts": run.attempts},
    )


def import_run_process(*, run_id: int) -> ImportRun:
    """Process a queued run to the end. Safe to call again: a finished run is left as it is, and a run whose
    worker died is started over (nothing of it was visible, so nothing is duplicated)."""
    run = ImportRun.objects.select_related("source", "profile").get(pk=run_id)
    if run.is_finished:
        return run
    if not _lock(run_id):
        raise RunBusy(f"import run {run_id} is being processed by another worker")
    try:
        run.refresh_from_db()
        if run.is_finished:
            return run
        started = job_attempt_start(
            job=run,
            max_attempts=settings.INGEST_MAX_ATTEMPTS,
            heartbeat_at=timezone.now(),
            rows_read=0,
            worker=f"{socket.gethostname()}:{os.getpid()}",
        )
        if not started:
            _fail_worn_out(run)
            return ImportRun.objects.get(pk=run.pk)
        RowIssue.objects.filter(run=run).delete()  # from an attempt that died before finishing
        # pandas, Arrow and shapely: loaded only to process a file (reading loads them too)
        from .processing import import_run_file_process
        from .reading import FileRefused

        try:
            import_run_file_process(run=run)
        except FileRefused as refusal:
            _fail(run, refusal.message)
        except ProfileError as error:  # a profile saved before a check it now fails
            _fail(
                run,
                _(
                    "Version %(version)d of the %(source)s profile cannot be used: %(problems)s. An analyst must "
                    "correct it in the administration, then send the file again."
                )
                % {"version": run.profile.version, "source": run.source_id, "problems": error},
            )
        except Exception as error:  # the run must end visibly failed, whatever went wrong
            if connection_lost(error):  # nothing was loaded: the task tries the run again on a new connection
                raise
            logger.exception("import run %s failed", run.pk)
            _fail(
                run,
                _("Internal error while processing the file: %(error)s")
                % {"error": f"{type(error).__name__}: {error}"},
            )
    finally:
        _unlock(run_id)
    run.refresh_from_db()
    drop_file_settle(run=run)
    return run


def _fail(run: ImportRun, message: str) -> None:
    """Nothing of the file was loaded: no rows read either (the progress counted them while it ran)."""
    message = message.replace("\x00", "")  # a refusal may quote the file, whose NUL bytes text columns refuse
    RowIssue.objects.filter(run=run).delete()
    RowIssue.objects.create(run=run, row_number=0, reason=message, severity=RowIssue.Severity.FILE)
    job_fail(job=run, error=message, rows_read=0, heartbeat_at=timezone.now())


@transaction.atomic
def source_profile_save(
    *,
    source: Source,
    config: dict,
    comment: str = "",
    created_by: User | None = None,
    ip_address: str | None = None,
    record_id_change_confirmed: bool = False,
) -> SourceProfile:
    """A profile change is a new version; earlier versions stay. Records left unmapped are re-normalised.

    A new way of building record ids, for a source with records, must be confirmed: stored records keep their ids,
    so a new file's rows for them would be created again, as other records."""
    try:
        profile_config_parse(config)
    except ProfileError as error:
        raise ApplicationError(
            _("The profile is not valid: %(problems)s") % {"problems": "; ".join(error.problems)},
            code="invalid_profile",
            extra={"problems": error.problems},
        ) from error
    current = source_profile_current(source=source)
    if current is not None and not record_id_change_confirmed:
        _record_id_change_check(source=source, before=current.config, after=config)
    if current is not None and current.config == config:
        return current
    profile = SourceProfile.objects.create(
        source=source,
        version=(current.version + 1) if current else 1,
        config=config,
        config_written=json.dumps(config, ensure_ascii=False, indent=2),
        comment=comment[:300],
        created_by=created_by,
    )
    audit_record(
        actor=created_by,
        action="profile.changed",
        target_type="source_profile",
        target_id=profile.pk,
        detail={"source": source.code, "version": profile.version, "comment": comment},
        ip_address=ip_address,
    )
    if current is not None and _changes_stored_records(current.config, config):
        if SourceRecord.objects.filter(source=source).exists():
            task_enqueue(name=SOURCE_RENORMALISE, args=(source.code,), kwargs={"only_unmapped": False})
    elif SourceRecord.objects.filter(source=source, status=SourceRecord.Status.UNMAPPED).exists():
        task_enqueue(name=SOURCE_RENORMALISE, args=(source.code,), kwargs={"only_unmapped": True})
    return profile


def _record_id_change_check(*, source: Source, before: dict, after: dict) -> None:
    built_before, built_after = _record_id_built(before), _record_id_built(after)
    if built_before == built_after:
        return
    stored = SourceRecord.objects.filter(source=source).count()
    if stored:
        raise ApplicationError(
            _(
                "The record id would be built from %(after)s instead of %(before)s. The %(count)d records stored keep "
                "their ids, so the rows of new files for them would become other records (each victim twice). Confirm "
                "the change only if the institution changed its ids."
            )
            % {"after": built_after, "before": built_before, "count": stored},
            code="record_id_changed",
        )


def _record_id_built(config: dict) -> str:
    """How a profile builds record ids, as said to people: "no_denuncia + '#' + correlativo_victima"."""
    try:
        parsed = profile_config_parse(config)
    except ProfileError:  # a stored version saved before a check it now fails: its record_id as written
        return json.dumps(config.get("record_id"), ensure_ascii=False)
    return f" + '{parsed.record_id_join}' + ".join(parsed.record_id_columns)


# What a stored row normalises to depends on these parts of a profile (not on how files are read).
NORMALISING_KEYS = ("fields", "rules", "missing_values")


def _changes_stored_records(before: dict, after: dict) -> bool:
    """True when records already normalised could now read differently. Vocabulary values only added (the
    usual fix of an unmapped value) change nothing for them: only the unmapped records are read again."""
    if any(before.get(key) != after.get(key) for key in NORMALISING_KEYS):
        return True
    old, new = before.get("vocabularies") or {}, after.get("vocabularies") or {}
    return any(new.get(name, {}).get(value) != term for name, mapping in old.items() for value, term in mapping.items())


def source_renormalise(*, source: Source, only_unmapped: bool = True) -> ImportRun | None:
    """Normalise stored rows again with the current profile (after a vocabulary fix), without a new upload.
    Changed records get a revision like any correction; the run is the report."""
    from .processing import import_run_stored_rows_process  # pandas, Arrow and shapely: loaded only when needed

    records = SourceRecord.objects.filter(source=source)
    if only_unmapped:
        records = records.filter(status=SourceRecord.Status.UNMAPPED)
    if not records.exists():
        return None
    profile = source_profile_current(source=source)
    config = profile_config_parse(profile.config)
    writer_runs = ImportRun.objects.filter(pk__in=records.values("last_run_id"))
    writers = {
        pk: (header, separator) for pk, header, separator in writer_runs.values_list("pk", "header", "separator")
    }
    header = sorted({column for run_header, _separator in writers.values() for column in run_header})
    run = ImportRun.objects.create(
        source=source,
        profile=profile,
        channel=ImportRun.Channel.RENORMALISATION,
        status=ImportRun.Status.RUNNING,
        original_filename=_("(stored rows, profile version %(version)d)") % {"version": profile.version},
        sha256="",
        size_bytes=0,
        header=header,
        separator=",",
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        attempts=1,
    )
    import_run_stored_rows_process(run=run, records=records, writers=writers, config=config)
    run.refresh_from_db()
    return run


def default_profiles_ensure() -> list[str]:
    """The default sources and their profiles as shipped (ingestion/default_profiles/*.json), where missing."""
    lines = []
    for path in sorted(DEFAULT_PROFILES_DIR.glob("*.json")):
        config = json.loads(path.read_text(encoding="utf-8"))
        source, _created = Source.objects.get_or_create(
            code=path.stem, defaults={"name": config.get("name", path.stem)}
        )
        if source_profile_current(source=source) is None:
            source_profile_save(source=source, config=config, comment="default profile as shipped")
            lines.append(f"source {source.code}: profile v1 installed")
    return lines


def vocabulary_mapping_add(
    *, source: Source, column: str, value: str, term: str, changed_by: User | None = None, ip_address: str | None = None
) -> SourceProfile:
    """Map one more source value onto a term: a new profile version, then the unmapped records are re-normalised."""
    current = source_profile_current(source=source)
    if current is None:
        raise ApplicationError(
            _("The source %(source)s has no profile yet.") % {"source": source.code}, code="no_profile"
        )
    config = json.loads(json.dumps(current.config_in_written_order))
    vocabulary = vocabulary_for_column(config=config, column=column)
    if vocabulary is None:
        raise ApplicationError(
            _("No vocabulary reads the column '%(column)s' in the %(source)s profile.")
            % {"column": column, "source": source.code},
            code="no_vocabulary",
        )
    mapping = config.setdefault("vocabularies", {}).setdefault(vocabulary, {})
    for written in [key for key in mapping if fold_value(key) == fold_value(value)]:
        del mapping[written]  # the same value written another way: the new mapping replaces it
    mapping[value] = term
    comment = f"{vocabulary}: {value!r} -> {term!r}"
    return source_profile_save(
        source=source, config=config, comment=comment, created_by=changed_by, ip_address=ip_address
    )
