"""A drop-folder file's way through its source's folder: claimed into processing/, then filed into done/ or
failed/ with its report and summary beside it (drop_folder.py polls the folders)."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import ImportRun
from .reports import run_issues_csv_write, run_summary_text

PROCESSING, DONE, FAILED = "processing", "done", "failed"
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".report.csv", ".summary.txt")


def drop_file_ready(path: Path) -> bool:
    """Not hidden, not a partial transfer, and unchanged for a while (the sender may still be writing it)."""
    if path.name.startswith(".") or path.name.endswith(IGNORED_SUFFIXES) or not path.is_file():
        return False
    return time.time() - path.stat().st_mtime >= settings.INGEST_DROP_SETTLE_SECONDS


def free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or, when a file of that name is there already, the name after a timestamp (and a
    number, for files of one name sent within the same second)."""
    target = folder / name
    if not target.exists():
        return target
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    target, number = folder / f"{stamp}-{name}", 1
    while target.exists():
        number += 1
        target = folder / f"{stamp}-{number}-{name}"
    return target


def drop_file_settle(*, run: ImportRun) -> None:
    """Move a finished drop-folder file to done/ or failed/ and write its report and summary beside it."""
    if not run.drop_path or not run.is_finished:
        return
    claimed = Path(run.drop_path)
    if not claimed.exists():
        return
    folder = claimed.parent.parent / (DONE if run.status == ImportRun.Status.DONE else FAILED)
    folder.mkdir(parents=True, exist_ok=True)
    target = free_name(folder, claimed.name)
    os.rename(claimed, target)
    with open(f"{target}.report.csv", "wb") as report:
        run_issues_csv_write(run=run, out=report)
    Path(f"{target}.summary.txt").write_text(run_summary_text(run=run), encoding="utf-8")
    ImportRun.objects.filter(pk=run.pk).update(drop_path=str(target))
