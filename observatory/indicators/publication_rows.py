"""The rows of a publication, built from its count table: each row's digest, and its COPY tuples on demand.

Monthly series rows are one per key and basis over the basis's covered months; discrepancy rows are one per
level, unit and series, with the victims, the conflicts and the victims by overlap pattern as arrays.
"""

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .copy_format import (
    INT2,
    INT4,
    POSTGRES_EPOCH_ORDINAL,
    array_dtype,
    array_fill,
    bigint,
    day,
    digest,
    field,
    matrix_array,
    row_arrays,
    row_digests,
    text_array,
)
from .counting import KEY
from .coverage import Coverage
from .figures import month_date
from .table import (
    CONFLICT_BASES,
    PATTERN_PREFIX,
    CountTable,
    coverage_of_row,
    discrepancy_basis_mask,
    is_discrepancy_basis,
)
from .terms import ALL, RECONCILED

# A few thousand rows at a time, so the server stores one part while the next is built.
_TUPLES_PER_PART = 2000


@dataclass
class PublicationRows:
    """Rows to publish: every row's digest and, for the rows asked for (an incremental computation usually leaves
    most series as they are), their COPY tuples in binary form, columns in the order of `columns`."""

    columns: list[str]
    digests: np.ndarray
    tuples_of: Callable[[np.ndarray, int], Iterator[bytes]]


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
    populations = array_dtype(length, 4) if population is not None else ">i4"
    fields = np.zeros(
        len(digests),
        dtype=[
            ("count", ">i2"),
            ("vintage", [("length", ">i4"), ("value", ">i8")]),
            ("digest", [("length", ">i4"), ("value", ">i8")]),
            ("unit", [("length", ">i4"), ("value", ">i8")]),
            ("first", [("length", ">i4"), ("value", ">i4")]),
            ("counts", array_dtype(length, 4)),
            ("populations", populations),
            ("suppression", array_dtype(length, 2)),
            ("coverage", array_dtype(length, 2)),
            ("covering", array_dtype(length, 4)),
        ],
    )
    fields["count"] = 2 + len(_MONTHLY_COLUMNS)
    fields["vintage"]["length"], fields["vintage"]["value"] = 8, vintage
    fields["digest"]["length"], fields["digest"]["value"] = 8, digests
    fields["unit"]["length"], fields["unit"]["value"] = 8, units
    fields["first"]["length"], fields["first"]["value"] = (
        4,
        month_date(first_month).toordinal() - POSTGRES_EPOCH_ORDINAL,
    )
    array_fill(fields["counts"], counts, oid=INT4)
    if population is None:
        fields["populations"] = -1
    else:
        array_fill(fields["populations"], population, oid=INT4)
    array_fill(fields["suppression"], suppression, oid=INT2)
    array_fill(fields["coverage"], share, oid=INT2)
    array_fill(fields["covering"], covering, oid=INT4)
    data, width = memoryview(fields.tobytes()), fields.dtype.itemsize
    return b"".join(part for row, text in enumerate(texts) for part in (data[row * width : (row + 1) * width], text))


@dataclass
class _MonthlyBlock:
    """The rows of one basis, which share their months (the basis's coverage), ready to be written as tuples."""

    digests: np.ndarray
    units: np.ndarray
    first_month: int
    counts: np.ndarray
    suppression: np.ndarray
    population: np.ndarray
    has_population: np.ndarray
    share: np.ndarray
    covering: np.ndarray
    text_codes: np.ndarray
    texts: list[bytes]

    def tuples(self, chosen: np.ndarray, vintage: int) -> Iterator[bytes]:
        """The tuples of the rows `chosen` (positions in the block), a part at a time."""
        for part in range(0, len(chosen), _TUPLES_PER_PART):
            for with_population in (True, False):
                rows = chosen[part : part + _TUPLES_PER_PART]
                rows = rows[self.has_population[rows] == with_population]
                if not len(rows):
                    continue
                yield _monthly_tuples(
                    digests=self.digests[rows],
                    units=self.units[rows],
                    first_month=self.first_month,
                    counts=self.counts[rows],
                    population=self.population[rows] if with_population else None,
                    suppression=self.suppression[rows],
                    share=self.share[rows],
                    covering=self.covering[rows],
                    texts=[self.texts[code] for code in self.text_codes[rows].tolist()],
                    vintage=vintage,
                )


def _population_rows(*, table: CountTable, keys: pd.DataFrame, populations: dict) -> tuple[np.ndarray, np.ndarray]:
    """The populations as a matrix, and each key's row in it: its own group's (unit, sex, age band), -1 (no rate)
    where that group has none."""
    population_keys = list(populations)
    population_rows = {key: index for index, key in enumerate(population_keys)}
    population_matrix = (
        np.vstack([populations[key] for key in population_keys]).astype(np.int64)
        if population_keys
        else np.zeros((0, table.counts.shape[1]), dtype=np.int64)
    )
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
    return population_matrix, population_of


