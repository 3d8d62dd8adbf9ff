"""The bound on a pair's match weight (weight_bound.py): never below what Splink gives, so the pairs it leaves
out of scoring are pairs Splink would not have kept."""

import logging
import random

import duckdb
import pandas as pd
import pytest
from splink import Linker
from splink.backends.duckdb import DuckDBAPI

from observatory.reconciliation.linkage.features import as_splink_input
from observatory.reconciliation.linkage.scoring import model_train
from observatory.reconciliation.linkage.weight_bound import match_weight_bound_sql, pairs_within_reach_keep

from .test_scoring import people_records


def varied_records() -> pd.DataFrame:
    """people_records with every comparison's levels reached: values missing, ages and days apart, other places,
    hospitals, missing-person reports, ID numbers alike or not, place names and facilities, initials."""
    generator = random.Random(11)
    frame = people_records(people=150)
    for index in frame.index:
        roll = generator.random
        if roll() < 0.1:
            frame.loc[index, ["name_sorted", "name_tokens", "name_sounds"]] = None
        elif roll() < 0.15:
            frame.at[index, "name_sorted"] = (
                frame.at[index, "name_sorted"][0] + " " + frame.at[index, "name_tokens"][-1]
            )
        if roll() < 0.2:
            frame.at[index, "age"] = None if roll() < 0.5 else frame.at[index, "age"] + generator.choice([2, 4, 9])
        if roll() < 0.1:
            frame.at[index, "sex"] = None
        if roll() < 0.2:
            frame.at[index, "first_day"] += generator.choice([1, 3, 8, 40])
            frame.at[index, "last_day"] = frame.at[index, "first_day"] + generator.choice([0, 0, 2])
        frame.at[index, "event_minute"] = frame.at[index, "first_day"] * 1440 + generator.randrange(0, 300)
        if roll() < 0.15:
            frame.at[index, "colonia_id"] = None if roll() < 0.5 else frame.at[index, "colonia_id"] + 1
        if roll() < 0.05:
            frame.at[index, "municipality_id"] = None
        frame.at[index, "at_hospital"] = roll() < 0.05
        frame.at[index, "is_missing_report"] = roll() < 0.05
        frame.at[index, "place_words"] = generator.choice([None, ["zapote"], ["milagro"], ["milgro", "barranco"]])
        frame.at[index, "facility"] = generator.choice([None, ["roosevelt"], ["san", "juan", "dios"]])
        frame.at[index, "facility_initials"] = generator.choice([None, "HR", "SJD"])
        frame.at[index, "place_kind"] = generator.choice([None, "home", "public_road", "public_transport"])
        frame.at[index, "weapon"] = generator.choice([None, "firearm", "firearm", "knife"])
        frame.at[index, "family"] = generator.choice([None, "violence", "violence", "undetermined", "traffic"])
        frame.at[index, "id_number"] = generator.choice([None, None, "1234567890101", "1234567890102", "99"])
    return frame


@pytest.fixture
def scored_every_pair(settings):
    """The varied records, a model trained on them, and every pair of them with the weight Splink gives it."""
    settings.RECONCILIATION_MIN_RECORDS_TO_TRAIN = 100
    settings.RECONCILIATION_U_SAMPLE_PAIRS = 20_000
    frame = varied_records()
    model, trained = model_train(frame=frame)
    assert trained
    connection = duckdb.connect()
    connection.register("records_frame", as_splink_input(frame.assign(is_new=False)))
    connection.execute("CREATE TABLE records AS SELECT * FROM records_frame").fetchall()
    connection.execute(
        "CREATE TABLE every_pair AS SELECT '0' AS match_key, l.unique_id AS join_key_l, r.unique_id AS join_key_r, "
        "1 AS rules FROM records l JOIN records r ON l.unique_id < r.unique_id"
    ).fetchall()
    shares = frame["name_sorted"].dropna().value_counts(normalize=True)
    connection.register("name_shares", pd.DataFrame({"name_sorted": shares.index, "tf_name_sorted": shares.to_numpy()}))
    database = DuckDBAPI(connection=connection)
    linker = Linker(database.register("records"), model, log_level=logging.ERROR, validate_settings=False)
    linker.table_management.register_term_frequency_lookup(database.register("name_shares"), "name_sorted")
    linker.table_management.register_blocked_pairs_for_predict(database.register("every_pair"))
    weights = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    weights = weights.assign(
        low=weights[["unique_id_l", "unique_id_r"]].min(axis=1),
        high=weights[["unique_id_l", "unique_id_r"]].max(axis=1),
    )
    return connection, model, weights.set_index(["low", "high"])["match_weight"]


