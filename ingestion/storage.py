"""Raw files kept as received, stored once by their SHA-256 (content-addressed)."""
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

CHUNK_BYTES = 1024 * 1024


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
    """Copy the stream to the store while hashing it; a file already stored is not written twice."""
    root = raw_files_root()
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=root, prefix=".incoming-", delete=False) as temporary:
        while block := stream.read(CHUNK_BYTES):
            digest.update(block)
            temporary.write(block)
            size += len(block)
    sha256 = digest.hexdigest()
    target = raw_file_path(sha256)
    if target.exists():
        os.unlink(temporary.name)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(temporary.name, target)
        os.chmod(target, 0o440)
    return StoredFile(sha256=sha256, size_bytes=size, path=target)
