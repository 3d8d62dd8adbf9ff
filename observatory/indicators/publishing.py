"""Writing a publication as a new vintage, and reading the current one back.

Only what changed is written: a series row whose digest is not among the current rows is inserted as valid from
the new vintage, and a current row whose digest is not in the new publication is closed (valid to the new
vintage). Rows are written with COPY; an unchanged recomputation writes nothing.
"""

import hashlib
import struct
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from psycopg.copy import QueuedLibpqWriter

from .counting import KEY
from .coverage import Coverage
from .figures import month_date, month_number
from .models import DiscrepancySeries, MonthlySeries, Vintage
from .table import (
    CONFLICT_BASES,
    PATTERN_PREFIX,
    CountTable,
    coverage_of_row,
    discrepancy_basis_mask,
    is_discrepancy_basis,
)
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
    return [header + data[row * width : (row + 1) * width] for row in range(rows)]


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
    hashes = [
        pd.util.hash_pandas_object(pd.DataFrame(part).reset_index(drop=True), index=False).to_numpy() for part in parts
    ]
    return pd.util.hash_pandas_object(pd.DataFrame(np.column_stack(hashes)), index=False).to_numpy().view(np.int64)


@dataclass
class _Rows:
    """Rows to publish: every row's digest and, for the rows asked for (an incremental computation usually leaves
    most series as they are), their COPY tuples in binary form, columns in the order of `columns`."""

    columns: list[str]
    digests: np.ndarray
    tuples_of: Callable[[np.ndarray, int], Iterator[bytes]]


def _array_dtype(length: int, size: int) -> list:
    """A binary one-dimensional array field of `length` integers of `size` bytes: field length, header, elements."""
    return [
        ("length", ">i4"),
        ("header", ">i4", (5,)),
        ("elements", [("size", ">i4"), ("value", f">i{size}")], (length,)),
    ]


def _fill_array(field: np.ndarray, values: np.ndarray, *, oid: int) -> None:
    length, size = values.shape[1], 2 if oid == _INT2 else 4
    field["length"] = 20 + length * (4 + size)
    field["header"] = (1, 0, oid, length, 1)
    field["elements"]["size"], field["elements"]["value"] = size, values


_MONTHLY_TEXT_COLUMNS = ["level", "series", "basis", "sex", "age_band"]
_MONTHLY_COLUMNS = [
    "unit_id",
    "first_month",
    "counts",
    "populations",
    "suppression",
    "coverage",
    "covering_sources",
    *_MONTHLY_TEXT_COLUMNS,
]


def _monthly_tuples(
    *,
    digests: np.ndarray,
    units: np.ndarray,
    first_month: int,
    counts: np.ndarray,
    population: np.ndarray | None,
    suppression: np.ndarray,
    share: np.ndarray,
    covering: np.ndarray,
    texts: list[bytes],
    vintage: int,
) -> bytes:
    """Binary COPY tuples of rows sharing their months (and having populations or not), built by numpy: the
    fixed-width fields of every row at once, then each row's text fields after them."""
    length = counts.shape[1]
    populations = _array_dtype(length, 4) if population is not None else ">i4"
    fields = np.zeros(
        len(digests),
        dtype=[
            ("count", ">i2"),
            ("vintage", [("length", ">i4"), ("value", ">i8")]),
            ("digest", [("length", ">i4"), ("value", ">i8")]),
            ("unit", [("length", ">i4"), ("value", ">i8")]),
            ("first", [("length", ">i4"), ("value", ">i4")]),
            ("counts", _array_dtype(length, 4)),
            ("populations", populations),
            ("suppression", _array_dtype(length, 2)),
            ("coverage", _array_dtype(length, 2)),
            ("covering", _array_dtype(length, 4)),
        ],
    )
    fields["count"] = 2 + len(_MONTHLY_COLUMNS)
    fields["vintage"]["length"], fields["vintage"]["value"] = 8, vintage
    fields["digest"]["length"], fields["digest"]["value"] = 8, digests
    fields["unit"]["length"], fields["unit"]["value"] = 8, units
    fields["first"]["length"], fields["first"]["value"] = 4, month_date(first_month).toordinal() - _POSTGRES_EPOCH
    _fill_array(fields["counts"], counts, oid=_INT4)
    if population is None:
        fields["populations"] = -1
    else:
        _fill_array(fields["populations"], population, oid=_INT4)
    _fill_array(fields["suppression"], suppression, oid=_INT2)
    _fill_array(fields["coverage"], share, oid=_INT2)
    _fill_array(fields["covering"], covering, oid=_INT4)
    data, width = memoryview(fields.tobytes()), fields.dtype.itemsize
    return b"".join(part for row, text in enumerate(texts) for part in (data[row * width : (row + 1) * width], text))


