"""Restoring a backup (services.backup_create) into a named database and the configured file directories: every
checksum is checked, and every refusal made, before anything is touched."""

import shutil
import subprocess
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _
from psycopg import sql

from .services import (
    DUMP,
    BackupError,
    backup_verify,
    client_connection_options,
    client_tools_match_server,
    file_sha256,
    file_trees,
    server_connect,
    table_row_counts,
)

MAINTENANCE_DATABASE = "postgres"
# Tables a new PostGIS database has before anything is restored into it.
EXTENSION_TABLES = {"spatial_ref_sys"}


def _database_tables(database: str) -> list[str] | None:
    """The tables of `database`'s public schema, or None if there is no such database."""
    with server_connect(MAINTENANCE_DATABASE) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is None:
            return None
    with server_connect(database) as target:
        return [name for (name,) in target.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]


def _refusals(*, database: str, force: bool) -> tuple[bool, list[str]]:
    """Whether the database exists, and what in the targets would be overwritten (refused without force)."""
    tables = _database_tables(database)
    refusals = []
    if tables is not None and set(tables) - EXTENSION_TABLES and not force:
        refusals.append(_("the database %(database)s is not empty") % {"database": database})
    for tree in file_trees():
        if tree.root.exists() and any(tree.root.iterdir()) and not force:
            refusals.append(_("%(path)s is not empty") % {"path": tree.root})
    return tables is not None, refusals


def _database_recreate(*, database: str, exists: bool) -> None:
    if database == connection.settings_dict["NAME"]:
        connection.close()  # this process's own connection would keep the database from being dropped
    with server_connect(MAINTENANCE_DATABASE) as server:
        if exists:
            server.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _files_restore(*, backup: Path, manifest: dict) -> int:
    """Copy the backup's files to their directories and check each copy against the manifest."""
    copied = 0
    for tree in file_trees():
        source = backup / "files" / tree.name
        for name, sha256 in manifest["files"].items():
            path = backup / name
            if not path.is_relative_to(source):
                continue
            target = tree.root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            if file_sha256(target) != sha256:
                raise BackupError(_("%(path)s was not copied whole.") % {"path": target}, code="copy_failed")
            copied += 1
    return copied


def backup_restore(*, backup: Path, database: str, force: bool = False) -> dict:
    """Restore `backup` into `database` (created if it does not exist; an existing one with tables is replaced
    only with `force`) and its files into the configured directories. Returns what was restored."""
    manifest = backup_verify(backup=backup)
    client_tools_match_server()
    exists, refusals = _refusals(database=database, force=force)
    if refusals:
        raise BackupError(
            _("Nothing was restored: %(refusals)s. Name another database, or add --force to replace.")
            % {"refusals": "; ".join(refusals)},
            code="target_not_empty",
        )
    _database_recreate(database=database, exists=exists)
    arguments, environment = client_connection_options(database)
    subprocess.run(
        ["pg_restore", *arguments, "--dbname", database, "--no-owner", "--exit-on-error", str(backup / DUMP)],
        env=environment,
        check=True,
    )
    counts = table_row_counts(database)
    expected = manifest["database"]["row_counts"]
    differing = sorted(table for table in expected.keys() | counts.keys() if counts.get(table) != expected.get(table))
    if differing:
        raise BackupError(
            _("The restored database's row counts differ from the backup's in: %(tables)s")
            % {"tables": ", ".join(differing)},
            code="row_counts_differ",
        )
    return {
        "database": database,
        "tables": len(counts),
        "rows": sum(counts.values()),
        "files": _files_restore(backup=backup, manifest=manifest),
    }
