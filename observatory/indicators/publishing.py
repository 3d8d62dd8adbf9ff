"""Writing a publication as a new vintage, and reading the current one back.

Only what changed is written: a series row whose digest is not among the current rows is inserted as valid from
the new vintage, and a current row whose digest is not in the new publication is closed (valid to the new
vintage). Rows are written with COPY; an unchanged recomputation writes nothing. The rows and their digests are
built in publication_rows. The count table the next computation starts from is kept in the cache (Redis) and
read back from the series when it is missing.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from psycopg.copy import QueuedLibpqWriter

from observatory.database.binary_copy import COPY_HEADER, COPY_TRAILER

from .counting import KEY
from .coverage import Coverage
from .figures import month_number
from .models import DiscrepancySeries, MonthlySeries, Vintage
from .publication_rows import PublicationRows, discrepancy_rows, monthly_rows
from .table import CONFLICT_BASES, PATTERN_PREFIX, CountTable
from .terms import ALL

_TABLE_CACHE_KEY = "indicators:current-count-table"


def _write(*, database, model, rows: PublicationRows, vintage: Vintage) -> tuple[int, int]:
    """Close the current rows not in `rows` and insert the rows not current, on psycopg's connection `database`.
    Returns (added, retired)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with database.cursor() as cursor:
        cursor.execute(f"SELECT digest FROM {table} WHERE valid_to_id IS NULL")
        current = np.array([digest for (digest,) in cursor.fetchall()], dtype=np.int64)
        gone = current[~np.isin(current, rows.digests)].tolist()
        if gone:
            # A join, not `digest = ANY(...)`: a bound array is searched row by row, a join is hashed.
            cursor.execute(
                f"UPDATE {table} AS series SET valid_to_id = %s FROM unnest(%s::bigint[]) AS gone(digest) "
                "WHERE series.valid_to_id IS NULL AND series.digest = gone.digest",
                [vintage.pk, gone],
            )
        fresh = np.flatnonzero(~np.isin(rows.digests, current))
        if len(fresh):
            # Tuples are built a block at a time, and a thread sends each block while the next one is built.
            with cursor.copy(
                f"COPY {table} (valid_from_id, digest, {', '.join(rows.columns)}) FROM STDIN WITH (FORMAT binary)",
                writer=QueuedLibpqWriter(cursor),
            ) as copy:
                copy.write(COPY_HEADER)
                for block in rows.tuples_of(fresh, vintage.pk):
                    copy.write(block)
                copy.write(COPY_TRAILER)
    return len(fresh), len(gone)


def table_publish(
    *, table: CountTable, populations: dict, marks: np.ndarray, coverage: Coverage, vintage: Vintage
) -> tuple[int, int]:
    """Write what changed, in the current transaction. The monthly rows are written from a thread of their own, so
    the database closes and stores them while the discrepancy rows are built."""
    monthly = monthly_rows(table=table, populations=populations, marks=marks, covered=coverage)
    # psycopg's connection, in the transaction Django opened: Django gives another thread a connection of its own.
    connection.ensure_connection()
    database = connection.connection
    with ThreadPoolExecutor(max_workers=1) as writer:
        monthly_written = writer.submit(_write, database=database, model=MonthlySeries, rows=monthly, vintage=vintage)
        discrepancies = discrepancy_rows(table=table)
        added, retired = monthly_written.result()
    more_added, more_retired = _write(database=database, model=DiscrepancySeries, rows=discrepancies, vintage=vintage)
    return added + more_added, retired + more_retired


def _publishing_vintage() -> tuple | None:
    """The last vintage that changed the publication (the current series are what it left), as an identity that
    no other database's vintage shares."""
    return (
        Vintage.objects.filter(status=Vintage.Status.DONE)
        .filter(Q(rows_added__gt=0) | Q(rows_retired__gt=0))
        .order_by("-pk")
        .values_list("pk", "data_as_of")
        .first()
    )


def table_remember(*, table: CountTable, vintage: tuple) -> None:
    """Keep the publication's count table in the cache (Redis), so the next incremental computation starts from
    it instead of reading every series back: shared by every worker, and rebuilt from the tables when missing."""
    # Counts are never negative: the smallest unsigned type that holds them (usually two bytes) is read back fastest.
    smallest = np.min_scalar_type(int(table.counts.max()) if table.counts.size else 0)
    compact = CountTable(
        keys=table.keys, counts=table.counts.astype(smallest), first_month=table.first_month, coverage=table.coverage
    )
    cache.set(_TABLE_CACHE_KEY, (vintage, compact), timeout=settings.INDICATORS_TABLE_CACHE_SECONDS)


def stored_table() -> CountTable:
    """The current publication's counts as a table (the starting point of an incremental computation)."""
    publishing = _publishing_vintage()
    cached = cache.get(_TABLE_CACHE_KEY)
    if cached is not None and publishing is not None and cached[0] == publishing:
        table = cached[1]
        return CountTable(
            keys=table.keys,
            counts=table.counts.astype(np.int64),
            first_month=table.first_month,
            coverage=table.coverage,
        )
    table = _table_from_series()
    if publishing is not None:
        table_remember(table=table, vintage=publishing)
    return table


def _table_from_series() -> CountTable:
    long_parts, coverage = [], {}
    for row in MonthlySeries.objects.filter(valid_to__isnull=True).values_list(*KEY, "first_month", "counts"):
        *key, first, counts = row
        start = month_number(first)
        end = start + len(counts) - 1
        old = coverage.get(key[3])
        coverage[key[3]] = (min(start, old[0]), max(end, old[1])) if old else (start, end)
        long_parts.append((*key, start, np.asarray(counts, dtype=np.int64)))
    for level, unit, series, first, patterns, by_pattern, *conflicts in DiscrepancySeries.objects.filter(
        valid_to__isnull=True
    ).values_list(
        "level",
        "unit_id",
        "series",
        "first_month",
        "patterns",
        "pattern_counts",
        "classification_conflicts",
        "date_conflicts",
        "place_conflicts",
    ):
        start = month_number(first)
        named = {PATTERN_PREFIX + pattern: counts for pattern, counts in zip(patterns, by_pattern, strict=True)}
        named.update(zip(CONFLICT_BASES.values(), conflicts, strict=True))
        for basis, counts in named.items():
            long_parts.append((level, unit, series, basis, ALL, ALL, start, np.asarray(counts, dtype=np.int64)))
    if not coverage:
        return CountTable(
            keys=pd.DataFrame(columns=KEY), counts=np.zeros((0, 0), dtype=np.int64), first_month=0, coverage={}
        )
    first = min(start for start, _ in coverage.values())
    last = max(end for _, end in coverage.values())
    counts = np.zeros((len(long_parts), last - first + 1), dtype=np.int64)
    for index, (*_, start, values) in enumerate(long_parts):
        counts[index, start - first : start - first + len(values)] = values
    keys = pd.DataFrame([part[:6] for part in long_parts], columns=KEY)
    return CountTable(keys=keys, counts=counts, first_month=first, coverage=coverage)
