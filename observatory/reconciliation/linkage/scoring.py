"""Splink (DuckDB backend) estimates the model and scores candidate pairs."""

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from django.conf import settings
from splink import Linker
from splink.backends.duckdb import DuckDBAPI

from .candidates import BlocksLeftOut, candidate_pairs_create, pairs_per_rule
from .features import as_splink_input
from .model import model_priors, model_settings, priors_apply
from .weight_bound import pairs_within_reach_keep

# Pairs the model estimates from: same place and day (evidence on names and ids), same name (evidence on the rest).
_TRAINING_BLOCKS = (
    "l.municipality_id = r.municipality_id AND l.first_day = r.first_day",
    "l.name_sorted = r.name_sorted",
)
# Rules that admit almost no false matches, to estimate how many pairs are matches at all.
_DETERMINISTIC_RULES = (
    "l.id_number = r.id_number AND l.sex = r.sex",
    "l.name_sorted = r.name_sorted AND l.first_day <= r.last_day AND r.first_day <= l.last_day",
)
M_FLOOR, U_FLOOR = 5e-3, 1e-7


def duckdb_connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB database that spills to disk past RECONCILIATION_DUCKDB_MEMORY_LIMIT instead of
    growing: the pairs of a large or much repeated set of records do not fit in a worker's memory."""
    settings.RECONCILIATION_DUCKDB_TEMP_DIRECTORY.mkdir(parents=True, exist_ok=True)
    # A directory of its own, which DuckDB creates when it first spills and removes when closed: databases sharing
    # one would write spill files of the same names.
    temp_directory = settings.RECONCILIATION_DUCKDB_TEMP_DIRECTORY / uuid.uuid4().hex
    return duckdb.connect(
        config={"memory_limit": settings.RECONCILIATION_DUCKDB_MEMORY_LIMIT, "temp_directory": str(temp_directory)}
    )


def _linker(frame: pd.DataFrame, model: dict) -> tuple[Linker, DuckDBAPI]:
    connection = duckdb_connect()
    connection.register("records_frame", as_splink_input(frame))
    connection.execute("CREATE TABLE records AS SELECT * FROM records_frame").fetchall()
    connection.unregister("records_frame")
    database = DuckDBAPI(connection=connection)
    # Splink's validation of the settings only logs warnings, which log_level ERROR silences.
    return Linker(database.register("records"), model, log_level=logging.ERROR, validate_settings=False), database


def model_train(*, frame: pd.DataFrame, matches: list[tuple[int, int]] = ()) -> tuple[dict, bool]:
    """The model with its parameters estimated from these records, or the configured priors when they are too
    few to estimate from. Returns (model, trained). Levels the configuration fixes keep their fixed values.

    `matches`, the pairs of records analysts decided are one person, give the m probabilities too (averaged
    with EM's, as Splink averages its training sessions) once there are RECONCILIATION_MIN_MATCH_LABELS of
    them among these records: the levels true matches reach, as people judged them."""
    if len(frame) < settings.RECONCILIATION_MIN_RECORDS_TO_TRAIN:
        return model_settings(term_frequencies=False), False
    untrained = model_settings(term_frequencies=True)
    linker, database = _linker(frame, untrained)
    known = set(frame["unique_id"])
    labels = pd.DataFrame(
        [pair for pair in matches if pair[0] in known and pair[1] in known], columns=["unique_id_l", "unique_id_r"]
    )
    linker.training.estimate_probability_two_random_records_match(list(_DETERMINISTIC_RULES), recall=0.7)
    # Every sampled pair counts: by default Splink stops at the first hundredth of them once each level has been
    # seen 100 times, and u estimated from a few thousand pairs moves with which records the sample drew. In one
    # chunk: the sample's pairs, a comparison's columns at a time, fit in memory, and Splink's ten chunks (after a
    # probe it discards) would each read the sample again for the same counts.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.RECONCILIATION_U_SAMPLE_PAIRS, seed=1, min_count_per_level=None, num_chunks=1
    )
    for block in _TRAINING_BLOCKS:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block, estimate_without_term_frequencies=True, max_pairs=settings.RECONCILIATION_EM_MAX_PAIRS
        )
    if len(labels) >= settings.RECONCILIATION_MIN_MATCH_LABELS:
        linker.training.estimate_m_from_pairwise_labels(database.register(labels.astype("int64")))
    trained = priors_apply(model=linker.misc.save_model_to_json(), priors=model_priors(), only_missing=True)
    database.duckdb_con.close()
    return priors_apply(model=_floored(trained), priors=settings.RECONCILIATION_FIXED_PARAMETERS), True