def _monthly_rows(table: CountTable, populations: dict, marks: np.ndarray, covered: Coverage) -> _Rows:
    keys = table.keys[KEY]
    population_keys = list(populations)
    population_rows = {key: index for index, key in enumerate(population_keys)}
    population_matrix = (
        np.vstack([populations[key] for key in population_keys]).astype(np.int64)
        if population_keys
        else np.zeros((0, table.counts.shape[1]), dtype=np.int64)
    )
    # A row's population is its own group's (unit, sex, age band): none, so no rate, where that group has none.
    # Iterated as numpy's objects: pandas' text columns (arrow) are slow to iterate value by value.
    population_of = np.array(
        [
            population_rows.get(key, -1)
            for key in zip(
                keys["level"].to_numpy(dtype=object),
                keys["unit_id"].to_numpy().tolist(),
                keys["sex"].to_numpy(dtype=object),
                keys["age_band"].to_numpy(dtype=object),
                strict=False,
            )
        ],
        dtype=np.int64,
    )
    blocks, digests = [], []
    for basis, indexes in keys.groupby("basis").indices.items():
        coverage = coverage_of_row(table, basis)
        if is_discrepancy_basis(basis) or coverage is None:
            continue
        start, stop = coverage[0] - table.first_month, coverage[1] - table.first_month + 1
        subset = keys.iloc[indexes]
        counts, suppression = table.counts[indexes, start:stop], marks[indexes, start:stop]
        share, covering = covered.share[indexes, start:stop], covered.covering[indexes, start:stop]
        has_population = population_of[indexes] >= 0
        population = np.full(counts.shape, -1, dtype=np.int64)
        population[has_population] = population_matrix[population_of[indexes][has_population], start:stop]
        # The key as one text per row: the hash must not depend on how pandas typed the columns.
        key_text = subset["level"].astype(str)
        for column in KEY[1:]:
            key_text = key_text + "\x1f" + subset[column].astype(str)
        # The covering sources' names too: a mask means what the vintage's list of sources says.
        key_text = key_text + f"\x1f{coverage[0]}\x1f" + "+".join(covered.sources)
        digests.append(_row_digests(key_text.astype(object), counts, suppression, population, share, covering))
        # The text fields of a row, binary, shared by the many rows with the same ones (they differ by unit).
        text_codes, text_values = pd.MultiIndex.from_frame(subset[_MONTHLY_TEXT_COLUMNS]).factorize()
        texts = [b"".join(_field(value.encode()) for value in values) for values in text_values]
        blocks.append(
            (
                subset["unit_id"].to_numpy(),
                coverage[0],
                counts,
                suppression,
                population,
                has_population,
                share,
                covering,
                text_codes,
                texts,
            )
        )
    offsets = np.cumsum([0, *(len(block[0]) for block in blocks)])
    all_digests = np.concatenate(digests) if digests else np.zeros(0, dtype=np.int64)

    def tuples_of(positions: np.ndarray, vintage: int) -> Iterator[bytes]:
        for number, (
            units,
            first_month,
            counts,
            suppression,
            population,
            has_population,
            share,
            covering,
            text_codes,
            texts,
        ) in enumerate(blocks):
            chosen = positions[(positions >= offsets[number]) & (positions < offsets[number + 1])] - offsets[number]
            # A few thousand rows at a time, so the server stores one part while the next is built.
            for part in range(0, len(chosen), 2000):
                for with_population in (True, False):
                    rows = chosen[part : part + 2000]
                    rows = rows[has_population[rows] == with_population]
                    if not len(rows):
                        continue
                    yield _monthly_tuples(
                        digests=all_digests[offsets[number] + rows],
                        units=units[rows],
                        first_month=first_month,
                        counts=counts[rows],
                        population=population[rows] if with_population else None,
                        suppression=suppression[rows],
                        share=share[rows],
                        covering=covering[rows],
                        texts=[texts[code] for code in text_codes[rows].tolist()],
                        vintage=vintage,
                    )

    return _Rows(columns=_MONTHLY_COLUMNS, digests=all_digests, tuples_of=tuples_of)


_DISCREPANCY_COLUMNS = [
    "level",
    "unit_id",
    "series",
    "first_month",
    "victims",
    "patterns",
    "pattern_counts",
    "classification_conflicts",
    "date_conflicts",
    "place_conflicts",
]


def _discrepancy_tuples(fields_of_rows: list[list], digests: np.ndarray, vintage: int) -> bytes:
    """Binary COPY tuples of discrepancy rows (vintage, digest, then the row's fields)."""
    head = struct.pack(">h", len(_DISCREPANCY_COLUMNS) + 2) + _field(_int(vintage))
    return b"".join(
        head + _field(_int(digest)) + b"".join(_field(field) for field in fields)
        for digest, fields in zip(digests.tolist(), fields_of_rows, strict=True)
    )


