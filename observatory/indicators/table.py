"""All the counts of a publication as one matrix: a row per series key, a column per month.

A full computation fills it from the event counts; an incremental one starts from the stored arrays and replaces
only the columns of the months that new or changed data touched. The discrepancy measures (victims by overlap
pattern, conflicts) are rows too, under their own `basis` names, so both kinds of series are patched alike.
"""

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction

from .counting import KEY
from .terms import ALL, RECONCILED, UnitLevel

PATTERN_PREFIX = "pattern:"
CONFLICT_BASES = {
    "class_conflict": "conflict:classification",
    "date_conflict": "conflict:date",
    "place_conflict": "conflict:place",
}


def is_discrepancy_basis(basis: str) -> bool:
    return basis.startswith(PATTERN_PREFIX) or basis in CONFLICT_BASES.values()


def discrepancy_basis_mask(bases: pd.Series) -> np.ndarray:
    """Which of `bases` are discrepancy bases, asking once per distinct basis."""
    return bases.isin([basis for basis in bases.unique() if is_discrepancy_basis(basis)]).to_numpy()


def discrepancy_counts(rolled: pd.DataFrame) -> pd.DataFrame:
    """Victim counts (rolled up, with pattern and conflict flags) as rows of the discrepancy bases."""
    totals = rolled[(rolled["sex"] == ALL) & (rolled["age_band"] == ALL)]
    if totals.empty:
        return pd.DataFrame(columns=[*KEY, "month", "n"])
    parts = [totals.assign(basis=PATTERN_PREFIX + totals["pattern"])]
    for flag, basis in CONFLICT_BASES.items():
        flagged = totals[totals[flag].astype(bool)]
        parts.append(flagged.assign(basis=basis))
    combined = pd.concat(parts, ignore_index=True)
    return combined.groupby([*KEY, "month"], as_index=False, sort=False)["n"].sum()


@dataclass
class CountTable:
    keys: pd.DataFrame  # KEY columns, one row per series
    counts: np.ndarray  # (series, months) int64
    first_month: int  # month number of column 0
    coverage: dict[str, tuple[int, int]]  # basis -> (first, last) month number with data

    @property
    def months(self) -> np.ndarray:
        return self.first_month + np.arange(self.counts.shape[1])

    def rows(self, *, level: str, series: str, basis: str, sex: str, age_band: str) -> np.ndarray:
        """The rows of one series, one per unit of the level."""
        return self._rows_by_series.get((level, series, basis, sex, age_band), np.zeros(0, dtype=np.int64))

    @functools.cached_property
    def _rows_by_series(self) -> dict[tuple, np.ndarray]:
        return self.keys.groupby(["level", "series", "basis", "sex", "age_band"], sort=False).indices


def _coverage_of(long: pd.DataFrame) -> dict[str, tuple[int, int]]:
    data = long[(long["n"] > 0).to_numpy() & ~discrepancy_basis_mask(long["basis"])]
    return {basis: (int(group["month"].min()), int(group["month"].max())) for basis, group in data.groupby("basis")}


def _units_by_level() -> dict[str, list[int]]:
    units: dict[str, list[int]] = {level: [] for level in UnitLevel.values}
    for unit, level in AdminUnit.objects.filter(level__in=[*Level.values]).values_list("id", "level"):
        units[level].append(unit)
    units[UnitLevel.JURISDICTION] = list(PoliceJurisdiction.objects.values_list("id", flat=True))
    return units


def _with_every_unit(keys: pd.DataFrame) -> pd.DataFrame:
    """Totals of every (level, series, basis) published for every unit of the level, with zeros where a unit has
    none: a municipality without a homicide is a figure, not a gap."""
    totals = keys[
        ((keys["sex"] == ALL) & (keys["age_band"] == ALL)).to_numpy() & ~discrepancy_basis_mask(keys["basis"])
    ]
    combos = totals[["level", "series", "basis"]].drop_duplicates()
    units = pd.DataFrame(
        [(level, unit) for level, ids in _units_by_level().items() for unit in ids], columns=["level", "unit_id"]
    )
    dense = combos.merge(units, on="level").assign(sex=ALL, age_band=ALL)[KEY]
    return pd.concat([keys, dense], ignore_index=True).drop_duplicates(KEY, ignore_index=True)


