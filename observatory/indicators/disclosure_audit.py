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
        return cls(
            np.concatenate([part.equation + offset for part, offset in zip(parts, offsets, strict=False)]),
            *(
                np.concatenate([getattr(part, name) for part in parts])
                for name in ("row", "month", "coefficient", "published_sum")
            ),
        )


@dataclass
class Exposure:
    """A small count whose interval is narrower than the protection range."""

    row: int
    month: int
    low: float
    high: float
    # The equations that bound it (nonzero duals of its own program, or its one relation): where to hide more.
    binding: tuple[int, ...] = field(default=(), compare=False)


@dataclass
class Audit:
    """The interval of every small count audited, {(row, month): (low, high)} with high None when nothing bounds
    it, and those narrower than the protection range. For the cells of `high_at_least` the high is a value the
    cell was shown to reach (enough to prove it protected), not its maximum; the narrowest interval of each group of
    linked cells is always computed exactly, so `narrowest` is exact."""

    intervals: dict[tuple[int, int], tuple[float, float | None]] = field(default_factory=dict)
    high_at_least: set[tuple[int, int]] = field(default_factory=set)
    exposed: list[Exposure] = field(default_factory=list)
    # Cells hidden beyond the suppression rules to widen intervals found too narrow, and the months audited (set by
    # the caller: an incremental computation audits only the months it recounted).
    widened: int = 0
    months: int = 0
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
        exact = [item for item in self.intervals.items() if item[0] not in self.high_at_least]
        if not exact:
            return None
        return min(exact, key=lambda item: (np.inf if item[1][1] is None else item[1][1] - item[1][0], item[0]))

    def updated(self, later: "Audit") -> "Audit":
        """This audit with the cells a later one audited again replaced by its results."""
        intervals = {**self.intervals, **later.intervals}
        high_at_least = (self.high_at_least - later.intervals.keys()) | later.high_at_least
        return Audit(
            months=self.months,
            intervals=intervals,
            high_at_least=high_at_least,
            exposed=later.exposed,
            widened=self.widened,
            linear_programs=self.linear_programs + later.linear_programs,
            seconds=self.seconds + later.seconds,
        )


@dataclass
class _Problem:
    """What an attacker knows: lower <= matrix . x <= upper over the hidden cells `variables` (flat cell numbers)
    of the equations `equation_ids`, x >= 0."""

    variables: np.ndarray
    equation_ids: np.ndarray
    matrix: sparse.csr_matrix
    lower: np.ndarray
    upper: np.ndarray


def _attacker_problem(counts: np.ndarray, hidden: np.ndarray, equations: Equations) -> _Problem:
    n_months = counts.shape[1]
    cell = equations.row * n_months + equations.month
    keep = hidden.ravel()[cell] if len(cell) else np.zeros(0, dtype=bool)
    # Only hidden cells are unknowns: a published cell is a constant, and moves to the right-hand side.
    variables, variable_of = np.unique(cell[keep], return_inverse=True)
    equation_ids, equation_of = np.unique(equations.equation[keep], return_inverse=True)
    matrix = sparse.csr_matrix(
        (equations.coefficient[keep], (equation_of, variable_of)), shape=(len(equation_ids), len(variables))
    )
    matrix.sum_duplicates()
    # What each equation's cells add up to on the true counts, and what its hidden cells alone add up to.
    value = np.bincount(
        equations.equation, weights=equations.coefficient * counts.ravel()[cell], minlength=len(equations.published_sum)
    )[equation_ids]
    right = matrix @ counts.ravel()[variables].astype(float)
    # hidden . x = right where the sum is known (published, or 0 because the parts add up); otherwise the
    # attacker only knows hidden . x + (the published cells) >= 0, that is hidden . x >= right - value.
    exact = equations.published_sum[equation_ids] | (np.abs(value) < _TOLERANCE)
    return _Problem(
        variables=variables,
        equation_ids=equation_ids,
        matrix=matrix,
        lower=right - np.where(exact, 0.0, value),
        upper=np.where(exact, right, np.inf),
    )


