"""Which pairs of records are compared at all (blocking), in DuckDB SQL.

Comparing every record with every other is quadratic; these rules keep the pairs that can plausibly be one
person, and Splink scores only those:
- the same ID number, or the same name (any order, any distance in time: a missing person found months later);
- two names in common within a few days of each other's event interval (typos, initials, a name half written);
- a name part that sounds alike (phonetic.py: BLANCO, BLANKO) in the same municipality within CONTEXT_WINDOW_DAYS,
  with a compatible sex and age: a name with a typo in every part but one;
- the same colonia within CONTEXT_WINDOW_DAYS, with a compatible sex and age, named or not: a typo in every name
  part, or a name missing on one side;
- for a record without a name (an unidentified body, an unknown patient): any record of compatible sex, age and
  municipality (a body recovered from a hospital has none: that is the hospital's) whose event interval lies
  within CONTEXT_WINDOW_DAYS of its own.
Two records of a source holding one record per person (one autopsy per body), and two victims of one incident,
are never paired.

A blocking key shared by so many records that it would pair more than `max_block_pairs` of them (an ID number or
a name repeated on thousands of records, a name part on a day a file repeats every row of) tells nobody apart and
would make the pairs grow with the square of its records: its pairs are left out and counted.
"""

from dataclasses import dataclass

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


def _name_pair_days(side: str, *, window: int) -> str:
    """(unique_id, name_pair, day): every two of a record's whole name parts ("LOPEZ MARIA"), on each of its
    blocked days. Two records meet on a pair only when they share both parts, so that a common name part alone
    (JOSE, GARCIA) makes no rows to throw away."""
    return f"""
        SELECT d.unique_id, p.name_pair, d.day
        FROM ({_days(side, window=window, where="name_tokens IS NOT NULL")}) d
        JOIN (SELECT f.unique_id, f.token || ' ' || s.token AS name_pair
              FROM (SELECT unique_id, unnest(name_tokens) AS token FROM {side} WHERE name_tokens IS NOT NULL) f
              JOIN (SELECT unique_id, unnest(name_tokens) AS token FROM {side} WHERE name_tokens IS NOT NULL) s
                ON s.unique_id = f.unique_id AND f.token < s.token) p
          ON p.unique_id = d.unique_id"""


def _key_days(side: str, *, key: str, window: int, where: str) -> str:
    """(unique_id, key, day) for every blocked day of each record of `side` with a `key` (SQL over its columns, as
    unnest(...) for one row per list item), widened by `window` days each way."""
    return f"""
        SELECT d.unique_id, k.key, d.day
        FROM ({_days(side, window=window, where=where)}) d
        JOIN (SELECT unique_id, {key} AS key FROM {side} WHERE {where}) k ON k.unique_id = d.unique_id"""


def _ages_compatible(left: str, right: str) -> str:
    """Ages of the records aliased `left` and `right` that could be one person's, as two sources give them (one
    may be a guess): the rules that pair on a place leave out pairs the age comparison would count as different,
    which are most of a busy colonia's."""
    return (
        f"{left}.age IS NULL OR {right}.age IS NULL "
        f"OR abs({left}.age - {right}.age) <= greatest(5, 0.25 * greatest({left}.age, {right}.age))"
    )


# The keys of the rules that pair records on a key on nearby days (beside the name parts of names_and_days).
_KEYED_RULES = {
    # A name part's sound, in the record's municipality.
    "sound_and_place": (
        "unnest(name_sounds) || '@' || municipality_id",
        "name_sounds IS NOT NULL AND municipality_id IS NOT NULL",
    ),
    "colonia": ("colonia_id::varchar", "colonia_id IS NOT NULL"),
}


def _context(*, unnamed_side: str, other_side: str, records_table: str) -> str:
    """Records without a name against every record close in time with a compatible sex, age and municipality, on
    the days not too_common_context. Without the age, a third of the pairs would be ones the age comparison
    counts as different, which nothing else on an unnamed record can outweigh."""
    return f"""
        SELECT l.unique_id AS a, r.unique_id AS b
        FROM ({_days(unnamed_side, window=CONTEXT_WINDOW_DAYS, where="name_sorted IS NULL")}) ld
        JOIN ({_days(other_side, window=0)}) rd ON rd.day = ld.day AND rd.unique_id <> ld.unique_id
             AND rd.day NOT IN (SELECT day FROM too_common_context)
        JOIN {records_table} l ON l.unique_id = ld.unique_id JOIN {records_table} r ON r.unique_id = rd.unique_id
        WHERE (l.sex IS NULL OR r.sex IS NULL OR l.sex = r.sex) AND ({_ages_compatible("l", "r")})
          AND (l.municipality_id IS NULL OR r.municipality_id IS NULL OR l.at_hospital OR r.at_hospital
               OR l.municipality_id = r.municipality_id)"""


@dataclass(frozen=True)
class BlocksLeftOut:
    """The keys of one blocking rule too common to pair on, and the comparisons they would have made."""

    rule: str
    keys: int
    comparisons: int


