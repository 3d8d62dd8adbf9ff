"""Drop folders: a partner puts files in INGEST_DROP_DIR/<source>/; each is claimed, imported, then moved to
done/ or failed/ with its report beside it (drop_files.py)."""

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from observatory.records.models import Source

from .drop_files import DONE, FAILED, PROCESSING, drop_file_ready, drop_file_settle, free_name
from .models import ImportRun
from .selectors import source_profile_current
from .services import import_run_create

logger = logging.getLogger(__name__)


def drop_folders_poll() -> list[ImportRun]:
    runs = []
    root = Path(settings.INGEST_DROP_DIR)
    for waiting in drop_files_waiting_list():  # for the operator; analysts see them on the imports page
        logger.warning("drop folder: %s waits: %s", waiting.path, waiting.reason)
    for source in Source.objects.order_by("code"):
        if source_profile_current(source=source) is None:  # its files wait for an analyst to write the profile
            continue
        folder = root / source.code
        for subfolder in (folder, folder / PROCESSING, folder / DONE, folder / FAILED):
            subfolder.mkdir(parents=True, exist_ok=True)
        for path in sorted(folder.iterdir()):
            if not drop_file_ready(path):
                continue
            claimed = free_name(folder / PROCESSING, path.name)
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
        if source is not None and source_profile_current(source=source) is not None:
            continue
        if source is not None:
            reason = _("the source %(source)s has no profile yet: an analyst must write one first") % {
                "source": source.code
            }
        else:
            reason = _("not in the folder of a source (%(sources)s): it is not imported") % {
                "sources": ", ".join(sorted(sources))
            }
        files = [path] if path.is_file() else [child for child in sorted(path.iterdir()) if drop_file_ready(child)]
        waiting += [
            WaitingFile(path=str(file.relative_to(root)), reason=reason)
            for file in files
            if not file.name.startswith(".")
        ]
    return waiting
