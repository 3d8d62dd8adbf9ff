"""Which records the blocking rules put side by side (candidates.py)."""

import pandas as pd

from observatory.reconciliation.linkage.features import SPLINK_SCHEMA
from observatory.reconciliation.linkage.scoring import candidate_pairs_found


def record(unique_id: int, **values) -> dict:
    """A record as features.py gives it to the model: a man shot in municipality 1 on day 19,500."""
    return (
        dict.fromkeys(SPLINK_SCHEMA.names)
        | {
            "unique_id": unique_id,
            "source": "police",
            "sex": "M",
            "family": "violence",
            "is_missing_report": False,
            "died": True,
            "weapon": "firearm",
            "municipality_id": 1,
            "first_day": 19_500,
            "last_day": 19_500,
            "one_per_victim": False,
            "at_hospital": False,
        }
        | values
    )


def paired_with_body(others: list[dict]) -> set[int]:
    """The records paired with an unidentified body of a man of about 30 (id 1)."""
    body = record(1, source="coroner", one_per_victim=True, age=30.0)
    pairs, _rules = candidate_pairs_found(frame=pd.DataFrame([body, *others]))
    return set(pairs.loc[pairs["record_low"] == 1, "record_high"])


def named(unique_id: int, **values) -> dict:
    return record(unique_id, name_sorted="JUAN LOPEZ", name_tokens=["JUAN", "LOPEZ"], **values)


def test_a_body_without_a_name_is_compared_with_people_of_a_compatible_age_only():
    others = [named(2, age=32.0), named(3, age=None), named(4, age=70.0), named(5, age=12.0)]
    assert paired_with_body(others) == {2, 3}


def test_two_name_parts_in_common_pair_records_on_a_day_one_of_the_parts_is_too_common_on(settings):
    settings.RECONCILIATION_BLOCK_MAX_PAIRS = 10
    # Five records with GARCIA on one day would meet 25 times on it: GARCIA alone tells nobody apart that day.
    names = ["ANA GARCIA LOPEZ", "ANA GARCIA", "GARCIA PEDRO", "GARCIA LUIS", "GARCIA JOSE"]
    records = [
        record(number, name_sorted=name, name_tokens=name.split(), municipality_id=number)
        for number, name in enumerate(names, start=1)
    ]
    pairs, rules = candidate_pairs_found(frame=pd.DataFrame(records))
    found = pairs.loc[(pairs["record_low"] == 1) & (pairs["record_high"] == 2), "rules"]
    assert len(found) == 1 and found.iloc[0] >> rules.index("names_and_days") & 1