def _components(
    problem: _Problem, targets: np.ndarray
) -> tuple[dict[int, list[int]], list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Cells linked by equations form independent problems, each solved on its own: the targets' variables by
    component, each component's variables and equations, and the targets in no equation."""
    n_variables = len(problem.variables)
    linked = (problem.matrix != 0).astype(np.int8)
    graph = sparse.bmat([[None, linked.T], [linked, None]], format="csr") if n_variables else None
    component = connected_components(graph, directed=False)[1] if graph is not None else np.zeros(0, dtype=int)
    variable_component, equation_component = component[:n_variables], component[n_variables:]
    position = np.searchsorted(problem.variables, targets)
    found = position < n_variables
    found[found] = problem.variables[position[found]] == targets[found]
    by_component: dict[int, list[int]] = {}
    for variable in position[found].tolist():
        by_component.setdefault(int(variable_component[variable]), []).append(variable)
    n_components = int(component.max()) + 1 if len(component) else 0
    return (
        by_component,
        _members(variable_component, n_components),
        _members(equation_component, n_components),
        targets[~found],
    )


def intervals_audit(
    *, counts: np.ndarray, hidden: np.ndarray, primary: np.ndarray, equations: Equations, protect_up_to: int
) -> Audit:
    """Audit every primary cell of a table: `counts`, `hidden` (any suppression) and `primary` (the small counts
    to audit) are (rows x months); a primary cell must stay consistent with 0 and with `protect_up_to`."""
    started = time.perf_counter()
    audit = Audit()
    n_months = counts.shape[1]
    problem = _attacker_problem(counts, hidden, equations)
    by_component, variables_of, equations_of, unrelated = _components(problem, np.flatnonzero(primary.ravel()))
    for flat in unrelated.tolist():  # in no published relation: anything from 0 up is consistent
        audit.intervals[(flat // n_months, flat % n_months)] = (0.0, None)
    solver = _Solver()
    truth = counts.ravel()[problem.variables].astype(float)
    for number, chosen in by_component.items():
        columns, rows = variables_of[number], equations_of[number]
        local = problem.matrix[rows][:, columns]
        targets = np.searchsorted(columns, chosen)
        if len(rows) == 1:  # most components: a total and its hidden parts, solved by hand
            bounds = _bounds_in_one_relation(local.toarray()[0], problem.lower[rows[0]], problem.upper[rows[0]])
            found = {index: (*bounds[index], True) for index in targets.tolist()}
            binding = dict.fromkeys(targets.tolist(), np.zeros(1, dtype=np.int64))
        else:
            solver.load(local, problem.lower[rows], problem.upper[rows])
            found, binding = _component_intervals(solver, targets, truth[columns], protect_up_to)
        audit.linear_programs += solver.solved
        solver.solved = 0
        for index, (low, high, exact) in found.items():
            flat = int(problem.variables[columns[index]])
            key = (flat // n_months, flat % n_months)
            audit.intervals[key] = (max(low, 0.0), high)
            if not exact:
                audit.high_at_least.add(key)
            if low > _TOLERANCE or (high is not None and high < protect_up_to - _TOLERANCE):
                audit.exposed.append(
                    Exposure(
                        row=key[0],
                        month=key[1],
                        low=max(low, 0.0),
                        high=np.inf if high is None else high,
                        binding=tuple(problem.equation_ids[rows[binding[index]]].tolist()),
                    )
                )
    audit.seconds = time.perf_counter() - started
    return audit


def _component_intervals(
    solver: "_Solver", targets: np.ndarray, truth: np.ndarray, protect_up_to: int
) -> tuple[dict[int, tuple[float, float | None, bool]], dict[int, np.ndarray]]:
    """{target: (low, high, high is exact)} for the targets of one loaded problem, with as few programs as proves
    each protected, and {target: the rows bounding it} for those found exposed by their own program. Lows:
    minimising the sum of the targets not yet at 0 puts most of them at 0 at once (a vertex has few non-zero
    cells); those left get their own program. Highs: every solution met, the true counts among
    them, shows values each cell reaches; the targets below `protect_up_to` in all of them are pushed there
    together (capped at it, their sum maximised), and those still below get their own program. The narrowest
    interval is then made exact: cells in increasing order of what they were shown to reach, each maximised on its
    own until the next cannot be narrower than the narrowest found."""
    reached = truth.copy()
    low = {}
    remaining = targets.tolist()
    while remaining:
        point = solver.point(remaining, sense=1.0)
        reached = np.maximum(reached, point)
        at_zero = [index for index in remaining if point[index] <= _TOLERANCE]
        low.update(dict.fromkeys(at_zero, 0.0))
        remaining = [index for index in remaining if point[index] > _TOLERANCE]
        if not at_zero:
            break
    binding: dict[int, np.ndarray] = {}
    for index in remaining:
        low[index] = solver.minimum(index)
        if low[index] > _TOLERANCE:
            binding[index] = solver.binding_rows()
    high: dict[int, float | None] = {}
    pending = [index for index in targets.tolist() if reached[index] < protect_up_to - _TOLERANCE]
    while pending:
        point = solver.point(pending, sense=-1.0, cap=protect_up_to)
        reached = np.maximum(reached, point)
        pending_next = [index for index in pending if point[index] < protect_up_to - _TOLERANCE]
        if len(pending_next) == len(pending):
            break
        pending = pending_next
    for index in pending:
        high[index] = solver.maximum(index)
        _note_binding(binding, index, high[index], solver, protect_up_to)
    narrowest = min((high[index] - low[index] if high[index] is not None else np.inf for index in high), default=np.inf)
    for index in sorted((index for index in targets.tolist() if index not in high), key=lambda index: reached[index]):
        if reached[index] - low[index] >= narrowest:
            break
        high[index] = solver.maximum(index)
        _note_binding(binding, index, high[index], solver, protect_up_to)
        if high[index] is not None:
            narrowest = min(narrowest, high[index] - low[index])
    return {
        index: (low[index], high[index], True) if index in high else (low[index], float(reached[index]), False)
        for index in targets.tolist()
    }, binding


def _note_binding(
    binding: dict[int, np.ndarray], index: int, high: float | None, solver: "_Solver", protect_up_to: int
) -> None:
    if high is not None and high < protect_up_to - _TOLERANCE:
        binding[index] = np.union1d(binding.get(index, np.zeros(0, dtype=np.int64)), solver.binding_rows())


def _members(labels: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """The positions holding each label 0 .. n_groups - 1, in order."""
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.searchsorted(labels[order], np.arange(1, n_groups)))


def _bounds_in_one_relation(coefficients: np.ndarray, lower: float, upper: float) -> list[tuple[float, float | None]]:
    """The interval of each x_i >= 0 under lower <= coefficients . x <= upper alone: the other terms can take any
    value from 0 towards the side their signs allow."""
    bounds = []
    for index, own in enumerate(coefficients):
        others = np.delete(coefficients, index)
        least = -np.inf if (others < 0).any() else 0.0  # the smallest the other terms can add up to
        most = np.inf if (others > 0).any() else 0.0
        with np.errstate(invalid="ignore"):
            if own > 0:
                low, high = (lower - most) / own, (upper - least) / own
            else:
                low, high = (upper - least) / own, (lower - most) / own
        bounds.append(
            (
                max(float(low), 0.0) if not np.isnan(low) else 0.0,
                None if np.isinf(high) or np.isnan(high) else float(high),
            )
        )
    return bounds


class _Solver:
    """HiGHS on one problem at a time (lower <= matrix . x <= upper, x >= 0), solved for one cell's minimum or
    maximum after another: the model is passed once and each solve starts from the last one's basis."""

    def __init__(self):
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.costed: int | None = None
        self.solved = 0

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
        self.costed = None

    def _optimum(self, index: int, sense: float) -> float | None:
        """min of sense * x[index]; None when unbounded (the true counts are always a solution)."""
        self._clear_cost()
        self.highs.changeColCost(index, sense)
        self.costed = index
        self.highs.run()
        self.solved += 1
        status = self.highs.getModelStatus()
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the disclosure audit's linear program did not solve: {status}")
        return sense * self.highs.getInfo().objective_function_value

    def point(self, indexes: list[int], *, sense: float, cap: float | None = None) -> np.ndarray:
        """A solution minimising (sense 1) or maximising (sense -1) the sum of these cells, each capped at `cap`."""
        self._clear_cost()
        chosen = np.array(indexes, dtype=np.int32)
        self.highs.changeColsCost(len(chosen), chosen, np.full(len(chosen), sense))
        if cap is not None:
            self.highs.changeColsBounds(len(chosen), chosen, np.zeros(len(chosen)), np.full(len(chosen), float(cap)))
        self.highs.run()
        self.solved += 1
        status = self.highs.getModelStatus()
        point = np.array(self.highs.getSolution().col_value)
        self.highs.changeColsCost(len(chosen), chosen, np.zeros(len(chosen)))
        if cap is not None:
            self.highs.changeColsBounds(
                len(chosen), chosen, np.zeros(len(chosen)), np.full(len(chosen), highspy.kHighsInf)
            )
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the disclosure audit's linear program did not solve: {status}")
        return point

    def _clear_cost(self) -> None:
        if self.costed is not None:
            self.highs.changeColCost(self.costed, 0.0)
            self.costed = None

    def binding_rows(self) -> np.ndarray:
        """The rows of the last program solved with a nonzero dual: the relations its optimum rests on."""
        return np.flatnonzero(np.abs(np.array(self.highs.getSolution().row_dual)) > _TOLERANCE)

    def minimum(self, index: int) -> float:
        return self._optimum(index, 1.0)

    def maximum(self, index: int) -> float | None:
        return self._optimum(index, -1.0)
