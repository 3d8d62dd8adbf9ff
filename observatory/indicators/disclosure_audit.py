"""Auditing a suppression pattern: can a hidden small count be worked back from what is published?

The attacker's problem as statistical offices pose it (tau-ARGUS; R's sdcTable, `attack()`; Statistics Norway's
GaussSuppression, `ComputeIntervals`): every published figure is known, every hidden cell is an unknown count of at
least 0, and every identity the publication shows (a total and its parts, a year to date and its months) is a
linear equation between them. The interval of a hidden cell is its minimum and its maximum over every table that
satisfies those equations: two linear programs each (HiGHS, through its own Python interface: scipy's `linprog`
runs the same solver at ten times the cost per call), on the linear relaxation as
ComputeIntervals does by default. A small count is protected when its interval still holds 0 and the suppression
threshold (INDICATORS_SUPPRESS_BELOW): the published figures are as consistent with no event as with five.

A total and its parts are an equation where the parts add up to the total; where they do not (events with no
municipality or no colonia count in the total only), the attacker knows only that the total is at least their sum.
"""
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse
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
    """The interval of every small count audited, {(row, month): (low, high)} with high None when nothing bounds
    it, and those narrower than the protection range."""

    intervals: dict[tuple[int, int], tuple[float, float | None]] = field(default_factory=dict)
    exposed: list[Exposure] = field(default_factory=list)
    # Cells hidden beyond the suppression rules to widen intervals found too narrow (set by the caller).
    widened: int = 0
    linear_programs: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.exposed

    @property
    def cells(self) -> int:
        return len(self.intervals)

    @property
    def narrowest(self) -> tuple[tuple[int, int], tuple[float, float | None]] | None:
        """The cell whose interval is narrowest, and its interval."""
        if not self.intervals:
            return None
        return min(self.intervals.items(), key=lambda item: (np.inf if item[1][1] is None else item[1][1] - item[1][0],
                                                             item[0]))

    def updated(self, later: "Audit") -> "Audit":
        """This audit with the cells a later one audited again replaced by its results."""
        intervals = {**self.intervals, **later.intervals}
        return Audit(intervals=intervals, exposed=later.exposed, widened=self.widened,
                     linear_programs=self.linear_programs + later.linear_programs,
                     seconds=self.seconds + later.seconds)


def intervals_audit(*, counts: np.ndarray, hidden: np.ndarray, primary: np.ndarray, equations: Equations,
                    protect_up_to: int) -> Audit:
    """Audit every primary cell of a table: `counts`, `hidden` (any suppression) and `primary` (the small counts
    to audit) are (rows x months); a primary cell must stay consistent with 0 and with `protect_up_to`."""
    started = time.perf_counter()
    audit = Audit()
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
    # attacker only knows hidden . x + (the published cells) >= 0, that is hidden . x >= right - value.
    exact = equations.published_sum[equation_ids] | (np.abs(value) < _TOLERANCE)
    lower = right - np.where(exact, 0.0, value)
    upper = np.where(exact, right, np.inf)
    # Cells linked by equations form independent problems: each is solved on its own.
    linked = (matrix != 0).astype(np.int8)
    graph = sparse.bmat([[None, linked.T], [linked, None]], format="csr") if len(variables) else None
    component = connected_components(graph, directed=False)[1] if graph is not None else np.zeros(0, dtype=int)
    variable_component, equation_component = component[:len(variables)], component[len(variables):]
    targets = np.flatnonzero(primary.ravel())
    position = np.searchsorted(variables, targets)
    found = position < len(variables)
    found[found] = variables[position[found]] == targets[found]
    for flat in targets[~found].tolist():   # in no published relation: anything from 0 up is consistent
        audit.intervals[(flat // n_months, flat % n_months)] = (0.0, None)
    by_component: dict[int, list[int]] = {}
    for variable in position[found].tolist():
        by_component.setdefault(int(variable_component[variable]), []).append(variable)
    solver = _Solver()
    for number, chosen in by_component.items():
        columns = np.flatnonzero(variable_component == number)
        rows = np.flatnonzero(equation_component == number)
        solver.load(matrix[rows][:, columns], lower[rows], upper[rows])
        for variable in chosen:
            index = int(np.searchsorted(columns, variable))
            low, high = solver.minimum(index), solver.maximum(index)
            audit.linear_programs += 2
            flat = int(variables[variable])
            audit.intervals[(flat // n_months, flat % n_months)] = (max(low, 0.0), high)
            if low > _TOLERANCE or (high is not None and high < protect_up_to - _TOLERANCE):
                audit.exposed.append(Exposure(row=flat // n_months, month=flat % n_months, low=max(low, 0.0),
                                              high=np.inf if high is None else high))
    audit.seconds = time.perf_counter() - started
    return audit


class _Solver:
    """HiGHS on one problem at a time (lower <= matrix . x <= upper, x >= 0), solved for one cell's minimum or
    maximum after another: the model is passed once and each solve starts from the last one's basis."""

    def __init__(self):
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.n_columns = 0

    def load(self, matrix: sparse.csr_matrix, lower: np.ndarray, upper: np.ndarray) -> None:
        columns = sparse.csc_matrix(matrix)
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = columns.shape[1], columns.shape[0]
        model.col_cost_ = np.zeros(columns.shape[1])
        model.col_lower_ = np.zeros(columns.shape[1])
        model.col_upper_ = np.full(columns.shape[1], highspy.kHighsInf)
        model.row_lower_ = lower
        model.row_upper_ = np.where(np.isinf(upper), highspy.kHighsInf, upper)
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = columns.indptr
        model.a_matrix_.index_ = columns.indices
        model.a_matrix_.value_ = columns.data.astype(float)
        self.highs.clearModel()
        self.highs.passModel(model)
        self.n_columns = columns.shape[1]

    def _optimum(self, index: int, sense: float) -> float | None:
        """min of sense * x[index]; None when unbounded (the true counts are always a solution)."""
        cost = np.zeros(self.n_columns)
        cost[index] = sense
        self.highs.changeColsCost(self.n_columns, np.arange(self.n_columns, dtype=np.int32), cost)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the disclosure audit's linear program did not solve: {status}")
        return sense * self.highs.getInfo().objective_function_value

    def minimum(self, index: int) -> float:
        return self._optimum(index, 1.0)

    def maximum(self, index: int) -> float | None:
        return self._optimum(index, -1.0)
