"""Two years of homicides, hand-countable, for the portal's tests: Mixco 2 victims a month in 2023 and 3 in 2024,
Villa Nueva 1 each quarter (unstable), Palín (50,000 people) never covered (no data); the police's last record on
1 March 2025, so that December 2024 is the latest final month and 2024 the latest complete year."""

from datetime import date

from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from tests.factories import PopulationFactory

from .conftest import record, victim

MIXCO_2023, MIXCO_2024 = 24, 36
VILLA_NUEVA_YEAR = 4


def homicide(*, on: date, municipality, category: str = "homicide") -> None:
    victim(record(source="police", on=on, municipality=municipality, category=category), category=category)


def publish_homicides(country) -> Vintage:
    for year in (2023, 2024):
        PopulationFactory(unit=country["palin"], year=year, population=50_000)
    for year, per_month in ((2023, 2), (2024, 3)):
        for month in range(1, 13):
            for day in range(1, per_month + 1):
                homicide(on=date(year, month, day), municipality=country["mixco"])
            if month % 3 == 1:
                homicide(on=date(year, month, 10), municipality=country["villa_nueva"])
    for month in (1, 2):
        homicide(on=date(2025, month, 5), municipality=country["mixco"])
    record(source="police", on=date(2025, 3, 1), municipality=country["mixco"], category="theft")
    return vintage_now(kind=Vintage.Kind.FULL)
