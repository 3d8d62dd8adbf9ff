"""The DuckDB database the linkage works in, and the model estimated in it."""

import random
from pathlib import Path

import pandas as pd

from observatory.reconciliation.linkage.features import SPLINK_SCHEMA
from observatory.reconciliation.linkage.phonetic import spanish_sound
from observatory.reconciliation.linkage.scoring import duckdb_connect, model_train


def test_the_linkage_database_spills_to_disk_past_its_memory_limit(settings, tmp_path):
    settings.RECONCILIATION_DUCKDB_MEMORY_LIMIT = "256MB"
    settings.RECONCILIATION_DUCKDB_TEMP_DIRECTORY = tmp_path / "duckdb"
    connection = duckdb_connect()
    values = dict(
        connection.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'temp_directory')"
        ).fetchall()
    )
    assert values["memory_limit"] == "244.1 MiB"
    spill = Path(values["temp_directory"])
    assert spill.parent == tmp_path / "duckdb" and not spill.exists()
    # A sort of more than the limit finishes, on disk; closed, the database leaves no file behind.
    assert connection.execute(
        "SELECT count(*) FROM (SELECT range AS n, repeat('x', 40) AS padding FROM range(8000000) ORDER BY hash(n))"
    ).fetchall() == [(8_000_000,)]
    connection.close()
    assert list((tmp_path / "duckdb").iterdir()) == []


def people_records(people: int = 200) -> pd.DataFrame:
    """Two records of each person (a police report and an autopsy, the autopsy's surname misspelt for every third
    person), as features.py gives them to the model."""
    generator = random.Random(7)
    first_names = ["JOSE", "MARIA", "JUAN", "ANA", "CARLOS", "ROSA", "LUIS", "SANDRA", "PEDRO", "GLORIA"]
    surnames = ["LOPEZ", "GARCIA", "PEREZ", "MORALES", "CASTILLO", "RAMIREZ", "BLANCO", "HERRERA", "OROZCO", "SOTO"]
    rows = []
    for person in range(people):
        first, surname = generator.choice(first_names), generator.choice(surnames)
        day, age = generator.randrange(19_000, 20_000), generator.randrange(15, 70)
        place = (generator.randrange(1, 4), generator.randrange(1, 40))
        for source, written in (("police", surname), ("coroner", surname[:-1] + "X" if person % 3 == 0 else surname)):
            parts = sorted({first, written})
            rows.append(
                dict.fromkeys(SPLINK_SCHEMA.names)
                | {
                    "unique_id": len(rows) + 1,
                    "source": source,
                    "name_sorted": " ".join(parts),
                    "name_tokens": parts,
                    "name_sounds": sorted({spanish_sound(part) for part in parts}),
                    "sex": "M" if first in ("JOSE", "JUAN", "CARLOS", "LUIS", "PEDRO") else "F",
                    "age": float(age),
                    "family": "violence",
                    "is_missing_report": False,
                    "died": True,
                    "weapon": "firearm",
                    "municipality_id": place[0],
                    "colonia_id": place[0] * 100 + place[1],
                    "first_day": day,
                    "last_day": day,
                    "one_per_victim": source == "coroner",
                    "at_hospital": False,
                }
            )
    return pd.DataFrame(rows)


def typo_level_m(model: dict) -> float:
    name = next(comparison for comparison in model["comparisons"] if comparison["output_column_name"] == "name")
    return next(level for level in name["comparison_levels"] if level["label_for_charts"] == "one typo apart")[
        "m_probability"
    ]


def test_analysts_decisions_change_the_m_probabilities_of_a_full_run(settings):
    settings.RECONCILIATION_MIN_RECORDS_TO_TRAIN = 100
    settings.RECONCILIATION_U_SAMPLE_PAIRS = 20_000
    settings.RECONCILIATION_MIN_MATCH_LABELS = 20
    frame = people_records()
    # The analysts found the misspelt pairs to be the same person: the level they reach is one true matches reach.
    misspelt = [(2 * person + 1, 2 * person + 2) for person in range(0, 200, 3)]
    without, trained = model_train(frame=frame)
    assert trained
    with_decisions, _trained = model_train(frame=frame, matches=misspelt)
    assert typo_level_m(with_decisions) > typo_level_m(without) + 0.1
    # Too few decisions to outweigh the data: the model is as the data alone make it.
    few, _trained = model_train(frame=frame, matches=misspelt[:19])
    assert typo_level_m(few) == typo_level_m(without)
