"""Drop folders: a partner puts files in INGEST_DROP_DIR/<source>/; each is claimed, imported, then moved to
done/ or failed/ with its report beside it."""

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportRun, Source
from .reports import run_issues_csv_write, run_summary_text
from .services import import_run_create

logger = logging.getLogger(__name__)

PROCESSING, DONE, FAILED = "processing", "done", "failed"
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".report.csv", ".summary.txt")


def _ready(path: Path) -> bool:
    """Not hidden, not a partial transfer, and unchanged for a while (the sender may still be writing it)."""
    if path.name.startswith(".") or path.name.endswith(IGNORED_SUFFIXES) or not path.is_file():
        return False
    return time.time() - path.stat().st_mtime >= settings.INGEST_DROP_SETTLE_SECONDS


def _free_name(folder: Path, name: str) -> Path:
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


def drop_folders_poll() -> list[ImportRun]:
    runs = []
    root = Path(settings.INGEST_DROP_DIR)
    for waiting in drop_files_waiting_list():  # for the operator; analysts see them on the imports page
        logger.warning("drop folder: %s waits: %s", waiting.path, waiting.reason)
    for source in Source.objects.order_by("code"):
        if source.current_profile is None:  # its files wait for an analyst to write the profile
            continue
        folder = root / source.code
        for subfolder in (folder, folder / PROCESSING, folder / DONE, folder / FAILED):
            subfolder.mkdir(parents=True, exist_ok=True)
        for path in sorted(folder.iterdir()):
            if not _ready(path):
                continue
            claimed = _free_name(folder / PROCESSING, path.name)
            try:
                os.rename(path, claimed)  # atomic: a second poller finds the file gone
            except FileNotFoundError:
                continue
            with claimed.open("rb") as stream:
                run = import_run_create(
                    source=source,
                    stream=stream,
                    filename=path.name,
                    channel=ImportRun.Channel.DROP_FOLDER,
                    submitted_from=str(path),
                    drop_path=str(claimed),
                )
            if run.is_finished:
                drop_file_settle(run=run)
            runs.append(run)
    return runs


@dataclass(frozen=True)
class WaitingFile:
    path: str  # under INGEST_DROP_DIR
    reason: str


def drop_files_waiting_list() -> list[WaitingFile]:
    """Files dropped where no poll takes them: in the folder of a source without a profile yet, or outside every
    source's folder."""
    root = Path(settings.INGEST_DROP_DIR)
    if not root.is_dir():
        return []
    sources = {source.code: source for source in Source.objects.all()}
    waiting = []
    for path in sorted(root.iterdir()):
        if path.name.startswith("."):
            continue
        source = sources.get(path.name)
        if source is not None and source.current_profile is not None:
            continue
        if source is not None:
            reason = _("the source %(source)s has no profile yet: an analyst must write one first") % {
                "source": source.code
            }
        else:
            reason = _("not in the folder of a source (%(sources)s): it is not imported") % {
                "sources": ", ".join(sorted(sources))
            }
        files = [path] if path.is_file() else [child for child in sorted(path.iterdir()) if _ready(child)]
        waiting += [
            WaitingFile(path=str(file.relative_to(root)), reason=reason)
            for file in files
            if not file.name.startswith(".")
        ]
    return waiting


def drop_file_settle(*, run: ImportRun) -> None:
    """Move a finished drop-folder file to done/ or failed/ and write its report and summary beside it."""
    if not run.drop_path or not run.is_finished:
        return
    claimed = Path(run.drop_path)
    if not claimed.exists():
        return
    folder = claimed.parent.parent / (DONE if run.status == ImportRun.Status.DONE else FAILED)
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_name(folder, claimed.name)
    os.rename(claimed, target)
    with open(f"{target}.report.csv", "w", newline="", encoding="utf-8") as report:
        run_issues_csv_write(run=run, out=report)
    Path(f"{target}.summary.txt").write_text(run_summary_text(run=run), encoding="utf-8")
    ImportRun.objects.filter(pk=run.pk).update(drop_path=str(target))
