"""Writing a publication as a new vintage, and reading the current one back.

Only what changed is written: a series row whose digest is not among the current rows is inserted as valid from
the new vintage, and a current row whose digest is not in the new publication is closed (valid to the new
vintage). Rows are written with COPY; an unchanged recomputation writes nothing.
"""
import functools
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from .counting import KEY
from .figures import month_date, month_number
from .models import DiscrepancySeries, MonthlySeries, Vintage
from .table import CONFLICT_BASES, PATTERN_PREFIX, CountTable, coverage_of_row, is_discrepancy_basis
from .terms import ALL, RECONCILED

_TABLE_CACHE_KEY = "indicators:current-count-table"
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)
_NULL = struct.pack(">i", -1)
_INT4, _INT2, _VARCHAR = 23, 21, 1043
_POSTGRES_EPOCH = date(2000, 1, 1).toordinal()


def _field(data: bytes | None) -> bytes:
    return _NULL if data is None else struct.pack(">i", len(data)) + data


def _int(value: int) -> bytes:
    return struct.pack(">q", int(value))


def _date(value: date) -> bytes:
    return struct.pack(">i", value.toordinal() - _POSTGRES_EPOCH)


def _arrays(matrix: np.ndarray, *, oid: int = _INT4) -> list[bytes]:
    """PostgreSQL binary array values, one per row of an integer matrix, built by numpy in one pass."""
    rows, length = matrix.shape
    size = 2 if oid == _INT2 else 4
    elements = np.empty((rows, length), dtype=[("size", ">i4"), ("value", f">i{size}")])
    elements["size"], elements["value"] = size, matrix
    header = struct.pack(">iiiii", 1, 0, oid, length, 1)
    data, width = elements.tobytes(), elements.itemsize * length
    return [header + data[row * width:(row + 1) * width] for row in range(rows)]


def _matrix_array(matrix: np.ndarray) -> bytes:
    """A two-dimensional int4[][] in binary form (no dimensions when the matrix has no rows)."""
    if not matrix.size:
        return struct.pack(">iii", 0, 0, _INT4)
    elements = np.empty(matrix.shape, dtype=[("size", ">i4"), ("value", ">i4")])
    elements["size"], elements["value"] = 4, matrix
    return struct.pack(">iiiiiii", 2, 0, _INT4, matrix.shape[0], 1, matrix.shape[1], 1) + elements.tobytes()


def _text_array(values: list[str]) -> bytes:
    if not values:
        return struct.pack(">iii", 0, 0, _VARCHAR)
    return struct.pack(">iiiii", 1, 0, _VARCHAR, len(values), 1) + b"".join(_field(value.encode()) for value in values)


def _digest(*parts: bytes | None) -> int:
    joined = b"\x1f".join(b"\x00" if part is None else part for part in parts)
    return int.from_bytes(hashlib.blake2b(joined, digest_size=8).digest(), "big", signed=True)


def _row_digests(*parts) -> np.ndarray:
    """One 64-bit digest per row of several row-aligned parts (frames or matrices), computed in C by pandas."""
    hashes = [pd.util.hash_pandas_object(pd.DataFrame(part).reset_index(drop=True), index=False).to_numpy()
              for part in parts]
    return pd.util.hash_pandas_object(pd.DataFrame(np.column_stack(hashes)), index=False).to_numpy().view(np.int64)


@dataclass
class _Rows:
    """Rows to publish: every row's digest, and their fields in binary form built only for the rows asked for
    (an incremental computation usually leaves most series as they are)."""

    digests: np.ndarray
    fields_of: Callable[[np.ndarray], list[list]]