def _floored(model: dict) -> dict:
    """No level may be impossible: a level never seen among the training matches (a sex recorded wrongly) would
    otherwise veto a link whatever the other evidence says."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            for name, floor in (("m_probability", M_FLOOR), ("u_probability", U_FLOOR)):
                if level.get(name) is not None:
                    level[name] = max(level[name], floor)
    return model


def candidate_pairs_found(*, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Every candidate pair of these records (record_low, record_high, and `rules`: the bits of the rules that
    found it), and the rules in the order of the bits: which pairs each blocking rule finds, for evaluation."""
    connection = duckdb_connect()
    try:
        connection.register("records_frame", as_splink_input(frame))
        connection.execute("CREATE TABLE records AS SELECT * FROM records_frame").fetchall()
        candidates = candidate_pairs_create(
            connection=connection,
            records_table="records",
            output_table="candidate_pairs",
            only_new=False,
            max_block_pairs=settings.RECONCILIATION_BLOCK_MAX_PAIRS,
        )
        pairs = connection.sql(
            "SELECT join_key_l AS record_low, join_key_r AS record_high, rules::BIGINT AS rules FROM candidate_pairs"
        ).df()
    finally:
        connection.close()
    return pairs, candidates.rules


@dataclass
class ScoredPairs:
    """The pairs at or above the review threshold, read in batches of RECONCILIATION_SCORE_BATCH_PAIRS (each as
    `_explained` gives them), the blocks left out as too common to pair on, how many candidate pairs each
    blocking rule found, how many there were in all and how many of them the model scored (those that could
    reach the review threshold)."""

    batches: Iterator[pd.DataFrame]
    left_out: list[BlocksLeftOut]
    pairs_by_rule: dict[str, int]
    candidate_pairs: int
    pairs_compared: int


def pairs_score(
    *,
    frame: pd.DataFrame,
    model: dict,
    new_ids: set[int] | None = None,
    term_frequencies: dict[str, pd.Series] | None = None,
) -> ScoredPairs:
    """Score the candidate pairs; those at or above the review threshold come in batches of record_low <
    record_high, match_probability, match_weight and `comparisons` (per comparison: the level reached and its
    weight in bits). With `new_ids`, only pairs involving at least one of those records are scored. Term
    frequencies come from `term_frequencies` (per column, the share of every record holding each value a record
    of `new_ids` holds) when the frame holds only some of the records."""
    scoring_model = {
        **model,
        # Both are needed to explain a score: the level each comparison reached and its weight.
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
    }
    frame = frame.assign(is_new=frame["unique_id"].isin(new_ids or ()))
    linker, database = _linker(frame, scoring_model)
    # Nothing scoring reads depends on the order rows were written in (the model, estimated from samples, is
    # fixed by now), and tens of millions of candidate pairs are written and read faster without keeping it.
    database.duckdb_con.execute("SET preserve_insertion_order = false").fetchall()
    term_frequency_tables = _term_frequencies_register(
        linker, database, frame=frame, model=model, term_frequencies=term_frequencies
    )
    candidates = candidate_pairs_create(
        connection=database.duckdb_con,
        records_table="records",
        output_table="candidate_pairs",
        only_new=new_ids is not None,
        max_block_pairs=settings.RECONCILIATION_BLOCK_MAX_PAIRS,
    )
    pairs_by_rule = pairs_per_rule(database.duckdb_con, table="candidate_pairs", rules=candidates.rules)
    pairs_compared = pairs_within_reach_keep(
        database.duckdb_con,
        pairs_table="candidate_pairs",
        records_table="records",
        model=model,
        threshold=settings.RECONCILIATION_REVIEW_THRESHOLD,
        term_frequency_tables=term_frequency_tables,
    )
    linker.table_management.register_blocked_pairs_for_predict(database.register("candidate_pairs"))
    predictions = linker.inference.predict(
        threshold_match_probability=settings.RECONCILIATION_REVIEW_THRESHOLD, warning_mode="never"
    )
    return ScoredPairs(
        batches=_batches(database.duckdb_con, table=predictions.physical_name, model=model),
        left_out=candidates.left_out,
        pairs_by_rule=pairs_by_rule,
        candidate_pairs=candidates.count,
        pairs_compared=pairs_compared,
    )


