"""A backup of the observatory: the database (pg_dump, custom format), the raw files partners sent
(INGEST_RAW_ROOT) and the open data files (OPEN_DATA_ROOT), in one directory with a manifest of SHA-256 checksums
and of the row count of every table. A restore checks every checksum before it touches anything.

Imports no app of the observatory: it reads the settings and talks to PostgreSQL's own tools."""

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from observatory.errors import ApplicationError

MANIFEST = "manifest.json"
DUMP = "database.dump"
FORMAT = 1
CHUNK_BYTES = 1024 * 1024


class BackupError(ApplicationError):
    """A backup that cannot be made, or restored, as asked; nothing was changed."""


@dataclass(frozen=True)
class FileTree:
    """A directory the backup carries, by the name it has in the backup (files/<name>/...)."""

    name: str
    root: Path


def file_trees() -> list[FileTree]:
    return [
        FileTree(name="raw", root=Path(settings.INGEST_RAW_ROOT)),
        FileTree(name="open-data", root=Path(settings.OPEN_DATA_ROOT)),
    ]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK_BYTES):
            digest.update(block)
    return digest.hexdigest()


def client_connection_options(database: str) -> tuple[list[str], dict[str, str]]:
    """The client tools' connection arguments and environment for `database` on the configured server."""
    config = connection.settings_dict
    arguments = ["--host", config["HOST"] or "127.0.0.1", "--port", str(config["PORT"] or 5432)]
    arguments += ["--username", config["USER"]] if config["USER"] else []
    environment = {**os.environ, "PGDATABASE": database}
    if config["PASSWORD"]:
        environment["PGPASSWORD"] = config["PASSWORD"]
    return arguments, environment


def server_connect(database: str) -> psycopg.Connection:
    config = connection.settings_dict
    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname=database,
        autocommit=True,
    )


def client_tools_match_server() -> str:
    """The server's major version; BackupError if pg_dump or pg_restore are of another one (a dump of a newer
    server cannot be read by older tools, and tools newer than the server write what it cannot restore)."""
    with server_connect(connection.settings_dict["NAME"]) as server:
        server_major = server.info.server_version // 10000
    for tool in ("pg_dump", "pg_restore"):
        said = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
        major = int(re.search(r"\(PostgreSQL\) (\d+)", said).group(1))
        if major != server_major:
            raise BackupError(
                _(
                    "%(tool)s is version %(tool_version)d and the database server %(server_version)d: install the "
                    "client tools of the server's version."
                )
                % {"tool": tool, "tool_version": major, "server_version": server_major},
                code="client_version",
            )
    return str(server_major)


def table_row_counts(database: str) -> dict[str, int]:
    """Every table of the public schema and its exact row count."""
    with server_connect(database) as target:
        tables = [
            name
            for (name,) in target.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {table: target.execute(f'SELECT count(*) FROM public."{table}"').fetchone()[0] for table in tables}


def _tree_copy(*, source: Path, target: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith(".incoming-"):  # a file still being received is not kept
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


def backup_create(*, destination: Path) -> dict:
    """Write a backup into `destination` (created; it must not exist) and return its manifest."""
    if destination.exists():
        raise BackupError(_("%(path)s exists already: a backup goes into a new directory.") % {"path": destination})
    server_major = client_tools_match_server()
    destination.mkdir(parents=True)
    database = connection.settings_dict["NAME"]
    arguments, environment = client_connection_options(database)
    subprocess.run(
        ["pg_dump", *arguments, "--format", "custom", "--no-owner", "--file", str(destination / DUMP)],
        env=environment,
        check=True,
    )
    for tree in file_trees():
        if tree.root.exists():
            _tree_copy(source=tree.root, target=destination / "files" / tree.name)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"name": database, "server_major_version": server_major, "row_counts": table_row_counts(database)},
        "files": {
            str(path.relative_to(destination)): file_sha256(path)
            for path in sorted(destination.rglob("*"))
            if path.is_file()
        },
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def backup_verify(*, backup: Path) -> dict:
    """The manifest of the backup in `backup`, once every file it lists is there with its checksum, and no file
    it does not list; BackupError otherwise."""
    try:
        manifest = json.loads((backup / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            _("%(path)s holds no readable manifest: %(error)s") % {"path": backup, "error": error}
        ) from error
    present = {str(path.relative_to(backup)) for path in backup.rglob("*") if path.is_file()} - {MANIFEST}
    listed = set(manifest.get("files", {}))
    wrong = sorted(name for name in listed & present if file_sha256(backup / name) != manifest["files"][name])
    problems = [
        *(_("missing: %(name)s") % {"name": name} for name in sorted(listed - present)),
        *(_("not in the manifest: %(name)s") % {"name": name} for name in sorted(present - listed)),
        *(_("checksum differs: %(name)s") % {"name": name} for name in wrong),
    ]
    if manifest.get("format") != FORMAT or DUMP not in listed:
        problems.append(_("not a backup of this format"))
    if problems:
        raise BackupError(
            _("The backup in %(path)s cannot be trusted; nothing was restored. %(problems)s")
            % {"path": backup, "problems": "; ".join(problems)},
            code="backup_corrupt",
        )
    return manifest