@dataclass(frozen=True)
class CandidatePairs:
    count: int
    left_out: list[BlocksLeftOut]
    rules: list[str]  # the rules in the order of the bits of the pairs' `rules`


def _too_common(
    connection: duckdb.DuckDBPyConnection, *, rule: str, comparisons_sql: str, max_block_pairs: int
) -> BlocksLeftOut:
    """Keep in the temp table too_common_<rule> the keys of `comparisons_sql` (key columns, comparisons) that
    would make more than `max_block_pairs` comparisons."""
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE too_common_{rule} AS SELECT * FROM ({comparisons_sql}) "
        f"WHERE comparisons > {int(max_block_pairs)}"
    ).fetchall()
    keys, comparisons = connection.execute(
        f"SELECT count(*), coalesce(sum(comparisons), 0) FROM too_common_{rule}"
    ).fetchall()[0]
    return BlocksLeftOut(rule=rule, keys=keys, comparisons=int(comparisons))


def _blocks_too_common(
    connection: duckdb.DuckDBPyConnection, *, records_table: str, wide: dict[str, str], max_block_pairs: int
) -> list[BlocksLeftOut]:
    """Every rule's keys too common to pair on. Counted over all the records read, whichever are new, so that an
    incremental run leaves out the keys a full run would: `wide` are, per day table, every record's keys on its
    days widened as its rule widens them."""

    def pairs_within(key: str) -> str:
        return (
            f"SELECT {key} AS key, count(*) * (count(*) - 1) // 2 AS comparisons FROM {records_table} "
            f"WHERE {key} IS NOT NULL GROUP BY {key}"
        )

    def meetings(wide: str, narrow: str, key: str) -> str:
        """How many times the rows of `wide` meet those of `narrow` on each `key`: the rows a join on it makes."""
        return (
            f"SELECT {key}, w.n * r.n AS comparisons "
            f"FROM (SELECT {key}, count(*) AS n FROM ({wide}) GROUP BY ALL) w "
            f"JOIN (SELECT {key}, count(*) AS n FROM ({narrow}) GROUP BY ALL) r USING ({key})"
        )

    return [
        _too_common(
            connection, rule="id_number", comparisons_sql=pairs_within("id_number"), max_block_pairs=max_block_pairs
        ),
        _too_common(
            connection, rule="name", comparisons_sql=pairs_within("name_sorted"), max_block_pairs=max_block_pairs
        ),
        _too_common(
            connection,
            rule="names_and_days",
            max_block_pairs=max_block_pairs,
            comparisons_sql=meetings(wide["name_pair_days"], "SELECT * FROM name_pair_days", "name_pair, day"),
        ),
        *(
            _too_common(
                connection,
                rule=rule,
                max_block_pairs=max_block_pairs,
                comparisons_sql=meetings(wide[f"{rule}_days"], f"SELECT * FROM {rule}_days", "key, day"),
            )
            for rule in _KEYED_RULES
        ),
        _too_common(
            connection,
            rule="context",
            max_block_pairs=max_block_pairs,
            comparisons_sql=meetings(
                _days(records_table, window=CONTEXT_WINDOW_DAYS, where="name_sorted IS NULL"),
                _days(records_table, window=0),
                "day",
            ),
        ),
    ]


def candidate_pairs_create(
    *,
    connection: duckdb.DuckDBPyConnection,
    records_table: str,
    output_table: str,
    only_new: bool,
    max_block_pairs: int,
) -> CandidatePairs:
    """Write the candidate pairs as Splink's blocked-pairs table (match_key, join_key_l, join_key_r with
    join_key_l < join_key_r, and the rules that found the pair as bits); return how many there are, the blocks
    left out as too common and the rules.
    With `only_new`, only pairs that involve a record whose `is_new` is true."""
    left = f"(SELECT * FROM {records_table} WHERE is_new)" if only_new else records_table
    # Materialised first: left to itself, the optimiser may join the day lists before the names.
    day_tables = {
        "name_pair_days_wide": _name_pair_days(left, window=NAME_WINDOW_DAYS),
        "name_pair_days": _name_pair_days(records_table, window=0),
    }
    for rule, (key, where) in _KEYED_RULES.items():
        day_tables[f"{rule}_days_wide"] = _key_days(left, key=key, window=CONTEXT_WINDOW_DAYS, where=where)
        day_tables[f"{rule}_days"] = _key_days(records_table, key=key, window=0, where=where)
    for table, sql in day_tables.items():
        connection.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}").fetchall()
    narrow = [table for table in day_tables if not table.endswith("_wide")]
    left_out = _blocks_too_common(
        connection,
        records_table=records_table,
        max_block_pairs=max_block_pairs,
        # In a full run, the tables made above.
        wide={table: f"SELECT * FROM {table}_wide" for table in narrow}
        if not only_new
        else {"name_pair_days": _name_pair_days(records_table, window=NAME_WINDOW_DAYS)}
        | {
            f"{rule}_days": _key_days(records_table, key=key, window=CONTEXT_WINDOW_DAYS, where=where)
            for rule, (key, where) in _KEYED_RULES.items()
        },
    )
    connection.execute(
        "DELETE FROM name_pair_days USING too_common_names_and_days c "
        "WHERE name_pair_days.name_pair = c.name_pair AND name_pair_days.day = c.day"
    ).fetchall()
    for rule in _KEYED_RULES:
        connection.execute(
            f"DELETE FROM {rule}_days USING too_common_{rule} c "
            f"WHERE {rule}_days.key = c.key AND {rule}_days.day = c.day"
        ).fetchall()
    rules = _rules(left=left, records_table=records_table, only_new=only_new)
    _pairs_write(connection, rules=rules, records_table=records_table, output_table=output_table)
    connection.execute(
        " ".join(f"DROP TABLE {table};" for table in day_tables)
        + " ".join(f"DROP TABLE too_common_{blocks.rule};" for blocks in left_out)
    ).fetchall()
    # fetchall, not fetchone: DuckDB refuses further work on a connection with a result left unread.
    count = connection.execute(f"SELECT count(*) FROM {output_table}").fetchall()[0][0]
    return CandidatePairs(count=count, left_out=[blocks for blocks in left_out if blocks.keys], rules=list(rules))


