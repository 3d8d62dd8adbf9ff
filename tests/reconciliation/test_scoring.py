"""The DuckDB database the linkage works in."""
from observatory.reconciliation.linkage.scoring import duckdb_connect


def test_the_linkage_database_spills_to_disk_past_its_memory_limit(settings, tmp_path):
    settings.RECONCILIATION_DUCKDB_MEMORY_LIMIT = "256MB"
    settings.RECONCILIATION_DUCKDB_TEMP_DIRECTORY = tmp_path / "duckdb"
    connection = duckdb_connect()
    values = dict(connection.execute("SELECT name, value FROM duckdb_settings() "
                                     "WHERE name IN ('memory_limit', 'temp_directory')").fetchall())
    assert values == {"memory_limit": "244.1 MiB", "temp_directory": str(tmp_path / "duckdb")}
    # A sort of more than the limit finishes, on disk.
    assert connection.execute("SELECT count(*) FROM (SELECT range AS n, repeat('x', 40) AS padding "
                              "FROM range(8000000) ORDER BY hash(n))").fetchall() == [(8_000_000,)]
