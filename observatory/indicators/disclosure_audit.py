"""Auditing a suppression pattern: can a hidden small count be worked back from what is published?

The attacker's problem as statistical offices pose it (tau-ARGUS; R's sdcTable, `attack()`; Statistics Norway's
GaussSuppression, `ComputeIntervals`): every published figure is known, every hidden cell is an unknown count of at
least 0, and every identity the publication shows (a total and its parts, a year to date and its months) is a
linear equation between them. The interval of a hidden cell is its minimum and its maximum over every table that
satisfies those equations: two linear programs each (scipy's `linprog` with HiGHS), on the linear relaxation as
ComputeIntervals does by default. A small count is protected when its interval still holds 0 and the suppression
threshold (INDICATORS_SUPPRESS_BELOW): the published figures are as consistent with no event as with five.

A total and its parts are an equation where the parts add up to the total; where they do not (events with no
municipality or no colonia count in the total only), the attacker knows only that the total is at least their sum.
"""
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

# Bounds within this of the threshold count as reaching it (the solver works in floating point).
_TOLERANCE = 1e-6


@dataclass
class Equations:
    """Linear relations between cells of a (rows x months) table, as coordinates: entry k puts `coefficient[k]`
    on cell (`row[k]`, `month[k]`) in equation `equation[k]` (numbered from 0 without gaps).

    `published_sum[e]`: the weighted sum of equation e's cells is itself published (a year to date over its
    months), so it is known whatever it is. Otherwise the equation is a total minus its parts, known to be at least
    0: the attacker takes it as exactly 0 where it is (the parts add up), and as an unknown remainder otherwise."""

    equation: np.ndarray
    row: np.ndarray
    month: np.ndarray
    coefficient: np.ndarray
    published_sum: np.ndarray

    @classmethod
    def empty(cls) -> "Equations":
        nothing = np.zeros(0, dtype=np.int64)
        return cls(nothing, nothing, nothing, nothing.astype(float), np.zeros(0, dtype=bool))

    @classmethod
    def joined(cls, parts: list["Equations"]) -> "Equations":
        """Several sets as one, their equation numbers kept apart."""
        parts = [part for part in parts if len(part.published_sum)]
        if not parts:
            return cls.empty()
        offsets = np.cumsum([0, *(len(part.published_sum) for part in parts)])
        return cls(np.concatenate([part.equation + offset for part, offset in zip(parts, offsets, strict=False)]),
                   *(np.concatenate([getattr(part, name) for part in parts])
                     for name in ("row", "month", "coefficient", "published_sum")))


@dataclass
class Exposure:
    """A small count whose interval is narrower than the protection range."""

    row: int
    month: int
    low: float
    high: float


@dataclass
class Audit:
    """The result: how many small counts were audited, the narrowest interval among them (high is None when
    unbounded), and those not protected."""

    cells: int = 0
    narrowest: tuple[float, float | None] | None = None
    narrowest_cell: tuple[int, int] | None = None
    exposed: list[Exposure] = field(default_factory=list)
    # Cells hidden beyond the suppression rules to widen intervals found too narrow (set by the caller).
    widened: int = 0
    linear_programs: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.exposed


def intervals_audit(*, counts: np.ndarray, hidden: np.ndarray, primary: np.ndarray, equations: Equations,
                    protect_up_to: int) -> Audit:
    """Audit every primary cell of a table: `counts`, `hidden` (any suppression) and `primary` (small counts)
    are (rows x months); a primary cell must stay consistent with 0 and with `protect_up_to`."""
    started = time.perf_counter()
    audit = Audit(cells=int(primary.sum()))
    n_months = counts.shape[1]
    cell = equations.row * n_months + equations.month
    keep = hidden.ravel()[cell] if len(cell) else np.zeros(0, dtype=bool)
    # Only hidden cells are unknowns: a published cell is a constant, and moves to the right-hand side.
    variables, variable_of = np.unique(cell[keep], return_inverse=True)
    equation_ids, equation_of = np.unique(equations.equation[keep], return_inverse=True)
    matrix = sparse.csr_matrix((equations.coefficient[keep], (equation_of, variable_of)),
                               shape=(len(equation_ids), len(variables)))
    matrix.sum_duplicates()
    # What each equation's cells add up to on the true counts, and what its hidden cells alone add up to.
    value = np.bincount(equations.equation, weights=equations.coefficient * counts.ravel()[cell],
                        minlength=len(equations.published_sum))[equation_ids]
    right = matrix @ counts.ravel()[variables].astype(float)
    # hidden . x = right where the sum is known (published, or 0 because the parts add up); otherwise the
    # attacker only knows hidden . x + (the published cells) >= 0, that is -hidden . x <= value - right.
    exact = equations.published_sum[equation_ids] | (np.abs(value) < _TOLERANCE)
    # Cells linked by equations form independent problems: each is solved on its own.
    graph = sparse.bmat([[None, matrix.T != 0], [matrix != 0, None]], format="csr") if len(variables) else None
    component = connected_components(graph, directed=False)[1] if graph is not None else np.zeros(0, dtype=int)
    variable_component, equation_component = component[:len(variables)], component[len(variables):]
    primary_cells = np.flatnonzero(primary.ravel())
    position = np.searchsorted(variables, primary_cells)
    in_equation = (position < len(variables)) & (variables[np.minimum(position, len(variables) - 1)]
                                                 == primary_cells) if len(variables) else np.zeros(
        len(primary_cells), dtype=bool)
    narrowest_width = np.inf
    if (~in_equation).any():   # in no published identity: anything from 0 up is consistent
        audit.narrowest, narrowest_width = (0.0, None), np.inf
        first = int(primary_cells[~in_equation][0])
        audit.narrowest_cell = (first // n_months, first % n_months)
    by_component: dict[int, list[int]] = {}
    for variable in position[in_equation].tolist():
        by_component.setdefault(int(variable_component[variable]), []).append(variable)
    for number, targets in by_component.items():
        columns = np.flatnonzero(variable_component == number)
        rows = np.flatnonzero(equation_component == number)
        local = matrix[rows][:, columns]
        equal, at_least = exact[rows], ~exact[rows]
        problem = {"A_eq": local[equal], "b_eq": right[rows][equal]} if equal.any() else {}
        if at_least.any():
            problem.update(A_ub=-local[at_least], b_ub=(value - right)[rows][at_least])
        for variable in targets:
            objective = np.zeros(len(columns))
            objective[np.searchsorted(columns, variable)] = 1.0
            low = _optimum(objective, problem)
            high = _optimum(-objective, problem)
            audit.linear_programs += 2
            high = None if high is None else -high
            low = 0.0 if low is None else max(low, 0.0)
            width = np.inf if high is None else high - low
            flat = int(variables[variable])
            if width < narrowest_width or audit.narrowest is None:
                narrowest_width, audit.narrowest = width, (low, high)
                audit.narrowest_cell = (flat // n_months, flat % n_months)
            if low > _TOLERANCE or (high is not None and high < protect_up_to - _TOLERANCE):
                audit.exposed.append(Exposure(row=flat // n_months, month=flat % n_months, low=low,
                                              high=np.inf if high is None else high))
    audit.seconds = time.perf_counter() - started
    return audit


def _optimum(objective: np.ndarray, problem: dict) -> float | None:
    """The minimum of objective . x over x >= 0 under the problem's constraints; None when unbounded below."""
    result = linprog(objective, **problem, bounds=(0, None), method="highs")
    if result.status == 3:
        return None
    if result.status != 0:
        raise RuntimeError(f"the disclosure audit's linear program did not solve: {result.message}")
    return float(result.fun)
