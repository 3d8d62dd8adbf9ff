"""Public small-cell suppression (docs/privacy.md): which monthly counts the public never sees, over the
whole published table at once.

Primary: a count from 1 to INDICATORS_SUPPRESS_BELOW - 1 of a protected series (sexual violence by default) or
of victims under INDICATORS_MINOR_AGE (an age band that starts below it).
Complementary: a total and its parts (the municipalities of a department, the departments of the country, the
colonias of a municipality; the age bands of one sex, the sexes of one age band, the sexes and the age bands of
the total) must never have exactly one hidden member, or subtraction gives it back. Where one part is hidden,
another part with a count is hidden too (the total where no other part has one); where the total is hidden and its
parts are all shown (its breakdown would give it back), one of its parts with a count is hidden. The part chosen is
the smallest that gives the hidden one room to reach the protection range (a hidden cell can move by as much as its
partner holds), else the largest. Repeated until no group has a single hidden member.
Derived figures: a 12-month, year-to-date or year-before figure over a hidden month is hidden too
(`hidden_derived`), so what is published adds nothing to the monthly cells.
Audit: `protected_marks` then asks the disclosure auditor for the interval of every small count given everything
published, and hides more where one is narrower than the protection range, until none is: one cell per exposed count
and round, in a relation the auditor found binding it (as tau-ARGUS and sdcTable also add secondary cells where the
audit shows them needed).
"""

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from observatory.errors import ApplicationError
from observatory.geography.models import AdminUnit, Level

from .counting import KEY
from .disclosure_audit import Audit, Equations, Exposure, intervals_audit
from .figures import hidden_derived
from .published_marks import suppression_rules
from .table import CountTable, discrepancy_basis_mask
from .terms import ALL, age_band_lower

NONE, PRIMARY, COMPLEMENTARY = 0, 1, 2
_CHILD_LEVEL = {
    Level.DEPARTMENT: Level.MUNICIPALITY,
    Level.COUNTRY: Level.DEPARTMENT,
    Level.MUNICIPALITY: Level.COLONIA,
}


def _protected(keys: pd.DataFrame) -> np.ndarray:
    bands = keys["age_band"].unique()
    minors = [
        band for band in bands if (lower := age_band_lower(band)) is not None and lower < settings.INDICATORS_MINOR_AGE
    ]
    return (
        keys["series"].isin(settings.INDICATORS_SUPPRESSED_SERIES) | keys["age_band"].isin(minors)
    ).to_numpy() & ~discrepancy_basis_mask(keys["basis"])


def _canonical_rank(keys: pd.DataFrame) -> np.ndarray:
    """Each row's place in the order of the keys, whatever the order of the rows: a full computation and an
    incremental one hide the same cells."""
    order = keys.astype({"unit_id": np.int64}).sort_values(KEY, kind="stable").index
    rank = np.empty(len(keys), dtype=np.int64)
    rank[keys.index.get_indexer(order)] = np.arange(len(keys))
    return rank


