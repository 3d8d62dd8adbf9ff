"""Which pairs of records are compared at all (blocking), in DuckDB SQL.

Comparing every record with every other is quadratic; these rules keep the pairs that can plausibly be one
person, and Splink scores only those:
- the same ID number, or the same name (any order, any distance in time: a missing person found months later);
- two names in common within a few days of each other's event interval (typos, initials, a name half written);
- for a record without a name (an unidentified body, an unknown patient): any record of compatible sex and
  municipality whose event interval lies within CONTEXT_WINDOW_DAYS of its own.
Two records of a source holding one record per person (one autopsy per body) are never paired.
"""
import duckdb

CONTEXT_WINDOW_DAYS = 2
NAME_WINDOW_DAYS = 3
# An event interval longer than this (a long hospital stay) is blocked on its first days only.
MAX_INTERVAL_DAYS = 10

_TOKEN_DAYS = f"""
    SELECT unique_id, token, unnest(range(first_day - {NAME_WINDOW_DAYS},
                                          least(last_day, first_day + {MAX_INTERVAL_DAYS}) + {NAME_WINDOW_DAYS} + 1)) AS day
    FROM (SELECT unique_id, first_day, last_day, unnest(name_tokens) AS token FROM {{side}}
          WHERE name_tokens IS NOT NULL AND first_day IS NOT NULL)
"""


def candidate_pairs_create(*, connection: duckdb.DuckDBPyConnection, records_table: str, output_table: str,
                           only_new: bool) -> int:
    """Write the candidate pairs as Splink's blocked-pairs table (match_key, join_key_l, join_key_r with
    join_key_l < join_key_r) and return how many there are. With `only_new`, only pairs that involve a record
    whose `is_new` is true."""
    left = f"(SELECT * FROM {records_table} WHERE is_new)" if only_new else records_table
    ordered = "l.unique_id <> r.unique_id" if only_new else "l.unique_id < r.unique_id"
    rules = {
        "id_number": f"SELECT l.unique_id AS a, r.unique_id AS b FROM {left} l JOIN {records_table} r "
                     f"ON l.id_number = r.id_number AND {ordered}",
        "name": f"SELECT l.unique_id AS a, r.unique_id AS b FROM {left} l JOIN {records_table} r "
                f"ON l.name_sorted = r.name_sorted AND {ordered}",
        "names_and_days": f"""
            SELECT l.unique_id AS a, r.unique_id AS b
            FROM ({_TOKEN_DAYS.format(side=left)}) l JOIN ({_TOKEN_DAYS.format(side=records_table)}) r
              ON l.token = r.token AND l.day = r.day AND {ordered}
            GROUP BY l.unique_id, r.unique_id HAVING count(DISTINCT l.token) >= 2""",
        "context": f"""
            SELECT l.unique_id AS a, r.unique_id AS b FROM {left} l JOIN {records_table} r
              ON r.first_day <= l.last_day + {CONTEXT_WINDOW_DAYS} AND r.last_day >= l.first_day - {CONTEXT_WINDOW_DAYS}
             AND (l.name_sorted IS NULL OR r.name_sorted IS NULL) AND {ordered}
             AND (l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex)
             AND (l.municipality_id IS NULL OR r.municipality_id IS NULL OR l.municipality_id = r.municipality_id)""",
    }
    union = " UNION ALL ".join(f"SELECT least(a, b) AS a, greatest(a, b) AS b, '{index}' AS match_key FROM ({sql})"
                               for index, sql in enumerate(rules.values()))
    connection.execute(f"""
        CREATE OR REPLACE TABLE {output_table} AS
        SELECT min(p.match_key) AS match_key, p.a AS join_key_l, p.b AS join_key_r
        FROM ({union}) p
        JOIN {records_table} l ON l.unique_id = p.a JOIN {records_table} r ON r.unique_id = p.b
        WHERE NOT (l.one_per_victim AND r.one_per_victim AND l.source = r.source)
        GROUP BY p.a, p.b""").fetchall()
    # fetchall, not fetchone: DuckDB refuses further work on a connection with a result left unread.
    return connection.execute(f"SELECT count(*) FROM {output_table}").fetchall()[0][0]
