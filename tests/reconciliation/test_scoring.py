"""The DuckDB database the linkage works in."""

from pathlib import Path

from observatory.reconciliation.linkage.scoring import duckdb_connect


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
