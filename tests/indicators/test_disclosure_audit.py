"""The disclosure auditor, and the suppression it audits: planted leaks are found, and on random small series no
published figure gives a small count back, checked by an attacker written here from the public figures alone."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from observatory.indicators.counting import KEY
from observatory.indicators.disclosure_audit import Exposure
from observatory.indicators.figures import hidden_derived
from observatory.indicators.models import MonthlySeries, Vintage
from observatory.indicators.selectors import HIDDEN, SMALL, figures_frame
from observatory.indicators.suppression import (
    COMPLEMENTARY,
    NONE,
    PRIMARY,
    derived_equations,
    group_equations,
    intervals_audit,
    protected_marks,
)
from observatory.indicators.table import CountTable

pytestmark = pytest.mark.django_db

JANUARY_2024 = 2024 * 12


def _one_series_audit(counts: list[int], *, published: dict) -> object:
    table = np.array([counts])
    hidden = (table >= 1) & (table < 5)
    months = JANUARY_2024 + np.arange(len(counts))
    return intervals_audit(
        counts=table,
        hidden=hidden,
        primary=hidden,
        equations=derived_equations(hidden=hidden, months=months, published=published(hidden, months)),
        protect_up_to=5,
    )


def test_the_auditor_recovers_a_small_month_whose_two_year_to_dates_are_published():
    # March shows "<5"; publishing the year to date of February (6) and of March (8) gives it back: 2.
    naive = _one_series_audit(
        [6, 0, 2, 7, 5],
        published=lambda hidden, months: {figure: np.ones_like(hidden) for figure in hidden_derived(hidden, months)},
    )
    assert naive.exposed == [Exposure(row=0, month=2, low=2.0, high=2.0)]
    # The publication's rule hides every year to date from March on: March could be anything from 0 up.
    fixed = _one_series_audit(
        [6, 0, 2, 7, 5],
        published=lambda hidden, months: {
            figure: ~over_hidden for figure, over_hidden in hidden_derived(hidden, months).items()
        },
    )
    assert fixed.passed and fixed.intervals == {(0, 2): (0.0, None)}


def test_the_auditor_finds_a_small_count_that_a_total_and_a_narrow_partner_pin_down():
    # A department of 9: a municipality of 2 ("<5") and one of 7 ("x"), whose own colonias show 6 of its 7.
    counts = np.array([[9], [2], [7], [6]])
    hidden = np.array([[False], [True], [True], [False]])
    groups = [(0, np.array([1, 2])), (2, np.array([3]))]
    audit = intervals_audit(
        counts=counts,
        hidden=hidden,
        primary=np.array([[False], [True], [False], [False]]),
        equations=group_equations(groups, 1),
        protect_up_to=5,
    )
    # The colonias give the municipality of 7 at least 6 (one event has no colonia): the small one is 0 to 3.
    assert audit.exposed == [Exposure(row=1, month=0, low=0.0, high=3.0)]


def _table(rows: dict[tuple, list[int]], *, first_month: int = JANUARY_2024) -> CountTable:
    keys = pd.DataFrame(list(rows), columns=KEY)
    counts = np.array(list(rows.values()), dtype=np.int64)
    return CountTable(
        keys=keys,
        counts=counts,
        first_month=first_month,
        coverage=dict.fromkeys(keys["basis"].unique(), (first_month, first_month + counts.shape[1] - 1)),
    )


def _two_way_rows(department_id: int) -> dict[tuple, list[int]]:
    """Department 01, coroner homicides of one month by sex and age band with their margins: a 10-14 of 2 and a
    35-39 of 1 (one man, no woman): hiding the 35-39 total beside the 10-14 protects nothing while its sexes show."""
    cells = {
        ("M", "10-14"): 2,
        ("M", "20-24"): 6,
        ("M", "25-29"): 5,
        ("M", "30-34"): 7,
        ("M", "35-39"): 1,
        ("F", "20-24"): 4,
        ("F", "25-29"): 3,
        ("F", "35-39"): 0,
    }
    rows = {
        ("department", department_id, "homicide", "coroner", sex, band): [count] for (sex, band), count in cells.items()
    }
    for sex in ("M", "F"):
        rows[("department", department_id, "homicide", "coroner", sex, "")] = [
            sum(count for (of, _band), count in cells.items() if of == sex)
        ]
    for band in sorted({band for _sex, band in cells}):
        rows[("department", department_id, "homicide", "coroner", "", band)] = [
            sum(count for (_sex, of), count in cells.items() if of == band)
        ]
    rows[("department", department_id, "homicide", "coroner", "", "")] = [sum(cells.values())]
    return rows


def test_a_hidden_cell_never_keeps_its_whole_breakdown_published(country):
    rows = _two_way_rows(country["department"].pk)
    table = _table(rows)
    marks, audit = protected_marks(table)
    mark_of = {key[4:]: int(mark) for key, mark in zip(rows, marks[:, 0], strict=True)}
    assert mark_of[("", "10-14")] == PRIMARY and mark_of[("M", "10-14")] == PRIMARY
    # Band totals are hidden beside the 10-14 total, and none keeps its breakdown by sex all shown.
    hidden_totals = [band for (sex, band), mark in mark_of.items() if sex == "" and band and mark == COMPLEMENTARY]
    assert hidden_totals
    for band in hidden_totals:
        assert any(mark != NONE for (sex, of), mark in mark_of.items() if of == band and sex)
    # Every margin of the table has no hidden member, or at least two.
    for sex in ("", "M", "F"):
        members = [mark for (of, band), mark in mark_of.items() if of == sex]
        assert sum(mark != NONE for mark in members) != 1
    for band in {band for _sex, band in mark_of}:
        members = [mark for (_sex, of), mark in mark_of.items() if of == band]
        assert sum(mark != NONE for mark in members) != 1
    assert audit.passed and audit.cells == 2
    low, high = _attack(rows, marks, cell=("department", country["department"].pk, "homicide", "coroner", "", "10-14"))
    assert low == pytest.approx(0) and high >= 5


def _attack(rows: dict[tuple, list[int]], marks: np.ndarray, *, cell: tuple) -> tuple[float, float]:
    """An attacker of a one-month two-way table: every published cell known, every margin an equation."""
    keys = list(rows)
    unknown = [index for index in range(len(keys)) if marks[index, 0] != NONE]
    position = {keys[index]: column for column, index in enumerate(unknown)}
    equations, right = [], []
    for axis in (4, 5):  # the parts of one sex over the bands, of one band over the sexes
        for total in keys:
            if total[axis] != "":
                continue
            other = 5 if axis == 4 else 4
            if total[other] == "" and axis == 5:
                continue  # the grand total is done once, over the sexes
            parts = [key for key in keys if key[other] == total[other] and key[axis] != ""]
            if not parts:
                continue
            equation, constant = np.zeros(len(unknown)), 0.0
            for key, sign in [(total, 1.0), *((part, -1.0) for part in parts)]:
                if key in position:
                    equation[position[key]] += sign
                else:
                    constant -= sign * rows[key][0]
            equations.append(equation)
            right.append(constant)
    objective = np.zeros(len(unknown))
    objective[position[cell]] = 1
    low = linprog(objective, A_eq=np.array(equations), b_eq=right, bounds=(0, None), method="highs")
    high = linprog(-objective, A_eq=np.array(equations), b_eq=right, bounds=(0, None), method="highs")
    return low.fun, (np.inf if high.status == 3 else -high.fun)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    mixco=st.lists(st.integers(0, 7), min_size=13, max_size=27),
    villa_nueva=st.lists(st.integers(0, 7), min_size=27, max_size=27),
    start=st.integers(0, 11),
)
def test_no_published_figure_of_a_protected_series_gives_a_hidden_month_back(country, mixco, villa_nueva, start):
    """Random small sexual-violence series in two municipalities of one department: whatever the public reads (the
    months, 12-month counts, years to date, the year before, the department's and the country's), every "<5" stays
    consistent with 0 and with 5 or more."""
    villa_nueva = villa_nueva[: len(mixco)]
    department = [a + b for a, b in zip(mixco, villa_nueva, strict=True)]
    rows = {
        ("country", country["country"].pk, "sexual_violence", "police", "", ""): department,
        ("department", country["department"].pk, "sexual_violence", "police", "", ""): department,
        ("municipality", country["mixco"].pk, "sexual_violence", "police", "", ""): mixco,
        ("municipality", country["villa_nueva"].pk, "sexual_violence", "police", "", ""): villa_nueva,
    }
    table = _table(rows, first_month=JANUARY_2024 + start)
    marks, _audit = protected_marks(table)
    series = [
        MonthlySeries(
            pk=number,
            level=key[0],
            unit_id=key[1],
            series=key[2],
            basis=key[3],
            sex=key[4],
            age_band=key[5],
            first_month=pd.Timestamp(2024, start + 1, 1).date(),
            counts=counts,
            populations=None,
            suppression=marks[number].tolist(),
        )
        for number, (key, counts) in enumerate(rows.items())
    ]
    public = figures_frame(rows=series, vintage=Vintage(pk=1), public=True)
    for (unit, month), (low, high) in _attack_published(public).items():
        assert low <= 1e-6 and high >= 5 - 1e-6, (unit, month, low, high)


_Sum = tuple[list[tuple[int, float]], float]  # signed terms (a figure's index, its sign) and the value they add up to


def _attack_published(public: pd.DataFrame) -> dict[tuple, tuple[float, float]]:
    """The interval of every published "<5" from the public figures alone: the counts shown, every 12-month,
    year-to-date and year-before count shown, and each level adding up to the one above."""
    figures = public.to_dict("records")
    unknown = [index for index, figure in enumerate(figures) if not _shown(figure["count"])]
    column = {index: position for position, index in enumerate(unknown)}
    index_of = {(figure["level"], figure["unit_name"], figure["month"]): index for index, figure in enumerate(figures)}
    sums = [*_levels_adding_up(index_of), *_windows_shown(figures, index_of)]
    equations, right = _equations(sums, figures=figures, column=column)
    problem = {"A_eq": np.array(equations), "b_eq": right} if equations else {}
    return {
        (figures[index]["unit_name"], figures[index]["month"]): _interval(column[index], len(unknown), problem)
        for index in unknown
        if figures[index]["count"] == SMALL
    }


def _shown(value) -> bool:
    return value not in (SMALL, HIDDEN, None)


def _levels_adding_up(index_of: dict[tuple, int]) -> list[_Sum]:
    """Each month, the department is the sum of its municipalities, and the country is the department."""
    sums = []
    for (level, _name, month), index in index_of.items():
        if level == "department":
            parts = [
                other for (of, _other_name, when), other in index_of.items() if of == "municipality" and when == month
            ]
            sums.append(([(index, 1.0), *((part, -1.0) for part in parts)], 0))
            sums.append(([(index_of[("country", "Guatemala", month)], 1.0), (index, -1.0)], 0))
    return sums


def _windows_shown(figures: list[dict], index_of: dict[tuple, int]) -> list[_Sum]:
    """Every 12-month, year-to-date and year-before count shown: the sum of the months it covers."""
    by_unit: dict[tuple, list[int]] = {}
    for (level, name, _month), index in sorted(index_of.items()):
        by_unit.setdefault((level, name), []).append(index)
    sums = []
    for indexes in by_unit.values():
        for position, index in enumerate(indexes):
            figure = figures[index]
            for name, window in _windows(figures, indexes, position).items():
                if window and _shown(figure[name]):
                    sums.append(([(member, 1.0) for member in window], figure[name]))
    return sums


def _windows(figures: list[dict], indexes: list[int], position: int) -> dict[str, list[int] | None]:
    """The months each derived figure of one unit's month covers, by the figure's column (none before the series
    reaches back far enough)."""
    year = figures[indexes[position]]["month"][:4]
    return {
        "rolling_count": indexes[position - 11 : position + 1] if position >= 11 else None,
        "ytd_count": [other for other in indexes[: position + 1] if figures[other]["month"][:4] == year],
        "count_year_before": [indexes[position - 12]] if position >= 12 else None,
        "ytd_count_year_before": [
            other for other in indexes[: max(position - 11, 0)] if figures[other]["month"][:4] == str(int(year) - 1)
        ],
    }


def _equations(
    sums: list[_Sum], *, figures: list[dict], column: dict[int, int]
) -> tuple[list[np.ndarray], list[float]]:
    """Each sum as an equation over the hidden counts, the counts shown moved to its right-hand side; a sum of counts
    shown alone is no equation."""
    equations, right = [], []
    for terms, value in sums:
        equation, constant = np.zeros(len(column)), float(value)
        for index, sign in terms:
            if index in column:
                equation[column[index]] += sign
            else:
                constant -= sign * float(figures[index]["count"])
        if equation.any():
            equations.append(equation)
            right.append(constant)
    return equations, right


def _interval(position: int, size: int, problem: dict) -> tuple[float, float]:
    """The least and the greatest value the equations allow the hidden count in `position` (inf: no upper bound)."""
    objective = np.zeros(size)
    objective[position] = 1
    low = linprog(objective, **problem, bounds=(0, None), method="highs")
    high = linprog(-objective, **problem, bounds=(0, None), method="highs")
    return low.fun, np.inf if high.status == 3 else -high.fun
