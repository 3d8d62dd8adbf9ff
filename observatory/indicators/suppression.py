"""Public small-cell suppression (contract/privacy.md): which monthly counts the public never sees.

Primary: a count from 1 to INDICATORS_SUPPRESS_BELOW - 1 of a protected series (sexual violence by default) or
of victims under INDICATORS_MINOR_AGE (an age band that starts below it).
Complementary: a published total and all but one of its parts would reveal the hidden part by subtraction, so in
every group of parts with a published total (the municipalities of a department, the departments of the country,
the colonias of a municipality; the age bands of one sex, the sexes of one age band, the sexes and the age bands
of the total) where exactly one part is hidden, the smallest other part with a count is hidden too; where no
other part has a count, the total is hidden instead. Repeated until no group has a single hidden part.
"""
import numpy as np
import pandas as pd
from django.conf import settings

from observatory.geography.models import AdminUnit, Level

from .counting import KEY
from .table import CountTable, discrepancy_basis_mask
from .terms import ALL, age_band_lower

NONE, PRIMARY, COMPLEMENTARY = 0, 1, 2
_CHILD_LEVEL = {Level.DEPARTMENT: Level.MUNICIPALITY, Level.COUNTRY: Level.DEPARTMENT,
                Level.MUNICIPALITY: Level.COLONIA}


def _protected(keys: pd.DataFrame) -> np.ndarray:
    bands = keys["age_band"].unique()
    minors = [band for band in bands if (lower := age_band_lower(band)) is not None
              and lower < settings.INDICATORS_MINOR_AGE]
    return (keys["series"].isin(settings.INDICATORS_SUPPRESSED_SERIES) | keys["age_band"].isin(minors)).to_numpy() \
        & ~discrepancy_basis_mask(keys["basis"])


def _canonical_rank(keys: pd.DataFrame) -> np.ndarray:
    """Each row's place in the order of the keys, whatever the order of the rows: a full computation and an
    incremental one hide the same cells."""
    order = keys.astype({"unit_id": np.int64}).sort_values(KEY, kind="stable").index
    rank = np.empty(len(keys), dtype=np.int64)
    rank[keys.index.get_indexer(order)] = np.arange(len(keys))
    return rank


def _groups(keys: pd.DataFrame, protected: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(total row, part rows) of every published total with a protected part, in the order of the keys: parts
    by their rank, groups by their kind and their total's rank."""
    rows = keys.assign(row=np.arange(len(keys)), protected=protected, rank=_canonical_rank(keys))
    # A total and its parts share their series and basis: only those with a protected row can form a group.
    with_protected = rows.loc[protected, ["series", "basis"]].drop_duplicates()
    rows = rows.merge(with_protected, on=["series", "basis"])
    totals = rows[["level", "unit_id", "series", "basis", "sex", "age_band", "row", "rank"]].rename(
        columns={"row": "total", "rank": "total_rank"})
    parent_of = dict(AdminUnit.objects.filter(level__in=list(_CHILD_LEVEL.values())).values_list("id", "parent_id"))
    parent_level = {child: parent for parent, child in _CHILD_LEVEL.items()}
    by_geography = rows[rows["level"].isin(list(parent_level))].assign(
        level=lambda frame: frame["level"].map(parent_level), unit_id=lambda frame: frame["unit_id"].map(parent_of))
    candidates = [
        by_geography.dropna(subset=["unit_id"]).astype({"unit_id": np.int64}),
        # The age bands of one sex add up to that sex; the sexes of one band to that band; either to the total.
        rows[(rows["sex"] != ALL) & (rows["age_band"] != ALL)].assign(age_band=ALL),
        rows[(rows["sex"] != ALL) & (rows["age_band"] != ALL)].assign(sex=ALL),
        rows[(rows["sex"] != ALL) & (rows["age_band"] == ALL)].assign(sex=ALL),
        rows[(rows["sex"] == ALL) & (rows["age_band"] != ALL)].assign(age_band=ALL),
    ]
    groups = []
    for parts in candidates:
        linked = parts.merge(totals, on=["level", "unit_id", "series", "basis", "sex", "age_band"])
        linked = linked[linked.groupby("total")["protected"].transform("any")]
        linked = linked.sort_values(["total_rank", "rank"])
        groups += [(int(total), members.to_numpy()) for total, members in linked.groupby("total", sort=False)["row"]]
    return groups


def suppression_matrix(table: CountTable) -> np.ndarray:
    """NONE / PRIMARY / COMPLEMENTARY for every cell of the table."""
    marks = np.zeros(table.counts.shape, dtype=np.int8)
    protected = _protected(table.keys)
    if not protected.any():
        return marks
    small = (table.counts >= 1) & (table.counts < settings.INDICATORS_SUPPRESS_BELOW)
    marks[protected[:, None] & small] = PRIMARY
    groups = _groups(table.keys, protected)
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            hidden = marks[parts] != NONE
            lonely = np.flatnonzero((hidden.sum(axis=0) == 1) & (marks[total] == NONE))
            if not len(lonely):
                continue
            # Every lonely month of the group at once: the smallest visible part with a count (the first in key
            # order among equals), or the total where there is none.
            candidates = np.where(hidden[:, lonely] | (table.counts[parts][:, lonely] == 0), np.inf,
                                  table.counts[parts][:, lonely])
            smallest = np.argmin(candidates, axis=0)
            found = np.isfinite(candidates[smallest, np.arange(len(lonely))])
            marks[parts[smallest[found]], lonely[found]] = COMPLEMENTARY
            marks[total, lonely[~found]] = COMPLEMENTARY
            changed = True
    return marks