def _rules(*, left: str, records_table: str, only_new: bool) -> dict[str, str]:
    """Each blocking rule's pairs (a, b) of `left` against every record, as SQL, leaving out too common keys."""
    ordered = "l.unique_id <> r.unique_id" if only_new else "l.unique_id < r.unique_id"
    rules = {
        "id_number": f"SELECT l.unique_id AS a, r.unique_id AS b FROM {left} l JOIN {records_table} r "
        f"ON l.id_number = r.id_number AND {ordered} "
        f"WHERE l.id_number NOT IN (SELECT key FROM too_common_id_number)",
        "name": f"SELECT l.unique_id AS a, r.unique_id AS b FROM {left} l JOIN {records_table} r "
        f"ON l.name_sorted = r.name_sorted AND {ordered} "
        f"WHERE l.name_sorted NOT IN (SELECT key FROM too_common_name)",
        # One side's days widened, the other's as they are: each pair close enough in time meets once a day.
        "names_and_days": f"""
            SELECT DISTINCT l.unique_id AS a, r.unique_id AS b
            FROM name_pair_days_wide l JOIN name_pair_days r
              ON l.name_pair = r.name_pair AND l.day = r.day AND {ordered}""",
        **{
            rule: f"""
            SELECT DISTINCT l.unique_id AS a, r.unique_id AS b
            FROM {rule}_days_wide l JOIN {rule}_days r ON l.key = r.key AND l.day = r.day AND {ordered}
            JOIN {records_table} ls ON ls.unique_id = l.unique_id JOIN {records_table} rs ON rs.unique_id = r.unique_id
            WHERE (ls.sex IS NULL OR rs.sex IS NULL OR ls.sex = rs.sex) AND ({_ages_compatible("ls", "rs")})"""
            for rule in _KEYED_RULES
        },
        "context": _context(unnamed_side=left, other_side=records_table, records_table=records_table),
    }
    if only_new:  # and the new named records against the unnamed ones already there
        rules["context_reverse"] = _context(unnamed_side=records_table, other_side=left, records_table=records_table)
    return rules


def _pairs_write(
    connection: duckdb.DuckDBPyConnection, *, rules: dict[str, str], records_table: str, output_table: str
) -> None:
    """The pairs of every rule, once each with the first rule that found them as its match key and every rule
    that found them as the bits of `rules` (in the order of `rules`), but for two records of a source holding one
    per victim and two victims of one incident."""
    union = " UNION ALL ".join(
        f"SELECT least(a, b) AS a, greatest(a, b) AS b, {index} AS rule FROM ({sql})"
        for index, sql in enumerate(rules.values())
    )
    connection.execute(f"""
        CREATE OR REPLACE TABLE {output_table} AS
        SELECT min(p.rule)::varchar AS match_key, p.a AS join_key_l, p.b AS join_key_r,
               bit_or(1 << p.rule) AS rules
        FROM ({union}) p
        JOIN {records_table} l ON l.unique_id = p.a JOIN {records_table} r ON r.unique_id = p.b
        WHERE NOT (l.one_per_victim AND r.one_per_victim AND l.source = r.source)
          AND NOT coalesce(l.source = r.source AND l.incident_id = r.incident_id, FALSE)
        GROUP BY p.a, p.b""").fetchall()


def pairs_per_rule(
    connection: duckdb.DuckDBPyConnection, *, table: str, rules: list[str], where: str = "TRUE"
) -> dict[str, int]:
    """How many pairs of the candidate pairs `table` (those `where` says) each rule finds, alone or with others:
    a rule and its reverse (context_reverse) count as one."""
    counts = connection.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER ((rules >> {index}) & 1 = 1)" for index in range(len(rules)))
        + f" FROM {table} WHERE {where}"
    ).fetchall()[0]
    found: dict[str, int] = {}
    for rule, count in zip(rules, counts, strict=True):
        name = rule.removesuffix("_reverse")
        found[name] = found.get(name, 0) + int(count)
    return found
