"""Which candidate pairs could reach the review threshold at all: the others are not given to Splink to score.

At a million records the blocking rules propose tens of millions of pairs (a busy municipality has hundreds of
records a day, and two of them share a name part, a sound or a colonia within a few days by chance), and nearly
all of them are pairs the model counts as different people. Splink evaluates every level of every comparison of
each pair, the name parts compared one by one (Jaro-Winkler in list lambdas) most dearly. An upper bound of a
pair's match weight is much cheaper: the levels whose conditions are cheap are evaluated as Splink evaluates them,
and each dear level counts at its own weight, as if it held, unless a level before it already holds. The bound is
never below the weight Splink would give, so no pair at or above the review threshold is lost.

In passes, cheapest first: the first counts every level whose condition calls a function (string likeness, list
intersections) as possibly holding, the second only those that compare lists item by item (lambdas); each pass
reads only the pairs the one before kept.
"""

import math
import re
from collections.abc import Callable

import duckdb

# A condition calling no function but these is as cheap as a comparison of two values.
_ARITHMETIC = {"abs", "greatest", "least"}
_SQL_WORDS = {"in", "and", "or", "not", "is", "then", "else", "when", "case"}
# Splink's float comparisons can differ in their last bits from ours: a pair this close to the threshold is kept.
_ROUNDING = 1e-6


def _calls_no_function(condition: str) -> bool:
    called = {name.lower() for name in re.findall(r"\b(\w+)\s*\(", condition)} - _SQL_WORDS
    return called <= _ARITHMETIC


def _compares_no_list_items(condition: str) -> bool:
    return "lambda" not in condition


# The passes: which levels each evaluates exactly.
PASSES: tuple[Callable[[str], bool], ...] = (_calls_no_function, _compares_no_list_items)


def _weight(level: dict) -> float:
    return math.log2(level["m_probability"] / level["u_probability"])


def _level_weight_sql(level: dict) -> str:
    """The level's weight, with Splink's term-frequency adjustment (a shared rare name is stronger evidence than a
    shared common one) when it has one: tf_<column>_l and tf_<column>_r are each record's share of its value."""
    if level.get("is_null_level"):
        return "0.0"
    weight = repr(_weight(level))
    column = level.get("tf_adjustment_column")
    if not column or not level.get("tf_adjustment_weight", 1.0):
        return weight
    left, right = f"tf_{column}_l", f"tf_{column}_r"
    share = f"greatest(coalesce({left}, {right}), coalesce({right}, {left}), {level.get('tf_minimum_u_value', 0.0)})"
    adjustment = f"{level.get('tf_adjustment_weight', 1.0)} * ({math.log2(level['u_probability'])} - log2({share}))"
    return f"({weight} + coalesce({adjustment}, 0.0))"


def _comparison_bound_sql(levels: list[dict], *, exact: Callable[[str], bool]) -> str:
    """The largest weight the comparison can give: the first level whose condition holds, where conditions are
    evaluated for the levels `exact` accepts and any other level may hold."""
    bound = None
    for level in reversed(levels):
        condition = level["sql_condition"]
        weight = _level_weight_sql(level)
        if bound is None or condition.strip().upper() == "ELSE":
            bound = weight
        elif exact(condition):
            bound = f"CASE WHEN {condition} THEN {weight} ELSE {bound} END"
        else:
            bound = f"greatest({weight}, {bound})"
    return bound


def match_weight_bound_sql(*, model: dict, exact: Callable[[str], bool]) -> str | None:
    """SQL over the columns Splink compares (name_sorted_l, name_sorted_r, ...): a weight no lower than the
    model's match weight of the pair. None when a level has no m or u probability (nothing to bound with)."""
    levels = [level for comparison in model["comparisons"] for level in comparison["comparison_levels"]]
    if any(
        not level.get("is_null_level") and not (level.get("m_probability") and level.get("u_probability"))
        for level in levels
    ):
        return None
    prior = model["probability_two_random_records_match"]
    return " + ".join(
        [repr(math.log2(prior / (1 - prior)))]
        + [_comparison_bound_sql(comparison["comparison_levels"], exact=exact) for comparison in model["comparisons"]]
    )


def pairs_within_reach_keep(
    connection: duckdb.DuckDBPyConnection,
    *,
    pairs_table: str,
    records_table: str,
    model: dict,
    threshold: float,
    term_frequency_tables: dict[str, str],
) -> int:
    """Keep in `pairs_table` (join_key_l, join_key_r, ...) only the pairs whose match probability could reach
    `threshold`; return how many are left. `term_frequency_tables` name, per column the model adjusts for term
    frequencies, a table of each value's share (<column>, tf_<column>), as Splink reads them."""
    # Each record's share of its value, looked up once per record rather than once per pair.
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE records_with_shares AS SELECT records.*"
        + "".join(f", {column}_shares.tf_{column}" for column in term_frequency_tables)
        + f" FROM {records_table} records"
        + "".join(
            f" LEFT JOIN {table} {column}_shares ON {column}_shares.{column} = records.{column}"
            for column, table in term_frequency_tables.items()
        )
    ).fetchall()
    columns = [column for column, *_ in connection.execute("SELECT * FROM records_with_shares LIMIT 0").description]
    sides = [f"{side}.{column} AS {column}_{side}" for side in "lr" for column in columns]
    floor = math.log2(threshold / (1 - threshold)) - _ROUNDING
    for exact in PASSES:
        bound = match_weight_bound_sql(model=model, exact=exact)
        if bound is None:
            break
        connection.execute(f"""
            CREATE OR REPLACE TEMP TABLE pairs_within_reach AS
            SELECT match_key, join_key_l, join_key_r, rules FROM (
                SELECT p.*, {", ".join(sides)} FROM {pairs_table} p
                JOIN records_with_shares l ON l.unique_id = p.join_key_l
                JOIN records_with_shares r ON r.unique_id = p.join_key_r)
            WHERE {bound} >= {floor}""").fetchall()
        connection.execute(
            f"CREATE OR REPLACE TABLE {pairs_table} AS SELECT * FROM pairs_within_reach; DROP TABLE pairs_within_reach"
        ).fetchall()
    connection.execute("DROP TABLE records_with_shares").fetchall()
    return connection.execute(f"SELECT count(*) FROM {pairs_table}").fetchall()[0][0]
