"""A backup of the test database and its files, restored into a new database: the same rows in every table and
the same files, byte for byte; a damaged backup or a database with data is refused before anything is touched."""

import io
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from psycopg import sql

from ingestion.models import ImportRun
from ingestion.services import default_profiles_ensure, import_run_create, import_run_process
from observatory.backups.services import file_sha256, server_connect, table_row_counts
from observatory.records.models import Source, SourceRecord
from tests.ingestion.conftest import POLICE_HEADER, csv_bytes, police_row

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def tree_checksums(root) -> dict[str, str]:
    return {str(path.relative_to(root)): file_sha256(path) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    yield name
    with server_connect("postgres") as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def stored_data(settings, tmp_path, small_hierarchy):
    settings.INGEST_RAW_ROOT = tmp_path / "raw"
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    default_profiles_ensure()  # the sources and their profiles, which a transactional test starts without
    content = csv_bytes(POLICE_HEADER, [police_row(no_denuncia=f"DPI-2024-{number:06d}") for number in range(25)])
    run = import_run_create(
        source=Source.objects.get(pk="police"),
        stream=io.BytesIO(content),
        filename="pnc.csv",
        channel=ImportRun.Channel.COMMAND,
        enqueue=False,
    )
    assert import_run_process(run_id=run.pk).status == ImportRun.Status.DONE
    (settings.OPEN_DATA_ROOT / "release-1").mkdir(parents=True)
    (settings.OPEN_DATA_ROOT / "release-1" / "victims-2024.csv").write_text("year,victims\n2024,25\n")
    return {"raw": tree_checksums(settings.INGEST_RAW_ROOT), "open-data": tree_checksums(settings.OPEN_DATA_ROOT)}


def test_a_backup_restored_into_a_new_database_has_every_row_and_every_file(
    stored_data, restored_database, settings, tmp_path
):
    original = table_row_counts(connection.settings_dict["NAME"])
    call_command("backup", str(tmp_path / "backup"))
    settings.INGEST_RAW_ROOT = tmp_path / "restored" / "raw"
    settings.OPEN_DATA_ROOT = tmp_path / "restored" / "open-data"

    call_command("restore", str(tmp_path / "backup"), "--database", restored_database)

    assert original["records_sourcerecord"] == SourceRecord.objects.count() == 25
    assert table_row_counts(restored_database) == original
    assert tree_checksums(settings.INGEST_RAW_ROOT) == stored_data["raw"] and len(stored_data["raw"]) == 1
    assert tree_checksums(settings.OPEN_DATA_ROOT) == stored_data["open-data"]
    with pytest.raises(CommandError, match=f"the database {restored_database} is not empty"):
        call_command("restore", str(tmp_path / "backup"), "--database", restored_database)
    call_command("restore", str(tmp_path / "backup"), "--database", restored_database, "--force")
    assert table_row_counts(restored_database) == original


def test_a_damaged_backup_is_refused_before_anything_is_touched(stored_data, restored_database, settings, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    (raw_copy,) = [path for path in (tmp_path / "backup" / "files" / "raw").rglob("*") if path.is_file()]
    os.chmod(raw_copy, stat.S_IWUSR | stat.S_IRUSR)
    raw_copy.write_bytes(raw_copy.read_bytes()[:-10])
    settings.INGEST_RAW_ROOT = tmp_path / "restored" / "raw"

    with pytest.raises(CommandError, match="checksum differs: files/raw/"):
        call_command("restore", str(tmp_path / "backup"), "--database", restored_database)

    with server_connect("postgres") as server:
        assert server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [restored_database]).fetchone() is None
    assert not settings.INGEST_RAW_ROOT.exists()