def _monthly_rows(table: CountTable, populations: dict, marks: np.ndarray) -> _Rows:
    keys = table.keys[KEY]
    blocks, digests = [], []
    for basis, indexes in keys.groupby("basis").indices.items():
        coverage = coverage_of_row(table, basis)
        if is_discrepancy_basis(basis) or coverage is None:
            continue
        start, stop = coverage[0] - table.first_month, coverage[1] - table.first_month + 1
        subset = keys.iloc[indexes]
        counts, suppression = table.counts[indexes, start:stop], marks[indexes, start:stop]
        population = np.full(counts.shape, -1, dtype=np.int64)
        for position, unit in enumerate(zip(subset["level"], subset["unit_id"])):
            if (values := populations.get(unit)) is not None:
                population[position] = values[start:stop]
        # The key as one text per row: the hash must not depend on how pandas typed the columns.
        key_text = subset["level"].astype(str)
        for column in KEY[1:]:
            key_text = key_text + "\x1f" + subset[column].astype(str)
        key_text = key_text + f"\x1f{coverage[0]}"
        digests.append(_row_digests(key_text.astype(object), counts, suppression, population))
        blocks.append((list(subset.itertuples(index=False, name=None)), coverage[0], counts, suppression, population))
    offsets = np.cumsum([0, *(len(block[0]) for block in blocks)])

    def fields_of(positions: np.ndarray) -> list[list]:
        text = functools.cache(str.encode)
        rows = []
        for number, (key_tuples, first_month, counts, suppression, population) in enumerate(blocks):
            chosen = positions[(positions >= offsets[number]) & (positions < offsets[number + 1])] - offsets[number]
            if not len(chosen):
                continue
            first = _date(month_date(first_month))
            with_population = population[chosen, 0] >= 0
            population_arrays = iter(_arrays(population[chosen[with_population]]))
            for row, count, hidden, has_population in zip(chosen, _arrays(counts[chosen]),
                                                          _arrays(suppression[chosen], oid=_INT2), with_population):
                level, unit, series, basis, sex, band = key_tuples[row]
                rows.append([text(level), _int(unit), text(series), first, text(basis), text(sex), text(band), count,
                             next(population_arrays) if has_population else None, hidden])
        return rows

    return _Rows(digests=np.concatenate(digests) if digests else np.zeros(0, dtype=np.int64), fields_of=fields_of)


def _discrepancy_rows(table: CountTable) -> _Rows:
    coverage = table.coverage.get(RECONCILED)
    if coverage is None:
        return _Rows(digests=np.zeros(0, dtype=np.int64), fields_of=lambda positions: [])
    start, stop = coverage[0] - table.first_month, coverage[1] - table.first_month + 1
    keys = table.keys[KEY]
    eligible = ((keys["sex"] == ALL) & (keys["age_band"] == ALL)
                & ((keys["basis"] == RECONCILED) | keys["basis"].map(is_discrepancy_basis))).to_numpy()
    chosen, rows_of = keys[eligible], np.flatnonzero(eligible)
    bases = chosen["basis"].to_numpy()
    groups = chosen.groupby(["level", "unit_id", "series"], sort=False).indices
    # Victims and the three conflicts of every group, as one matrix turned into binary arrays at once.
    fixed = [RECONCILED, *CONFLICT_BASES.values()]
    counts = np.vstack([table.counts[:, start:stop], np.zeros((1, stop - start), dtype=np.int64)])
    absent = len(counts) - 1
    gather = np.full((len(groups), len(fixed)), absent)
    for group, positions in enumerate(groups.values()):
        for position in positions:
            if bases[position] in fixed:
                gather[group, fixed.index(bases[position])] = rows_of[position]
    arrays = _arrays(counts[gather.ravel()])
    first = _date(month_date(coverage[0]))
    rows = []
    for group, ((level, unit, series), positions) in enumerate(groups.items()):
        patterns = sorted((bases[position], rows_of[position]) for position in positions
                          if bases[position].startswith(PATTERN_PREFIX) and counts[rows_of[position]].any())
        names = _text_array([basis.removeprefix(PATTERN_PREFIX) for basis, _ in patterns])
        by_pattern = _matrix_array(counts[[row for _, row in patterns]] if patterns else np.zeros((0, 0)))
        measures = arrays[group * len(fixed):(group + 1) * len(fixed)]
        key = [level.encode(), _int(unit), series.encode(), first]
        rows.append((_digest(*key, names, by_pattern, *measures), [*key, measures[0], names, by_pattern,
                                                                   *measures[1:]]))
    return _Rows(digests=np.array([digest for digest, _ in rows], dtype=np.int64),
                 fields_of=lambda positions: [rows[position][1] for position in positions])


