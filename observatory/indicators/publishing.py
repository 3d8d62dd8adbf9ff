"""Writing a publication as a new vintage, and reading the current one back.

Only what changed is written: a series row whose digest is not among the current rows is inserted as valid from
the new vintage, and a current row whose digest is not in the new publication is closed (valid to the new
vintage). Rows are written with COPY; an unchanged recomputation writes nothing.
"""
import hashlib
import io
import json
from collections import defaultdict

import numpy as np
import pandas as pd
from django.db import connection

from .counting import KEY
from .figures import month_date, month_number
from .models import DiscrepancySeries, MonthlySeries, Vintage
from .table import CONFLICT_BASES, PATTERN_PREFIX, CountTable, coverage_of_row, is_discrepancy_basis
from .terms import ALL, RECONCILED

def _array(values) -> str:
    return "{" + ",".join("NULL" if value is None else str(value) for value in values) + "}"


def _digest(*parts) -> int:
    hasher = hashlib.blake2b(digest_size=8)
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else str(part).encode())
        hasher.update(b"\x1f")
    return int.from_bytes(hasher.digest(), "big", signed=True)


def _monthly_rows(table: CountTable, populations: dict, marks: np.ndarray) -> list[tuple]:
    rows = []
    for index, (level, unit, series, basis, sex, band) in enumerate(table.keys[KEY].itertuples(index=False,
                                                                                                 name=None)):
        coverage = coverage_of_row(table, basis)
        if is_discrepancy_basis(basis) or coverage is None:
            continue
        start, stop = coverage[0] - table.first_month, coverage[1] - table.first_month + 1
        counts = table.counts[index, start:stop]
        population = populations.get((level, unit))
        population = [None] * len(counts) if population is None else population[start:stop].astype(np.int64).tolist()
        suppression = marks[index, start:stop]
        digest = _digest(level, unit, series, basis, sex, band, coverage[0], counts.tobytes(),
                         population, suppression.tobytes())
        rows.append((digest, level, unit, series, month_date(coverage[0]), basis, sex, band,
                     _array(counts.tolist()), _array(population), _array(suppression.tolist())))
    return rows


def _discrepancy_rows(table: CountTable) -> list[tuple]:
    coverage = table.coverage.get(RECONCILED)
    if coverage is None:
        return []
    start, stop = coverage[0] - table.first_month, coverage[1] - table.first_month + 1
    measures: dict[tuple, dict[str, np.ndarray]] = defaultdict(dict)
    for index, (level, unit, series, basis, sex, band) in enumerate(table.keys[KEY].itertuples(index=False,
                                                                                                 name=None)):
        if sex == ALL and band == ALL and (basis == RECONCILED or is_discrepancy_basis(basis)):
            measures[(level, unit, series)][basis] = table.counts[index, start:stop]
    rows = []
    zeros = np.zeros(stop - start, dtype=np.int64)
    for (level, unit, series), values in measures.items():
        victims = values.get(RECONCILED, zeros)
        overlap = {basis.removeprefix(PATTERN_PREFIX): counts.tolist() for basis, counts in sorted(values.items())
                   if basis.startswith(PATTERN_PREFIX) and counts.any()}
        conflicts = [values.get(basis, zeros) for basis in CONFLICT_BASES.values()]
        digest = _digest(level, unit, series, coverage[0], victims.tobytes(), sorted(overlap.items()),
                         *(conflict.tobytes() for conflict in conflicts))
        rows.append((digest, level, unit, series, month_date(coverage[0]), _array(victims.tolist()), json.dumps(overlap),
                     *(_array(conflict.tolist()) for conflict in conflicts)))
    return rows


def _write(*, model, columns: list[str], rows: list[tuple], vintage: Vintage) -> tuple[int, int]:
    """Close the current rows not in `rows` and insert the rows not current. Returns (added, retired)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT digest FROM {table} WHERE valid_to_id IS NULL")
        current = {digest for (digest,) in cursor.fetchall()}
        wanted = {row[0] for row in rows}
        gone = list(current - wanted)
        if gone:
            cursor.execute(f"UPDATE {table} SET valid_to_id = %s WHERE valid_to_id IS NULL AND digest = ANY(%s)",
                           [vintage.pk, gone])
        fresh = [row for row in rows if row[0] not in current]
        if fresh:
            buffer = io.StringIO()
            for row in fresh:
                buffer.write("\t".join([str(vintage.pk), *map(str, row)]) + "\n")
            with cursor.copy(f"COPY {table} (valid_from_id, digest, {', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
    return len(fresh), len(gone)


def table_publish(*, table: CountTable, populations: dict, marks: np.ndarray, vintage: Vintage) -> tuple[int, int]:
    monthly = _write(model=MonthlySeries, vintage=vintage, rows=_monthly_rows(table, populations, marks),
                     columns=["level", "unit_id", "series", "first_month", "basis", "sex", "age_band", "counts",
                              "populations", "suppression"])
    discrepancies = _write(model=DiscrepancySeries, vintage=vintage, rows=_discrepancy_rows(table),
                           columns=["level", "unit_id", "series", "first_month", "victims", "overlap",
                                    "classification_conflicts", "date_conflicts", "place_conflicts"])
    return monthly[0] + discrepancies[0], monthly[1] + discrepancies[1]


def stored_table() -> CountTable:
    """The current publication's counts as a table (the starting point of an incremental computation)."""
    long_parts, coverage = [], {}
    for row in MonthlySeries.objects.filter(valid_to__isnull=True).values_list(*KEY, "first_month", "counts"):
        *key, first, counts = row
        start = month_number(first)
        end = start + len(counts) - 1
        old = coverage.get(key[3])
        coverage[key[3]] = (min(start, old[0]), max(end, old[1])) if old else (start, end)
        long_parts.append((*key, start, np.asarray(counts, dtype=np.int64)))
    for level, unit, series, first, overlap, *conflicts in DiscrepancySeries.objects.filter(
            valid_to__isnull=True).values_list("level", "unit_id", "series", "first_month", "overlap",
                                               "classification_conflicts", "date_conflicts", "place_conflicts"):
        start = month_number(first)
        named = {PATTERN_PREFIX + pattern: counts for pattern, counts in overlap.items()}
        named.update(zip(CONFLICT_BASES.values(), conflicts, strict=True))
        for basis, counts in named.items():
            long_parts.append((level, unit, series, basis, ALL, ALL, start, np.asarray(counts, dtype=np.int64)))
    if not coverage:
        return CountTable(keys=pd.DataFrame(columns=KEY), counts=np.zeros((0, 0), dtype=np.int64), first_month=0,
                          coverage={})
    first = min(start for start, _ in coverage.values())
    last = max(end for _, end in coverage.values())
    counts = np.zeros((len(long_parts), last - first + 1), dtype=np.int64)
    for index, (*_, start, values) in enumerate(long_parts):
        counts[index, start - first:start - first + len(values)] = values
    keys = pd.DataFrame([part[:6] for part in long_parts], columns=KEY)
    return CountTable(keys=keys, counts=counts, first_month=first, coverage=coverage)
