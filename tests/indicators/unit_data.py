"""Two sources in two municipalities, hand-countable, for the unit pages' tests: in Mixco every police homicide is
also in the coroner's records (one victim each), and in 2024 the coroner recorded 16 more (victims no other
source saw); in Villa Nueva, half of Mixco's population, the police recorded half of Mixco's 2023 homicides (the
same rate) and 6 in 2024; Palín is never covered. Both sources have sent data up to 1 March 2025, so that 2024
is the latest complete and final year."""

from datetime import date

from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from tests.factories import PopulationFactory

from .conftest import record, victim

MIXCO_POLICE = {2023: 24, 2024: 36}
CORONER_ONLY_2024 = 16
VILLA_NUEVA_POLICE = {2023: 12, 2024: 6}


def _police_and_coroner(*, on: date, municipality) -> None:
    victim(
        record(source="police", on=on, municipality=municipality),
        record(source="coroner", on=on, municipality=municipality),
    )


def publish_two_sources(country) -> Vintage:
    for year in (2023, 2024):
        PopulationFactory(unit=country["palin"], year=year, population=50_000)
    for year, count in MIXCO_POLICE.items():
        for number in range(count):
            _police_and_coroner(on=date(year, number % 12 + 1, number // 12 + 1), municipality=country["mixco"])
    for number in range(CORONER_ONLY_2024):
        on = date(2024, number % 12 + 1, 20 + number // 12)
        victim(record(source="coroner", on=on, municipality=country["mixco"]))
    for year, count in VILLA_NUEVA_POLICE.items():
        for number in range(count):
            on = date(year, number % 12 + 1, 10 + number // 12)
            victim(record(source="police", on=on, municipality=country["villa_nueva"]))
    for source in ("police", "coroner"):
        record(source=source, on=date(2025, 3, 1), municipality=country["mixco"], category="theft")
    return vintage_now(kind=Vintage.Kind.FULL)