def _term_frequencies_register(
    linker: Linker,
    database: DuckDBAPI,
    *,
    frame: pd.DataFrame,
    model: dict,
    term_frequencies: dict[str, pd.Series] | None,
) -> dict[str, str]:
    """Give Splink, per column the model adjusts for term frequencies, each value's share of every record (from
    `term_frequencies` when given, else counted in `frame`); return the tables' names, per column."""
    tables = {}
    for column in _term_frequency_columns(model):
        shares = (term_frequencies or {}).get(column)
        if shares is None:
            counts = frame[column].dropna().value_counts()
            shares = counts / counts.sum()
        registered = database.register(
            pd.DataFrame({column: shares.index.astype(str), f"tf_{column}": shares.to_numpy()})
        )
        linker.table_management.register_term_frequency_lookup(registered, column)
        tables[column] = registered.physical_name
    return tables


def _batches(connection: duckdb.DuckDBPyConnection, *, table: str, model: dict) -> Iterator[pd.DataFrame]:
    """The predictions, explained, a batch at a time: as one frame, every pair's columns and explanation (some
    kilobytes) would take gigabytes for a few million pairs. The database is closed once they are read, so that
    its memory is free before the victims are formed."""
    try:
        columns = [column for column, *_ in connection.execute(f"SELECT * FROM {table} LIMIT 0").description]
        wanted = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"] + [
            column
            for comparison in model["comparisons"]
            for prefix in ("gamma_", "mw_", "mw_tf_adj_")
            if (column := prefix + comparison["output_column_name"]) in columns
        ]
        reader = connection.sql(f"SELECT {', '.join(wanted)} FROM {table}").to_arrow_reader(
            settings.RECONCILIATION_SCORE_BATCH_PAIRS
        )
        for batch in reader:
            yield _explained(batch.to_pandas(), model)
    finally:
        connection.close()


def _term_frequency_columns(model: dict) -> set[str]:
    return {
        level["tf_adjustment_column"]
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }


def _explained(predictions: pd.DataFrame, model: dict) -> pd.DataFrame:
    low = np.minimum(predictions["unique_id_l"], predictions["unique_id_r"]).astype("int64")
    high = np.maximum(predictions["unique_id_l"], predictions["unique_id_r"]).astype("int64")
    out = pd.DataFrame(
        {
            "record_low": low,
            "record_high": high,
            "match_probability": predictions["match_probability"].astype(float),
            "match_weight": predictions["match_weight"].astype(float),
        }
    )
    per_comparison = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        labels = {
            len(comparison["comparison_levels"]) - 1 - index: level["label_for_charts"]
            for index, level in enumerate(comparison["comparison_levels"])
            if not level.get("is_null_level")
        }
        gamma = predictions[f"gamma_{name}"].to_numpy()
        weight = predictions[f"mw_{name}"].astype(float).to_numpy()
        if f"mw_tf_adj_{name}" in predictions:
            weight = weight + predictions[f"mw_tf_adj_{name}"].astype(float).to_numpy()
        per_comparison[name] = (gamma, np.round(weight, 2), labels)
    out["comparisons"] = [
        {
            name: {"label": labels.get(int(gamma[row]), "unknown"), "weight": float(weight[row])}
            for name, (gamma, weight, labels) in per_comparison.items()
        }
        for row in range(len(out))
    ]
    return out
