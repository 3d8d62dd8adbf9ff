"""The population of every unit and group in every month: the denominators of the rates.

A group is everyone, a sex, a five-year age band, or a sex and a band (the codes counts are cut by), and a rate
needs the population of its own group: a count of men aged 15-19 over the whole population is not a rate. A unit's
own mid-year figures are interpolated by the geography's rule (mid_month_populations), to whole people. Where a
unit has no figure of its own for a group:
- a sex (all ages) is the sum of that sex's age bands, when every band has a figure;
- an age band (both sexes) is the sum of its men and women, when both have a figure;
- a department or the country gets the sum of its children's figures for the group, month by month, when every
  child has one.
Otherwise the group has no population, so no rate: never the population of another group. Police jurisdictions,
colonias without figures and the unknown sex have none.
"""

from collections import defaultdict

import numpy as np

from observatory.geography.models import AdminUnit, Level, Population
from observatory.geography.selectors import mid_month_populations
from observatory.geography.terms import EVERYONE, POPULATION_AGE_BANDS, PopulationSex

from .terms import UnitLevel

_SEXES = (PopulationSex.MALE.value, PopulationSex.FEMALE.value)
# Sex and age band of each group, in the order a unit's groups are completed: a margin or the total is made from
# groups already complete.
_SEX_AND_BAND = [(sex, band) for sex in _SEXES for band in POPULATION_AGE_BANDS]
_SEX_ONLY = [(sex, EVERYONE) for sex in _SEXES]
_BAND_ONLY = [(EVERYONE, band) for band in POPULATION_AGE_BANDS]
_EVERYONE = (EVERYONE, EVERYONE)
_PARTS = {
    **{group: [(group[0], band) for band in POPULATION_AGE_BANDS] for group in _SEX_ONLY},
    **{group: [(sex, group[1]) for sex in _SEXES] for group in _BAND_ONLY},
}
# Upper levels, bottom up, that get their children's sums: departments from municipalities, the country from
# departments.
_SUMMED_LEVELS = (Level.DEPARTMENT, Level.COUNTRY)


def _sum_if_complete(groups: list[dict[tuple[str, str], np.ndarray]], group: tuple[str, str]) -> np.ndarray | None:
    if not groups or any(group not in unit for unit in groups):
        return None
    return np.sum([unit[group] for unit in groups], axis=0)


def _completed(
    own: dict[tuple[str, str], np.ndarray], *, children: list[dict[tuple[str, str], np.ndarray]]
) -> dict[tuple[str, str], np.ndarray]:
    """A unit's populations by group: its own figures, else its parts' sums, else its children's sums (`children`:
    the groups of each child, for the levels that sum them)."""
    groups = dict(own)
    for group in [*_SEX_AND_BAND, *_SEX_ONLY, *_BAND_ONLY, _EVERYONE]:
        if group in groups:
            continue
        if group in _PARTS and all(part in groups for part in _PARTS[group]):
            found = np.sum([groups[part] for part in _PARTS[group]], axis=0)
        else:
            found = _sum_if_complete(children, group)
        if found is not None:
            groups[group] = found
    return groups


def monthly_populations(*, months: np.ndarray) -> dict[tuple[str, int, str, str], np.ndarray]:
    """{(level, unit id, sex, age band): population per month of `months`} for every administrative unit and group
    with a population; sex and age band are blank (EVERYONE, the indicators' ALL) for everyone."""
    figures: dict[int, dict[tuple[str, str], dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for unit, sex, band, year, population in Population.objects.values_list(
        "unit_id", "sex", "age_band", "year", "population"
    ):
        figures[unit][(sex, band)][year] = population
    units = list(AdminUnit.objects.values_list("id", "level", "parent_id"))
    children: dict[int, list[int]] = defaultdict(list)
    for unit, _, parent in units:
        if parent is not None:
            children[parent].append(unit)

    def interpolated(unit: int) -> dict[tuple[str, str], np.ndarray]:
        return {
            group: np.round(mid_month_populations(figures=series, months=months))
            for group, series in figures.get(unit, {}).items()
        }

    result: dict[int, dict[tuple[str, str], np.ndarray]] = {}
    for unit, level, _ in units:
        if level not in _SUMMED_LEVELS and unit in figures:
            result[unit] = _completed(interpolated(unit), children=[])
    for summed_level in _SUMMED_LEVELS:
        for unit, level, _ in units:
            if level != summed_level:
                continue
            groups = _completed(interpolated(unit), children=[result.get(child, {}) for child in children[unit]])
            if groups:
                result[unit] = groups
    level_of = {unit: level for unit, level, _ in units}
    return {
        (level_of[unit], unit, sex, band): values
        for unit, groups in result.items()
        for (sex, band), values in groups.items()
        if level_of[unit] in UnitLevel.values
    }