def _write(*, model, columns: list[str], rows: _Rows, vintage: Vintage) -> tuple[int, int]:
    """Close the current rows not in `rows` and insert the rows not current. Returns (added, retired)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT digest FROM {table} WHERE valid_to_id IS NULL")
        current = np.array([digest for (digest,) in cursor.fetchall()], dtype=np.int64)
        gone = current[~np.isin(current, rows.digests)].tolist()
        if gone:
            # A join, not `digest = ANY(...)`: a bound array is searched row by row, a join is hashed.
            cursor.execute(f"UPDATE {table} AS series SET valid_to_id = %s FROM unnest(%s::bigint[]) AS gone(digest) "
                           "WHERE series.valid_to_id IS NULL AND series.digest = gone.digest", [vintage.pk, gone])
        fresh = np.flatnonzero(~np.isin(rows.digests, current))
        if len(fresh):
            vintage_field = _field(_int(vintage.pk))
            with cursor.copy(f"COPY {table} (valid_from_id, digest, {', '.join(columns)}) FROM STDIN "
                             "WITH (FORMAT binary)") as copy:
                # One write per megabyte, not per row: each write is a round trip to the server.
                buffer = bytearray(_COPY_HEADER)
                for digest, fields in zip(rows.digests[fresh].tolist(), rows.fields_of(fresh), strict=True):
                    buffer += struct.pack(">h", len(fields) + 2) + vintage_field + _field(_int(digest))
                    buffer += b"".join(_field(field) for field in fields)
                    if len(buffer) > 1 << 20:
                        copy.write(buffer)
                        buffer = bytearray()
                copy.write(buffer + _COPY_TRAILER)
    return len(fresh), len(gone)


def table_publish(*, table: CountTable, populations: dict, marks: np.ndarray, vintage: Vintage) -> tuple[int, int]:
    monthly = _write(model=MonthlySeries, vintage=vintage, rows=_monthly_rows(table, populations, marks),
                     columns=["level", "unit_id", "series", "first_month", "basis", "sex", "age_band", "counts",
                              "populations", "suppression"])
    discrepancies = _write(model=DiscrepancySeries, vintage=vintage, rows=_discrepancy_rows(table),
                           columns=["level", "unit_id", "series", "first_month", "victims", "patterns", "pattern_counts",
                                    "classification_conflicts", "date_conflicts", "place_conflicts"])
    return monthly[0] + discrepancies[0], monthly[1] + discrepancies[1]


def _publishing_vintage() -> tuple | None:
    """The last vintage that changed the publication (the current series are what it left), as an identity that
    no other database's vintage shares."""
    return (Vintage.objects.filter(status=Vintage.Status.DONE).filter(Q(rows_added__gt=0) | Q(rows_retired__gt=0))
            .order_by("-pk").values_list("pk", "data_as_of").first())


def table_remember(*, table: CountTable, vintage: tuple) -> None:
    """Keep the publication's count table in the cache (Redis), so the next incremental computation starts from
    it instead of reading every series back: shared by every worker, and rebuilt from the tables when missing."""
    compact = CountTable(keys=table.keys, counts=table.counts.astype(np.int32), first_month=table.first_month,
                         coverage=table.coverage)
    cache.set(_TABLE_CACHE_KEY, (vintage, compact), timeout=settings.INDICATORS_TABLE_CACHE_SECONDS)


def stored_table() -> CountTable:
    """The current publication's counts as a table (the starting point of an incremental computation)."""
    publishing = _publishing_vintage()
    cached = cache.get(_TABLE_CACHE_KEY)
    if cached is not None and publishing is not None and cached[0] == publishing:
        table = cached[1]
        return CountTable(keys=table.keys, counts=table.counts.astype(np.int64), first_month=table.first_month,
                          coverage=table.coverage)
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
            valid_to__isnull=True).values_list("level", "unit_id", "series", "first_month", "patterns",
                                               "pattern_counts",
                                               "classification_conflicts", "date_conflicts", "place_conflicts"):
        start = month_number(first)
        named = {PATTERN_PREFIX + pattern: counts for pattern, counts in zip(patterns, by_pattern, strict=True)}
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
