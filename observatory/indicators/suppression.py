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

from .table import CountTable, is_discrepancy_basis
from .terms import ALL, age_band_lower

NONE, PRIMARY, COMPLEMENTARY = 0, 1, 2
_CHILD_LEVEL = {Level.DEPARTMENT: Level.MUNICIPALITY, Level.COUNTRY: Level.DEPARTMENT,
                Level.MUNICIPALITY: Level.COLONIA}


def _protected(keys: pd.DataFrame) -> np.ndarray:
    minors = keys["age_band"].map(lambda band: (lower := age_band_lower(band)) is not None
                                  and lower < settings.INDICATORS_MINOR_AGE)
    return (keys["series"].isin(settings.INDICATORS_SUPPRESSED_SERIES) | minors).to_numpy() \
        & ~keys["basis"].map(is_discrepancy_basis).to_numpy()


def _groups(keys: pd.DataFrame, protected: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(total row, part rows) of every published total with a protected part."""
    rows = keys.assign(row=np.arange(len(keys)), protected=protected)
    totals = rows[["level", "unit_id", "series", "basis", "sex", "age_band", "row"]].rename(columns={"row": "total"})
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
        groups += [(int(total), members.to_numpy()) for total, members in linked.groupby("total")["row"]]
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
            for month in lonely:
                visible = parts[~hidden[:, month]]
                with_count = visible[table.counts[visible, month] > 0]
                chosen = with_count[np.argmin(table.counts[with_count, month])] if len(with_count) else total
                marks[chosen, month] = COMPLEMENTARY
                changed = True
    return marks
