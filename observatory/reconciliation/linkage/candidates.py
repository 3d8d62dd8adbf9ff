"""Which pairs of records are compared at all (blocking), in DuckDB SQL.

Comparing every record with every other is quadratic; these rules keep the pairs that can plausibly be one
person, and Splink scores only those:
- the same ID number, or the same name (any order, any distance in time: a missing person found months later);
- two names in common within a few days of each other's event interval (typos, initials, a name half written);
- for a record without a name (an unidentified body, an unknown patient): any record of compatible sex and
  municipality (a body recovered from a hospital has none: that is the hospital's) whose event interval lies
  within CONTEXT_WINDOW_DAYS of its own.
Two records of a source holding one record per person (one autopsy per body), and two victims of one incident,
are never paired.
"""
import duckdb

CONTEXT_WINDOW_DAYS = 2
NAME_WINDOW_DAYS = 3
# An event interval longer than this (a long hospital stay) is blocked on its first days only.
MAX_INTERVAL_DAYS = 10
# The widest window of a rule that looks at time.
TIME_WINDOW_DAYS = max(NAME_WINDOW_DAYS, CONTEXT_WINDOW_DAYS)


def _days(side: str, *, window: int, where: str = "TRUE") -> str:
    """(unique_id, day) for every blocked day of each record's event interval, widened by `window` days each way:
    an interval longer than MAX_INTERVAL_DAYS is blocked on its first and its last days (the assault and the
    death of a long hospital stay, the estimated death and the recovery of a body found weeks later)."""
    return f"""
        SELECT unique_id, unnest(range(first_day - {window},
                                       least(last_day, first_day + {MAX_INTERVAL_DAYS}) + {window} + 1)) AS day
        FROM {side} WHERE first_day IS NOT NULL AND {where}
        UNION
        SELECT unique_id, unnest(range(greatest(first_day + {MAX_INTERVAL_DAYS} + 1, last_day - {MAX_INTERVAL_DAYS})
                                       - {window}, last_day + {window} + 1)) AS day
        FROM {side} WHERE last_day - first_day > {MAX_INTERVAL_DAYS} AND {where}"""


def _token_days(side: str, *, window: int) -> str:
    return f"""
        SELECT d.unique_id, t.token, d.day
        FROM ({_days(side, window=window, where="name_tokens IS NOT NULL")}) d
        JOIN (SELECT unique_id, unnest(name_tokens) AS token FROM {side} WHERE name_tokens IS NOT NULL) t
          ON t.unique_id = d.unique_id"""


def _context(*, unnamed_side: str, other_side: str, records_table: str) -> str:
    """Records without a name against every record close in time with a compatible sex and municipality."""
    return f"""
        SELECT l.unique_id AS a, r.unique_id AS b
        FROM ({_days(unnamed_side, window=CONTEXT_WINDOW_DAYS, where="name_sorted IS NULL")}) ld
        JOIN ({_days(other_side, window=0)}) rd ON rd.day = ld.day AND rd.unique_id <> ld.unique_id
        JOIN {records_table} l ON l.unique_id = ld.unique_id JOIN {records_table} r ON r.unique_id = rd.unique_id
        WHERE (l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex)
          AND (l.municipality_id IS NULL OR r.municipality_id IS NULL OR l.at_hospital OR r.at_hospital
               OR l.municipality_id = r.municipality_id)"""


def candidate_pairs_create(*, connection: duckdb.DuckDBPyConnection, records_table: str, output_table: str,
                           only_new: bool) -> int:
    """Write the candidate pairs as Splink's blocked-pairs table (match_key, join_key_l, join_key_r with
    join_key_l < join_key_r) and return how many there are. With `only_new`, only pairs that involve a record
    whose `is_new` is true."""
    left = f"(SELECT * FROM {records_table} WHERE is_new)" if only_new else records_table
    # Materialised first: left to itself, the optimiser may join the day lists before the names.
    for table, sql in (("token_days_wide", _token_days(left, window=NAME_WINDOW_DAYS)),
                       ("token_days", _token_days(records_table, window=0))):
        connection.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}").fetchall()
    ordered = "l.unique_id <> r.unique_id" if only_new else "l.unique_id < r.unique_id"
    rules = {
        "id_number": f"SELECT l.unique_id AS a, r.unique_id AS b FROM {left} l JOIN {records_table} r "
                     f"ON l.id_number = r.id_number AND {ordered}",
        "name": f"SELECT l.unique_id AS a, r.unique_id AS b FROM {left} l JOIN {records_table} r "
                f"ON l.name_sorted = r.name_sorted AND {ordered}",
        # One side's days widened, the other's as they are: each pair close enough in time meets once a day.
        "names_and_days": f"""
            SELECT l.unique_id AS a, r.unique_id AS b
            FROM token_days_wide l JOIN token_days r
              ON l.token = r.token AND l.day = r.day AND {ordered}
            GROUP BY l.unique_id, r.unique_id HAVING count(DISTINCT l.token) >= 2""",
        "context": _context(unnamed_side=left, other_side=records_table, records_table=records_table),
    }
    if only_new:  # and the new named records against the unnamed ones already there
        rules["context_reverse"] = _context(unnamed_side=records_table, other_side=left, records_table=records_table)
    union = " UNION ALL ".join(f"SELECT least(a, b) AS a, greatest(a, b) AS b, '{index}' AS match_key FROM ({sql})"
                               for index, sql in enumerate(rules.values()))
    connection.execute(f"""
        CREATE OR REPLACE TABLE {output_table} AS
        SELECT min(p.match_key) AS match_key, p.a AS join_key_l, p.b AS join_key_r
        FROM ({union}) p
        JOIN {records_table} l ON l.unique_id = p.a JOIN {records_table} r ON r.unique_id = p.b
        WHERE NOT (l.one_per_victim AND r.one_per_victim AND l.source = r.source)
          AND NOT coalesce(l.source = r.source AND l.incident_id = r.incident_id, FALSE)
        GROUP BY p.a, p.b""").fetchall()
    connection.execute("DROP TABLE token_days_wide; DROP TABLE token_days").fetchall()
    # fetchall, not fetchone: DuckDB refuses further work on a connection with a result left unread.
    return connection.execute(f"SELECT count(*) FROM {output_table}").fetchall()[0][0]