def table_from_counts(long: pd.DataFrame) -> CountTable:
    """A table of every month from the first to the last with data."""
    coverage = _coverage_of(long)
    if not coverage:
        return CountTable(
            keys=pd.DataFrame(columns=KEY), counts=np.zeros((0, 0), dtype=np.int64), first_month=0, coverage={}
        )
    first = min(start for start, _ in coverage.values())
    last = max(end for _, end in coverage.values())
    keys = _with_every_unit(long[KEY].drop_duplicates(ignore_index=True))
    table = CountTable(
        keys=keys, counts=np.zeros((len(keys), last - first + 1), dtype=np.int64), first_month=first, coverage=coverage
    )
    _add(table, long)
    return table


def _row_index(table: CountTable, long: pd.DataFrame) -> np.ndarray:
    index = pd.MultiIndex.from_frame(table.keys[KEY].astype({"unit_id": np.int64}))
    return index.get_indexer(pd.MultiIndex.from_frame(long[KEY].astype({"unit_id": np.int64})))


def _add(table: CountTable, long: pd.DataFrame) -> None:
    rows = _row_index(table, long)
    columns = long["month"].to_numpy(dtype=np.int64) - table.first_month
    np.add.at(table.counts, (rows, columns), long["n"].to_numpy(dtype=np.int64))


def _coverage_of_table(keys: pd.DataFrame, counts: np.ndarray, first_month: int) -> dict[str, tuple[int, int]]:
    bases = keys["basis"].to_numpy(dtype=object)
    coverage = {}
    for basis in keys["basis"].unique():
        if is_discrepancy_basis(basis):
            continue
        columns = np.flatnonzero(counts[bases == basis].any(axis=0))
        if len(columns):
            coverage[basis] = (first_month + int(columns[0]), first_month + int(columns[-1]))
    return coverage


def _rows_a_full_computation_has(keys: pd.DataFrame, counts: np.ndarray) -> np.ndarray:
    """The rows with a count, and the totals of every unit of each level, series and basis with a count (what
    table_from_counts builds): a series whose last events were removed goes, as it would from a full one."""
    has_count = counts.any(axis=1)
    totals = ((keys["sex"] == ALL) & (keys["age_band"] == ALL)).to_numpy() & ~discrepancy_basis_mask(keys["basis"])
    combination = keys[["level", "series", "basis"]]
    with_count = pd.MultiIndex.from_frame(combination[totals & has_count]).unique()
    return has_count | (totals & pd.MultiIndex.from_frame(combination).isin(with_count))


def table_patched(*, stored: CountTable, months: list[int], long: pd.DataFrame) -> CountTable:
    """The stored table with the columns of `months` replaced by fresh counts (`long`, counted for those months
    only). New series get rows, the month axis grows to cover the new months; the coverage and the rows are then
    those a full computation would find."""
    spans = [*_coverage_of(long).values(), *stored.coverage.values()]
    if stored.counts.size:
        spans.append((stored.first_month, stored.first_month + stored.counts.shape[1] - 1))
    if not spans:
        return stored
    first = min(start for start, _ in spans)
    last = max(end for _, end in spans)
    # The stored keys already hold every unit of their series; only series new to the table need the others.
    new_keys = long[KEY].drop_duplicates(ignore_index=True)
    new_keys = new_keys[_row_index(stored, new_keys) < 0] if len(stored.keys) else new_keys
    keys = stored.keys
    if len(new_keys):
        keys = pd.concat([keys, _with_every_unit(new_keys)], ignore_index=True).drop_duplicates(KEY, ignore_index=True)
    counts = np.zeros((len(keys), last - first + 1), dtype=np.int64)
    if stored.counts.size:
        offset = stored.first_month - first
        counts[: len(stored.keys), offset : offset + stored.counts.shape[1]] = stored.counts
    touched = np.array([month - first for month in months if first <= month <= last], dtype=np.int64)
    counts[:, touched] = 0
    patched = CountTable(keys=keys, counts=counts, first_month=first, coverage={})
    _add(patched, long)
    kept = _rows_a_full_computation_has(patched.keys, patched.counts)
    if not kept.all():
        keys, counts = patched.keys[kept].reset_index(drop=True), patched.counts[kept]
    coverage = _coverage_of_table(keys, counts, first)
    if not coverage:
        return CountTable(
            keys=pd.DataFrame(columns=KEY), counts=np.zeros((0, 0), dtype=np.int64), first_month=0, coverage={}
        )
    start = min(begin for begin, _ in coverage.values())
    end = max(finish for _, finish in coverage.values())
    return CountTable(
        keys=keys, counts=counts[:, start - first : end - first + 1], first_month=start, coverage=coverage
    )


def coverage_of_row(table: CountTable, basis: str) -> tuple[int, int] | None:
    """The months a row's arrays cover: its basis's; the discrepancy rows follow the reconciled victims."""
    return table.coverage.get(RECONCILED if is_discrepancy_basis(basis) else basis)
