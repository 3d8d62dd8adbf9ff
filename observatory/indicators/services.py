"""Computing the indicators as a new vintage: the only code that writes published figures."""
import logging
import time

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatory.accounts.models import User

from .figures import month_date
from .models import Vintage

logger = logging.getLogger(__name__)

# One computation at a time, whatever the worker or command.
_VINTAGE_LOCK = 0x1D1C_A705


def vintage_create(*, kind: str, reason: str = "", requested_by: User | None = None) -> Vintage:
    """Queue a computation for after the current transaction commits. A queued incremental computation that has
    not started yet already covers whatever changed before it starts, so a second one is not queued."""
    from .tasks import vintage_compute_task

    if kind == Vintage.Kind.INCREMENTAL:
        waiting = Vintage.objects.filter(status=Vintage.Status.QUEUED, kind=kind).first()
        if waiting is not None:
            return waiting
    vintage = Vintage.objects.create(kind=kind, reason=reason[:200], requested_by=requested_by)
    transaction.on_commit(lambda: vintage_compute_task.delay(vintage.pk))
    return vintage


def vintage_now(*, kind: str, reason: str = "", requested_by: User | None = None) -> Vintage:
    """Create a computation and run it in this process, undercount estimates included (the command, tests)."""
    vintage = Vintage.objects.create(kind=kind, reason=reason[:200], requested_by=requested_by)
    vintage = vintage_execute(vintage_id=vintage.pk, queue_undercount=False)
    undercount_estimate(vintage_id=vintage.pk)
    vintage.refresh_from_db()
    return vintage


def undercount_estimate(*, vintage_id: int) -> int:
    """Multiple systems estimates for the strata whose overlap counts a vintage changed. Returns how many."""
    from .undercount_strata import undercount_update

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_VINTAGE_LOCK])
        strata = undercount_update(vintage=Vintage.objects.get(pk=vintage_id))
        Vintage.objects.filter(pk=vintage_id).update(undercount_strata=strata,
                                                     undercount_seconds=time.perf_counter() - started)
    return strata


def vintage_execute(*, vintage_id: int, queue_undercount: bool = True) -> Vintage:
    """Run a queued computation to its end; safe to call again for one a killed worker left behind. The
    undercount estimates follow as their own task (their model fits take longer than the figures)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_VINTAGE_LOCK])
    try:
        vintage = Vintage.objects.get(pk=vintage_id)
        if vintage.status == Vintage.Status.DONE:
            return vintage
        vintage.status, vintage.started_at, vintage.error = Vintage.Status.RUNNING, timezone.now(), ""
        vintage.save(update_fields=["status", "started_at", "error"])
        try:
            with transaction.atomic():
                _compute(vintage)
                vintage.status, vintage.finished_at, vintage.progress = Vintage.Status.DONE, timezone.now(), _("Done")
                vintage.save()
                if queue_undercount:
                    from .tasks import undercount_task

                    transaction.on_commit(lambda: undercount_task.delay(vintage.pk))
        except Exception as error:
            logger.exception("Indicator vintage %s failed", vintage.pk)
            Vintage.objects.filter(pk=vintage.pk).update(status=Vintage.Status.FAILED, error=str(error)[:2000],
                                                         finished_at=timezone.now())
            raise
        return vintage
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_VINTAGE_LOCK])


def latest_vintage() -> Vintage | None:
    return Vintage.objects.filter(status=Vintage.Status.DONE).order_by("-pk").first()


def _touched_months(since) -> list[int]:
    """Months of the records and victims changed since `since`, and the months changed records were in before."""
    month = "(extract(year from d) * 12 + extract(month from d) - 1)::int"
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT DISTINCT {month} FROM (
                SELECT coalesce(event_date, death_date) AS d FROM records_sourcerecord WHERE updated_at > %(since)s
                UNION ALL
                SELECT coalesce((normalised ->> 'event_date')::date, (normalised ->> 'death_date')::date)
                FROM records_sourcerecordrevision WHERE replaced_at > %(since)s
                UNION ALL
                SELECT coalesce(event_date, death_date) FROM reconciliation_victim
                WHERE updated_at > %(since)s OR retired_at > %(since)s
            ) changed WHERE d IS NOT NULL ORDER BY 1
        """, {"since": since})
        return [number for (number,) in cursor.fetchall()]


def _progress(vintage: Vintage, message: str) -> None:
    vintage.progress = message
    Vintage.objects.filter(pk=vintage.pk).update(progress=message)


def _compute(vintage: Vintage) -> None:
    # Imported here: pandas and scipy cost every process that merely starts Django a noticeable moment.
    from .alerts import alerts_replace
    from .counting import Hierarchy, events_count, rolled_up
    from .populations import monthly_populations
    from .publishing import stored_table, table_publish, table_remember
    from .suppression import suppression_matrix
    from .table import discrepancy_counts, table_from_counts, table_patched

    import pandas as pd

    previous = latest_vintage()
    full = vintage.kind == Vintage.Kind.FULL or previous is None
    vintage.kind = Vintage.Kind.FULL if full else vintage.kind
    vintage.data_as_of = timezone.now()
    months = None
    if not full:
        months = _touched_months(previous.data_as_of)
        if not months:
            vintage.progress = _("Nothing changed since vintage #%(vintage)d") % {"vintage": previous.pk}
            return
    _progress(vintage, _("Counting records and victims"))
    records, victims = events_count(months=months)
    hierarchy = Hierarchy.load()
    discrepancy_columns = ["pattern", "class_conflict", "date_conflict", "place_conflict"]
    counts = rolled_up(events=pd.concat([records, victims.drop(columns=discrepancy_columns)], ignore_index=True),
                       hierarchy=hierarchy)
    by_pattern = rolled_up(events=victims, hierarchy=hierarchy, extra=discrepancy_columns)
    fresh = pd.concat([counts, discrepancy_counts(by_pattern)], ignore_index=True)
    table = table_from_counts(fresh) if full else table_patched(stored=stored_table(), months=months, long=fresh)
    if table.counts.size:
        vintage.first_month = month_date(min(months) if months else table.first_month)
        vintage.last_month = month_date(max(months) if months else int(table.months[-1]))
    _progress(vintage, _("Computing rates and suppression"))
    populations = monthly_populations(months=table.months)
    marks = suppression_matrix(table)
    _progress(vintage, _("Publishing"))
    vintage.rows_added, vintage.rows_retired = table_publish(table=table, populations=populations, marks=marks,
                                                             vintage=vintage)
    if vintage.rows_added or vintage.rows_retired:
        transaction.on_commit(lambda: table_remember(table=table, vintage=(vintage.pk, vintage.data_as_of)))
    _progress(vintage, _("Alerts"))
    alerts_replace(table=table, vintage=vintage)