def _groups(keys: pd.DataFrame, protected: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(total row, part rows) of every published total of a series and basis with a protected row, in the order of
    the keys: parts by their rank, groups by their kind and their total's rank."""
    rows = keys.assign(row=np.arange(len(keys)), protected=protected, rank=_canonical_rank(keys))
    # A total and its parts share their series and basis: only those with a protected row can form a group.
    with_protected = rows.loc[protected, ["series", "basis"]].drop_duplicates()
    rows = rows.merge(with_protected, on=["series", "basis"])
    totals = rows[["level", "unit_id", "series", "basis", "sex", "age_band", "row", "rank"]].rename(
        columns={"row": "total", "rank": "total_rank"}
    )
    parent_of = dict(AdminUnit.objects.filter(level__in=list(_CHILD_LEVEL.values())).values_list("id", "parent_id"))
    parent_level = {child: parent for parent, child in _CHILD_LEVEL.items()}
    by_geography = rows[rows["level"].isin(list(parent_level))].assign(
        level=lambda frame: frame["level"].map(parent_level), unit_id=lambda frame: frame["unit_id"].map(parent_of)
    )
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
        linked = linked.sort_values(["total_rank", "rank"])
        groups += [(int(total), members.to_numpy()) for total, members in linked.groupby("total", sort=False)["row"]]
    return groups


def _hide_lone_members(
    marks: np.ndarray,
    counts: np.ndarray,
    groups: list[tuple[int, np.ndarray]],
    *,
    groups_of: dict[int, list[int]],
    pending: set[int] | None = None,
) -> None:
    """Hide more cells until no group has exactly one hidden member (see the module's docstring). `pending`: the
    groups that may have one (every group when not given); a group is looked at again only when a cell of one of
    its members was hidden since (`groups_of` gives a row's groups)."""
    pending = set(range(len(groups))) if pending is None else pending
    while pending:
        changed_rows = set()
        for number in sorted(pending):
            total, parts = groups[number]
            hidden = marks[parts] != NONE
            hidden_parts = hidden.sum(axis=0)
            total_hidden = marks[total] != NONE
            lonely = np.flatnonzero(((hidden_parts == 1) & ~total_hidden) | ((hidden_parts == 0) & total_hidden))
            if not len(lonely):
                continue
            # Every lonely month of the group at once: the part to hide (see `_partners`), or the total where no
            # visible part has a count.
            members = np.r_[total, parts]
            hidden_counts = np.where(marks[members][:, lonely] != NONE, counts[members][:, lonely], np.inf)
            room = settings.INDICATORS_SUPPRESS_BELOW - hidden_counts.min(axis=0)
            candidates = np.where(hidden[:, lonely] | (counts[parts][:, lonely] == 0), -1, counts[parts][:, lonely])
            chosen, found = _partners(candidates, room)
            marks[parts[chosen[found]], lonely[found]] = COMPLEMENTARY
            changed_rows.update(parts[chosen[found]].tolist())
            hide_total = lonely[~found & ~total_hidden[lonely]]
            marks[total, hide_total] = COMPLEMENTARY
            if len(hide_total):
                changed_rows.add(int(total))
        pending = {number for row in changed_rows for number in groups_of.get(row, [])}


def _partners(candidates: np.ndarray, room: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each column of `candidates` (parts x months: a visible part's count, -1 where it cannot be chosen), the
    part to hide beside a lone hidden member that lacks `room` to reach the protection range: the smallest count
    that gives it that room (a hidden cell can move by as much as its partner holds), else the largest; the first in
    key order among equals. And whether there was any."""
    columns = np.arange(candidates.shape[1])
    enough = np.where((candidates > 0) & (candidates >= room[None, :]), candidates, np.inf)
    smallest_enough = np.argmin(enough, axis=0)
    largest = np.argmax(candidates, axis=0)
    chosen = np.where(np.isfinite(enough[smallest_enough, columns]), smallest_enough, largest)
    return chosen, candidates[chosen, columns] > 0


def suppression_matrix(table: CountTable) -> np.ndarray:
    """NONE / PRIMARY / COMPLEMENTARY for every cell of the table, before the audit."""
    return _primary_and_lone(table)[0]


def _primary_and_lone(table: CountTable) -> tuple[np.ndarray, list[tuple[int, np.ndarray]], dict[int, list[int]]]:
    """The marks before the audit, the groups and each row's groups."""
    marks = np.zeros(table.counts.shape, dtype=np.int8)
    protected = _protected(table.keys)
    if not protected.any():
        return marks, [], {}
    small = (table.counts >= 1) & (table.counts < settings.INDICATORS_SUPPRESS_BELOW)
    marks[protected[:, None] & small] = PRIMARY
    groups = _groups(table.keys, protected)
    groups_of = _groups_of_rows(groups)
    _hide_lone_members(marks, table.counts, groups, groups_of=groups_of)
    return marks, groups, groups_of


def derived_equations(*, hidden: np.ndarray, months: np.ndarray, published: dict[str, np.ndarray]) -> Equations:
    """The relations every published derived figure adds between hidden months: a published 12-month count over
    a hidden month is a known sum of its months, and so on. `published`: for each derived figure of
    `hidden_derived`, whether it is published at each (row, month)."""
    n_months = hidden.shape[1]
    columns = np.arange(n_months)
    january = columns - months % 12
    over_hidden = hidden_derived(hidden, months)
    windows = {
        "rolling_count": (columns - 11, columns),
        "ytd_count": (january, columns),
        "count_year_before": (columns - 12, columns - 12),
        "ytd_count_year_before": (january - 12, columns - 12),
    }
    entries, number = [], 0
    for figure, (first, last) in windows.items():
        # A window that starts before the table is a figure the arrays cannot give (no value is published).
        complete = (first >= 0) & (last >= 0)
        for row, column in np.argwhere(published[figure] & over_hidden[figure] & complete[None, :]):
            months_in = np.arange(first[column], last[column] + 1)
            chosen = months_in[hidden[row, months_in]]
            if len(chosen):
                entries += [(number, row, month) for month in chosen.tolist()]
                number += 1
    if not entries:
        return Equations.empty()
    equation, row, month = np.array(entries, dtype=np.int64).T
    return Equations(
        equation=equation,
        row=row,
        month=month,
        coefficient=np.ones(len(entries)),
        published_sum=np.ones(number, dtype=bool),
    )


def group_equations(groups: list[tuple[int, np.ndarray]], n_months: int) -> Equations:
    """Each group in each month: its total minus its parts (at least 0; exactly 0 where every event has a place
    at the parts' level)."""
    if not groups:
        return Equations.empty()
    members = [np.concatenate([[total], parts]) for total, parts in groups]
    sizes = np.array([len(member) for member in members])
    rows = np.concatenate(members)
    signs = np.concatenate([np.r_[1.0, -np.ones(len(parts))] for _, parts in groups])
    group_of = np.repeat(np.arange(len(groups)), sizes)
    equation = (group_of[:, None] * n_months + np.arange(n_months)[None, :]).ravel()
    return Equations(
        equation=equation,
        row=np.repeat(rows, n_months),
        month=np.tile(np.arange(n_months), len(rows)),
        coefficient=np.repeat(signs, n_months),
        published_sum=np.zeros(len(groups) * n_months, dtype=bool),
    )


def _groups_of_rows(groups: list[tuple[int, np.ndarray]]) -> dict[int, list[int]]:
    groups_of: dict[int, list[int]] = {}
    for number, (total, parts) in enumerate(groups):
        for member in (total, *parts.tolist()):
            groups_of.setdefault(member, []).append(number)
    return groups_of


def _widen(
    marks: np.ndarray,
    counts: np.ndarray,
    groups: list[tuple[int, np.ndarray]],
    *,
    groups_of: dict[int, list[int]],
    exposure: Exposure,
    rank: np.ndarray,
) -> int | None:
    """Hide one more cell beside an exposed small count, where it helps: a shown cell with a count in a group whose
    relation bounds it (the auditor's binding equations), else as near it as can be (the groups holding it, then
    those reached through their hidden cells of the month, and so on); among them the smallest that gives it the
    room it lacks, the largest when none does. A cell far away in the table rarely helps, and hiding it spreads
    suppression. The row hidden; None when there is none left."""
    month = exposure.month
    lacking = max(exposure.low, settings.INDICATORS_SUPPRESS_BELOW - exposure.high)
    n_group_equations = len(groups) * counts.shape[1]
    binding = {equation // counts.shape[1] for equation in exposure.binding if equation < n_group_equations}
    candidates = _shown_with_count(marks, counts, groups, sorted(binding), month)[0]
    reached, ring, seen_groups = {exposure.row}, [exposure.row], set()
    while not candidates and ring:
        ring_groups = [number for current in ring for number in groups_of.get(current, []) if number not in seen_groups]
        seen_groups.update(ring_groups)
        candidates, hidden = _shown_with_count(marks, counts, groups, ring_groups, month)
        ring = [member for member in hidden if member not in reached]
        reached.update(ring)
    if not candidates:
        return None
    enough = [member for member in candidates if counts[member, month] >= lacking]
    if enough:
        chosen = min(enough, key=lambda member: (counts[member, month], rank[member]))
    else:
        chosen = min(candidates, key=lambda member: (-counts[member, month], rank[member]))
    marks[chosen, month] = COMPLEMENTARY
    return chosen


def _shown_with_count(
    marks: np.ndarray, counts: np.ndarray, groups: list[tuple[int, np.ndarray]], numbers: list[int], month: int
) -> tuple[set[int], list[int]]:
    """The members of these groups shown with a count in the month, and those hidden (in order, once each)."""
    shown, hidden = set(), []
    for number in numbers:
        total, parts = groups[number]
        members = np.r_[total, parts]
        visible = marks[members, month] == NONE
        shown.update(members[visible & (counts[members, month] > 0)].tolist())
        hidden += members[~visible].tolist()
    return shown, list(dict.fromkeys(hidden))


def _audit(table: CountTable, marks: np.ndarray, structural: Equations, *, cells: np.ndarray | None = None) -> Audit:
    """The auditor on the table as the public would read it with these marks; only the small counts of `cells`
    (a rows x months mask) and the groups among them when given."""
    hidden = marks != NONE
    primary = marks == PRIMARY
    if cells is not None:
        primary = primary & cells
        kept = cells[structural.row, structural.month]
        structural = Equations(
            equation=structural.equation[kept],
            row=structural.row[kept],
            month=structural.month[kept],
            coefficient=structural.coefficient[kept],
            published_sum=structural.published_sum,
        )
    equations = Equations.joined([structural, _published_derived_equations(table, hidden, cells)])
    return intervals_audit(
        counts=table.counts,
        hidden=hidden,
        primary=primary,
        equations=equations,
        protect_up_to=settings.INDICATORS_SUPPRESS_BELOW,
    )


def _published_derived_equations(table: CountTable, hidden: np.ndarray, cells: np.ndarray | None) -> Equations:
    """`derived_equations` of the derived figures published with these hidden cells. Only a row with a hidden cell
    can have a derived figure over one: the others are left out, which keeps the rounds cheap."""
    rows = np.flatnonzero((hidden if cells is None else hidden & cells).any(axis=1))
    hidden = hidden[rows]
    published = {figure: ~mask for figure, mask in hidden_derived(hidden, table.months).items()}
    found = derived_equations(hidden=hidden, months=table.months, published=published)
    return Equations(
        equation=found.equation,
        row=rows[found.row],
        month=found.month,
        coefficient=found.coefficient,
        published_sum=found.published_sum,
    )


def _slices_of(table: CountTable, exposed: list[Exposure]) -> np.ndarray:
    """The cells sharing their series, basis and month with an exposed count: every group of the table lies
    within one such slice, and derived figures over a hidden month are hidden, so no other cell's interval can
    change when cells of these slices are hidden."""
    slice_of_row = table.keys.groupby(["series", "basis"], sort=False).ngroup().to_numpy()
    chosen = np.zeros((int(slice_of_row.max()) + 1, table.counts.shape[1]), dtype=bool)
    chosen[slice_of_row[[exposure.row for exposure in exposed]], [exposure.month for exposure in exposed]] = True
    return chosen[slice_of_row]


def protected_marks(
    table: CountTable, *, kept: np.ndarray | None = None, recomputed: np.ndarray | None = None, max_rounds: int = 1000
) -> tuple[np.ndarray, Audit]:
    """The suppression of the table and its audit: the marks of `suppression_matrix`, then, while the auditor finds
    a small count whose interval is narrower than the protection range, one more cell hidden beside each and the
    groups made whole again; each round audits again the slices (series, basis, month) it changed. Raises when a
    small count stays exposed: nothing is published rather than a leak.
    An incremental computation passes the published marks (`kept`, see published_marks) and the months it
    recounted (`recomputed`, a boolean per column): only those are suppressed and audited again."""
    marks, groups, groups_of = _primary_and_lone(table)
    months = np.ones(table.counts.shape[1], dtype=bool) if recomputed is None else recomputed
    if kept is not None:
        marks[:, ~months] = kept[:, ~months]
    before_audit = int((marks[:, months] != NONE).sum())
    rank = _canonical_rank(table.keys) if len(table.keys) else np.zeros(0, dtype=np.int64)
    structural = group_equations(groups, table.counts.shape[1])
    audit = _audit(table, marks, structural, cells=None if recomputed is None else np.broadcast_to(months, marks.shape))
    audit.months = int(months.sum())
    for _round in range(max_rounds):
        if audit.passed:
            audit.widened = int((marks[:, months] != NONE).sum()) - before_audit
            return marks, audit
        # In the order of the keys, whatever the order of the rows: a full and an incremental computation agree.
        exposed = sorted(audit.exposed, key=lambda exposure: (rank[exposure.row], exposure.month))
        widened = [
            _widen(marks, table.counts, groups, groups_of=groups_of, exposure=exposure, rank=rank)
            for exposure in exposed
        ]
        if all(row is None for row in widened):
            break
        _hide_lone_members(
            marks,
            table.counts,
            groups,
            groups_of=groups_of,
            pending={number for row in widened if row is not None for number in groups_of[row]},
        )
        audit = audit.updated(_audit(table, marks, structural, cells=_slices_of(table, audit.exposed)))
    exposure = audit.exposed[0]
    key = table.keys.iloc[exposure.row]
    raise ApplicationError(
        _(
            "The disclosure audit found %(count)d small counts that published figures would give away (e.g. %(series)s "
            "%(basis)s, %(level)s %(unit)s, month %(month)s: between %(low)s and %(high)s), and no more cells could be "
            "hidden to protect them. Nothing was published."
        )
        % {
            "count": len(audit.exposed),
            "series": key["series"],
            "basis": key["basis"],
            "level": key["level"],
            "unit": key["unit_id"],
            "month": _month_label(int(table.months[exposure.month])),
            "low": f"{exposure.low:g}",
            "high": f"{exposure.high:g}",
        },
        code="disclosure_audit_failed",
    )


def audit_summary(audit: Audit, table: CountTable) -> dict:
    """What a vintage keeps of its audit (JSON): counts audited, the narrowest interval and whose it is."""
    summary = {
        "cells": audit.cells,
        "months": audit.months,
        "rules": suppression_rules(),
        "protect_up_to": settings.INDICATORS_SUPPRESS_BELOW,
        "widened": audit.widened,
        "linear_programs": audit.linear_programs,
        "seconds": round(audit.seconds, 3),
    }
    if audit.narrowest is not None:
        (row, column), (low, high) = audit.narrowest
        key = table.keys.iloc[row]
        # Rounded: the solver's floating point can give 4.999999999999999 for 5.
        figure = {
            "level": key["level"],
            "unit_id": int(key["unit_id"]),
            "series": key["series"],
            "basis": key["basis"],
            "sex": key["sex"],
            "age_band": key["age_band"],
            "month": _month_label(int(table.months[column])),
        }
        summary.update(
            narrowest_low=round(low, 6),
            narrowest_high=None if high is None else round(high, 6),
            narrowest_figure=figure,
        )
    return summary


def _month_label(number: int) -> str:
    return f"{number // 12}-{number % 12 + 1:02d}"