@pytest.mark.parametrize("threshold", [0.05, 0.5, 0.95])
def test_the_pairs_kept_are_every_pair_splink_scores_at_the_threshold_and_few_others(scored_every_pair, threshold):
    connection, model, weights = scored_every_pair
    connection.execute("CREATE OR REPLACE TABLE candidates AS SELECT * FROM every_pair").fetchall()
    kept = pairs_within_reach_keep(
        connection,
        pairs_table="candidates",
        records_table="records",
        model=model,
        threshold=threshold,
        term_frequency_tables={"name_sorted": "name_shares"},
    )
    kept_pairs = set(connection.execute("SELECT join_key_l, join_key_r FROM candidates").fetchall())
    probabilities = 1 / (1 + 2 ** (-weights))
    reaching = set(probabilities[probabilities >= threshold].index)
    assert reaching and reaching <= kept_pairs
    # Most pairs of different people are not scored at all.
    assert len(reaching) <= kept < len(weights) / 4


def test_a_level_comparing_list_items_counts_at_its_weight_until_the_last_pass():
    levels = [
        {"sql_condition": "name_l IS NULL OR name_r IS NULL", "is_null_level": True},
        {"sql_condition": "name_l = name_r", "m_probability": 0.8, "u_probability": 0.0125},  # 6 bits
        {
            "sql_condition": "list_bool_or(list_transform(parts_l, lambda x: list_contains(parts_r, x)))",
            "m_probability": 0.1,
            "u_probability": 0.025,  # 2 bits
        },
        {"sql_condition": "jaro_winkler_similarity(name_l, name_r) > 0.9", "m_probability": 0.05, "u_probability": 0.1},
        {"sql_condition": "ELSE", "m_probability": 0.05, "u_probability": 0.8},  # -4 bits
    ]
    model = {"probability_two_random_records_match": 0.5, "comparisons": [{"comparison_levels": levels}]}
    pairs = [("ANA", "ANA", ["ANA"], ["ANA"]), ("ANA", "LUIS", ["ANA"], ["LUIS"]), (None, "LUIS", None, ["LUIS"])]
    connection = duckdb.connect()
    bounds = {}
    for name, exact in (("first", lambda condition: "(" not in condition), ("last", lambda condition: True)):
        sql = match_weight_bound_sql(model=model, exact=exact)
        bounds[name] = [
            round(
                connection.execute(
                    f"SELECT {sql} FROM (SELECT ?::VARCHAR AS name_l, ?::VARCHAR AS name_r, "
                    "?::VARCHAR[] AS parts_l, ?::VARCHAR[] AS parts_r)",
                    list(pair),
                ).fetchall()[0][0],
                6,
            )
            for pair in pairs
        ]
    assert bounds["first"] == [6.0, 2.0, 0.0]  # ANA and LUIS may share a part, as far as the first pass knows
    assert bounds["last"] == [6.0, -4.0, 0.0]


def test_without_a_probability_to_bound_with_nothing_is_bounded():
    model = {
        "probability_two_random_records_match": 0.01,
        "comparisons": [{"comparison_levels": [{"sql_condition": "a_l = a_r"}, {"sql_condition": "ELSE"}]}],
    }
    assert match_weight_bound_sql(model=model, exact=lambda condition: True) is None