def _discrepancy_rows(table: CountTable) -> _Rows:
    coverage = table.coverage.get(RECONCILED)
    if coverage is None:
        return _Rows(
            columns=_DISCREPANCY_COLUMNS,
            digests=np.zeros(0, dtype=np.int64),
            tuples_of=lambda positions, vintage: iter(()),
        )
    start, stop = coverage[0] - table.first_month, coverage[1] - table.first_month + 1
    keys = table.keys[KEY]
    eligible = ((keys["sex"] == ALL) & (keys["age_band"] == ALL)).to_numpy() & (
        (keys["basis"] == RECONCILED).to_numpy() | discrepancy_basis_mask(keys["basis"])
    )
    chosen, rows_of = keys[eligible], np.flatnonzero(eligible)
    bases = chosen["basis"].to_numpy()
    group_of = chosen.groupby(["level", "unit_id", "series"], sort=False).ngroup().to_numpy()
    n_groups = int(group_of.max()) + 1 if len(group_of) else 0
    group_keys = chosen.iloc[np.unique(group_of, return_index=True)[1]][["level", "unit_id", "series"]]
    # Victims and the three conflicts of every group, as one matrix turned into binary arrays at once.
    fixed = [RECONCILED, *CONFLICT_BASES.values()]
    counts = table.counts[rows_of, start:stop]  # the chosen rows only
    gather = np.full((n_groups, len(fixed)), -1)
    measure = pd.Series(bases).map({basis: index for index, basis in enumerate(fixed)}).to_numpy()
    is_measure = ~np.isnan(measure)
    gather[group_of[is_measure], measure[is_measure].astype(int)] = np.flatnonzero(is_measure)
    arrays = _arrays(np.where(gather.ravel()[:, None] >= 0, counts[gather.ravel()], 0))  # zeros where none
    # The overlap patterns with victims, by group and in the order of their names.
    with_pattern = np.flatnonzero(pd.Series(bases).str.startswith(PATTERN_PREFIX).to_numpy() & counts.any(axis=1))
    with_pattern = with_pattern[np.lexsort((bases[with_pattern], group_of[with_pattern]))]
    pattern_bounds = np.searchsorted(group_of[with_pattern], np.arange(n_groups + 1))
    first = _date(month_date(coverage[0]))
    fields, digests = [], []
    for group, (level, unit, series) in enumerate(
        zip(*(group_keys[column].to_numpy(dtype=object).tolist() for column in group_keys), strict=False)
    ):
        patterns = with_pattern[pattern_bounds[group] : pattern_bounds[group + 1]]
        names = _text_array([basis.removeprefix(PATTERN_PREFIX) for basis in bases[patterns]])
        by_pattern = _matrix_array(counts[patterns] if len(patterns) else np.zeros((0, 0)))
        measures = arrays[group * len(fixed) : (group + 1) * len(fixed)]
        key = [level.encode(), _int(unit), series.encode(), first]
        digests.append(_digest(*key, names, by_pattern, *measures))
        fields.append([*key, measures[0], names, by_pattern, *measures[1:]])
    digests = np.array(digests, dtype=np.int64)

    def tuples_of(positions: np.ndarray, vintage: int) -> Iterator[bytes]:
        for chunk in range(0, len(positions), 1000):
            chosen = positions[chunk : chunk + 1000]
            yield _discrepancy_tuples([fields[position] for position in chosen], digests[chosen], vintage)

    return _Rows(columns=_DISCREPANCY_COLUMNS, digests=digests, tuples_of=tuples_of)


def _write(*, database, model, rows: _Rows, vintage: Vintage) -> tuple[int, int]:
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
                copy.write(_COPY_HEADER)
                for block in rows.tuples_of(fresh, vintage.pk):
                    copy.write(block)
                copy.write(_COPY_TRAILER)
    return len(fresh), len(gone)


def table_publish(
    *, table: CountTable, populations: dict, marks: np.ndarray, coverage: Coverage, vintage: Vintage
) -> tuple[int, int]:
    """Write what changed, in the current transaction. The monthly rows are written from a thread of their own, so
    the database closes and stores them while the discrepancy rows are built."""
    monthly = _monthly_rows(table, populations, marks, coverage)
    # psycopg's connection, in the transaction Django opened: Django gives another thread a connection of its own.
    connection.ensure_connection()
    database = connection.connection
    with ThreadPoolExecutor(max_workers=1) as writer:
        monthly_written = writer.submit(_write, database=database, model=MonthlySeries, rows=monthly, vintage=vintage)
        discrepancies = _discrepancy_rows(table)
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