def _monthly_block(
    *,
    table: CountTable,
    subset: pd.DataFrame,
    indexes: np.ndarray,
    coverage: tuple[int, int],
    marks: np.ndarray,
    covered: Coverage,
    population_matrix: np.ndarray,
    population_of: np.ndarray,
) -> _MonthlyBlock:
    """The rows `indexes` of the table (their keys `subset`, all of one basis) over the basis's covered months."""
    start, stop = coverage[0] - table.first_month, coverage[1] - table.first_month + 1
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
    # The text fields of a row, binary, shared by the many rows with the same ones (they differ by unit).
    text_codes, text_values = pd.MultiIndex.from_frame(subset[_MONTHLY_TEXT_COLUMNS]).factorize()
    return _MonthlyBlock(
        digests=row_digests(key_text.astype(object), counts, suppression, population, share, covering),
        units=subset["unit_id"].to_numpy(),
        first_month=coverage[0],
        counts=counts,
        suppression=suppression,
        population=population,
        has_population=has_population,
        share=share,
        covering=covering,
        text_codes=text_codes,
        texts=[b"".join(field(value.encode()) for value in values) for values in text_values],
    )


def monthly_rows(*, table: CountTable, populations: dict, marks: np.ndarray, covered: Coverage) -> PublicationRows:
    """The monthly series rows: every key of a basis that is not a discrepancy measure, over its covered months."""
    keys = table.keys[KEY]
    population_matrix, population_of = _population_rows(table=table, keys=keys, populations=populations)
    blocks = []
    for basis, indexes in keys.groupby("basis").indices.items():
        coverage = coverage_of_row(table, basis)
        if is_discrepancy_basis(basis) or coverage is None:
            continue
        blocks.append(
            _monthly_block(
                table=table,
                subset=keys.iloc[indexes],
                indexes=indexes,
                coverage=coverage,
                marks=marks,
                covered=covered,
                population_matrix=population_matrix,
                population_of=population_of,
            )
        )
    offsets = np.cumsum([0, *(len(block.units) for block in blocks)])
    all_digests = np.concatenate([block.digests for block in blocks]) if blocks else np.zeros(0, dtype=np.int64)

    def tuples_of(positions: np.ndarray, vintage: int) -> Iterator[bytes]:
        for number, block in enumerate(blocks):
            chosen = positions[(positions >= offsets[number]) & (positions < offsets[number + 1])] - offsets[number]
            yield from block.tuples(chosen, vintage)

    return PublicationRows(columns=_MONTHLY_COLUMNS, digests=all_digests, tuples_of=tuples_of)


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
    head = struct.pack(">h", len(_DISCREPANCY_COLUMNS) + 2) + field(bigint(vintage))
    return b"".join(
        head + field(bigint(row_digest)) + b"".join(field(value) for value in row_fields)
        for row_digest, row_fields in zip(digests.tolist(), fields_of_rows, strict=True)
    )


def discrepancy_rows(*, table: CountTable) -> PublicationRows:
    """The discrepancy rows: per level, unit and series (all sexes and ages), over the reconciled coverage."""
    coverage = table.coverage.get(RECONCILED)
    if coverage is None:
        return PublicationRows(
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
    arrays = row_arrays(np.where(gather.ravel()[:, None] >= 0, counts[gather.ravel()], 0))  # zeros where none
    # The overlap patterns with victims, by group and in the order of their names.
    with_pattern = np.flatnonzero(pd.Series(bases).str.startswith(PATTERN_PREFIX).to_numpy() & counts.any(axis=1))
    with_pattern = with_pattern[np.lexsort((bases[with_pattern], group_of[with_pattern]))]
    pattern_bounds = np.searchsorted(group_of[with_pattern], np.arange(n_groups + 1))
    first = day(month_date(coverage[0]))
    fields, digests = [], []
    for group, (level, unit, series) in enumerate(
        zip(*(group_keys[column].to_numpy(dtype=object).tolist() for column in group_keys), strict=False)
    ):
        patterns = with_pattern[pattern_bounds[group] : pattern_bounds[group + 1]]
        names = text_array([basis.removeprefix(PATTERN_PREFIX) for basis in bases[patterns]])
        by_pattern = matrix_array(counts[patterns] if len(patterns) else np.zeros((0, 0)))
        measures = arrays[group * len(fixed) : (group + 1) * len(fixed)]
        key = [level.encode(), bigint(unit), series.encode(), first]
        digests.append(digest(*key, names, by_pattern, *measures))
        fields.append([*key, measures[0], names, by_pattern, *measures[1:]])
    digests = np.array(digests, dtype=np.int64)

    def tuples_of(positions: np.ndarray, vintage: int) -> Iterator[bytes]:
        for chunk in range(0, len(positions), 1000):
            chosen = positions[chunk : chunk + 1000]
            yield _discrepancy_tuples([fields[position] for position in chosen], digests[chosen], vintage)

    return PublicationRows(columns=_DISCREPANCY_COLUMNS, digests=digests, tuples_of=tuples_of)
