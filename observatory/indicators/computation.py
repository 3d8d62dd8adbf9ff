"""One computation of the indicators (services.vintage_execute runs it as a job).

Its own module because it needs pandas and scipy, which the rest of Django does not load.
"""

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatory.jobs.services import job_progress

from .alerts import alerts_replace
from .counting import Hierarchy, events_count, rolled_up
from .coverage import source_cutoffs, table_coverage
from .figures import month_date
from .models import Vintage
from .populations import monthly_populations
from .published_marks import kept_marks
from .publishing import stored_table, table_publish, table_remember
from .selectors import latest_vintage
from .suppression import audit_summary, protected_marks
from .table import discrepancy_counts, table_from_counts, table_patched


def _touched_months(since) -> list[int]:
    """Months of the records and victims changed since `since`, and the months changed records were in before."""
    month = "(extract(year from d) * 12 + extract(month from d) - 1)::int"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT {month} FROM (
                SELECT coalesce(event_date, death_date) AS d FROM records_sourcerecord WHERE updated_at > %(since)s
                UNION ALL
                SELECT coalesce((normalised ->> 'event_date')::date, (normalised ->> 'death_date')::date)
                FROM records_sourcerecordrevision WHERE replaced_at > %(since)s
                UNION ALL
                SELECT coalesce(event_date, death_date) FROM reconciliation_victim WHERE updated_at > %(since)s
                UNION ALL  -- not an OR: each condition has its own index
                SELECT coalesce(event_date, death_date) FROM reconciliation_victim WHERE retired_at > %(since)s
            ) changed WHERE d IS NOT NULL ORDER BY 1
        """,
            {"since": since},
        )
        return [number for (number,) in cursor.fetchall()]


def _status_kept_from(vintage: Vintage, previous: Vintage) -> None:
    """A vintage that changed nothing reads its months as the one before it did."""
    vintage.source_cutoffs, vintage.settling_days = previous.source_cutoffs, previous.settling_days
    vintage.coverage_sources, vintage.coverage_notes = previous.coverage_sources, previous.coverage_notes


def vintage_compute(vintage: Vintage) -> None:
    """Count, patch or build the table, add populations and suppression, publish what changed, raise alerts. Its
    progress: the share of its four stages begun (counting, rates, audit, publishing)."""
    previous = latest_vintage()
    full = vintage.kind == Vintage.Kind.FULL or previous is None
    vintage.kind = Vintage.Kind.FULL if full else vintage.kind
    vintage.data_as_of = timezone.now()
    months = None
    if not full:
        months = _touched_months(previous.data_as_of)
        if not months:
            note = _("Nothing changed since vintage #%(vintage)d") % {"vintage": previous.pk}
            job_progress(job=vintage, fraction=1.0, note=note)
            _status_kept_from(vintage, previous)
            return
    job_progress(job=vintage, fraction=0.0, note=_("Counting records and victims"))
    records, victims = events_count(months=months)
    hierarchy = Hierarchy.load()
    discrepancy_columns = ["pattern", "class_conflict", "date_conflict", "place_conflict"]
    counts = rolled_up(
        events=pd.concat([records, victims.drop(columns=discrepancy_columns)], ignore_index=True), hierarchy=hierarchy
    )
    by_pattern = rolled_up(events=victims, hierarchy=hierarchy, extra=discrepancy_columns)
    fresh = pd.concat([counts, discrepancy_counts(by_pattern)], ignore_index=True)
    table = table_from_counts(fresh) if full else table_patched(stored=stored_table(), months=months, long=fresh)
    if table.counts.size:
        vintage.first_month = month_date(min(months) if months else table.first_month)
        vintage.last_month = month_date(max(months) if months else int(table.months[-1]))
    job_progress(job=vintage, fraction=0.25, note=_("Computing rates and suppression"))
    populations = monthly_populations(months=table.months)
    job_progress(job=vintage, fraction=0.5, note=_("Auditing the suppression"))
    kept = None if full else kept_marks(table=table)
    marks, audit = protected_marks(table, kept=kept, recomputed=None if kept is None else np.isin(table.months, months))
    vintage.disclosure_audit = audit_summary(audit, table)
    coverage = table_coverage(table=table, hierarchy=hierarchy, populations=populations)
    vintage.coverage_sources, vintage.coverage_notes = coverage.sources, coverage.notes
    vintage.source_cutoffs = source_cutoffs(sources=coverage.sources, today=vintage.data_as_of.date())
    vintage.settling_days = settings.INDICATORS_SETTLING_DAYS
    job_progress(job=vintage, fraction=0.75, note=_("Publishing"))
    # Reading and computing run outside any transaction, so the progress above is seen while they run; what is
    # published, and the alerts read from it, change in one transaction.
    with transaction.atomic():
        vintage.rows_added, vintage.rows_retired = table_publish(
            table=table, populations=populations, marks=marks, coverage=coverage, vintage=vintage
        )
        if vintage.rows_added or vintage.rows_retired:
            transaction.on_commit(lambda: table_remember(table=table, vintage=(vintage.pk, vintage.data_as_of)))
        alerts_replace(table=table, vintage=vintage)
