"""Raw files kept as received, stored once by their SHA-256 (content-addressed)."""

import errno
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from observatory.errors import ApplicationError

CHUNK_BYTES = 1024 * 1024


class RawStoreFull(ApplicationError):
    """The disk of the raw-file store is full: the file was not kept, and nothing of it is left behind."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size_bytes: int
    path: Path


def raw_files_root() -> Path:
    return Path(settings.INGEST_RAW_ROOT)


def raw_file_path(sha256: str) -> Path:
    return raw_files_root() / sha256[:2] / sha256[2:4] / sha256


def raw_file_store(*, stream: BinaryIO) -> StoredFile:
    """Copy the stream to the store while hashing it; a file already stored is not written twice (a seekable
    stream, such as a file sent again, is hashed first and not copied at all when the store has it)."""
    stored = _already_stored(stream)
    if stored is not None:
        return stored
    root = raw_files_root()
    temporary_path = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with tempfile.NamedTemporaryFile(dir=root, prefix=".incoming-", delete=False) as temporary:
            temporary_path = temporary.name
            while block := stream.read(CHUNK_BYTES):
                digest.update(block)
                temporary.write(block)
                size += len(block)
        sha256 = digest.hexdigest()
        target = raw_file_path(sha256)
        if target.exists():
            os.unlink(temporary_path)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(temporary_path, target)
            os.chmod(target, 0o440)
    except OSError as error:
        if temporary_path is not None and os.path.exists(temporary_path):
            os.unlink(temporary_path)  # a part of a file is no file: the store keeps whole files only
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise RawStoreFull(
                _(
                    "The server has no room left to keep this file; nothing was stored. Tell the observatory's "
                    "administrator, then send the file again."
                ),
                code="raw_store_full",
                status=507,
            ) from error
        raise
    return StoredFile(sha256=sha256, size_bytes=size, path=target)


def _already_stored(stream: BinaryIO) -> StoredFile | None:
    """The stored file with the stream's content, if there is one; the stream is left where it started."""
    if not (hasattr(stream, "seekable") and stream.seekable()):
        return None
    start = stream.tell()
    digest, size = hashlib.sha256(), 0
    while block := stream.read(CHUNK_BYTES):
        digest.update(block)
        size += len(block)
    stream.seek(start)
    target = raw_file_path(digest.hexdigest())
    return StoredFile(sha256=digest.hexdigest(), size_bytes=size, path=target) if target.exists() else None
