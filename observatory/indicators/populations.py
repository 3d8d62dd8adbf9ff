"""The population of every unit in every month: the denominators of the rates.

A unit's own mid-year figures are interpolated by the geography's rule (mid_month_populations), to whole people. A department or country with
no figures of its own gets the sum of its children's, month by month, when every child has figures. Police
jurisdictions and colonias without figures have no population, so no rate.
"""
from collections import defaultdict

import numpy as np

from observatory.geography.models import AdminUnit, Level, Population
from observatory.geography.selectors import mid_month_populations

from .terms import UnitLevel


def monthly_populations(*, months: np.ndarray) -> dict[tuple[str, int], np.ndarray]:
    """{(level, unit id): population per month of `months`} for every administrative unit with a population."""
    figures: dict[int, dict[int, int]] = defaultdict(dict)
    for unit, year, population in Population.objects.values_list("unit_id", "year", "population"):
        figures[unit][year] = population
    units = list(AdminUnit.objects.values_list("id", "level", "parent_id"))
    children: dict[int, list[int]] = defaultdict(list)
    for unit, _, parent in units:
        if parent is not None:
            children[parent].append(unit)
    result: dict[int, np.ndarray] = {unit: np.round(mid_month_populations(figures=figures[unit], months=months))
                                     for unit, _, _ in units if unit in figures}
    # Bottom up: departments from municipalities, then the country from departments.
    for level in (Level.DEPARTMENT, Level.COUNTRY):
        for unit, unit_level, _ in units:
            if unit_level != level or unit in result or not children[unit]:
                continue
            if all(child in result for child in children[unit]):
                result[unit] = np.sum([result[child] for child in children[unit]], axis=0)
    level_of = {unit: level for unit, level, _ in units}
    return {(level_of[unit], unit): values for unit, values in result.items() if level_of[unit] in UnitLevel.values}
