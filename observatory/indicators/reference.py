"""The reference check: a published national series, loaded with the populations its rates imply, must come
back out of the observatory's own rate arithmetic to one decimal, and the population check must catch a year
whose implied population does not fit the others.

The series shipped is El Salvador's homicides 1995-2012 (UNODC figures based on PNC data, as published in a 2014
policy study). Its 2012 row (2,576 homicides, 32.0 per 100,000) implies about 8.05 million people against 6.1
million in 2011: the rate was computed on another population base, and the check says so.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from observatory.geography.services.populations import MAX_PLAUSIBLE_ANNUAL_CHANGE, implausible_changes

from .figures import rate_per_100k

EL_SALVADOR_HOMICIDES = Path(__file__).parent / "reference" / "el_salvador_homicides_1995_2012.csv"


@dataclass(frozen=True)
class ReferenceYear:
    year: int
    count: int
    published_rate: float
    implied_population: int
    reproduced_rate: float
    population_flag: str

    @property
    def reproduced(self) -> bool:
        return round(self.reproduced_rate, 1) == round(self.published_rate, 1)


def reference_series_check(
    *, path: Path = EL_SALVADOR_HOMICIDES, max_annual_change: float = MAX_PLAUSIBLE_ANNUAL_CHANGE
) -> list[ReferenceYear]:
    """Rows `year,homicides,rate_per_100000`: each year's implied population (count / rate x 100,000), the rate
    the observatory computes from it, and the population check's verdict on the implied series."""
    with Path(path).open(encoding="utf-8") as handle:
        rows = [
            (int(row["year"]), int(row["homicides"]), float(row["rate_per_100000"])) for row in csv.DictReader(handle)
        ]
    populations = {year: round(count / rate * 100_000) for year, count, rate in rows}
    flags = {
        after: f"{change:+.1%} a year after {before} ({populations[before]:,} → {populations[after]:,})"
        for before, after, change in implausible_changes(figures=populations, max_annual_change=max_annual_change)
    }
    return [
        ReferenceYear(
            year=year,
            count=count,
            published_rate=rate,
            implied_population=populations[year],
            reproduced_rate=float(rate_per_100k(count, populations[year])),
            population_flag=flags.get(year, ""),
        )
        for year, count, rate in rows
    ]
