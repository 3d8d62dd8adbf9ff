"""The bulk downloads page (public) and the files it lists."""

import re

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .models import OpenDataFile
from .selectors import latest_release, open_data_file_list
from .services import release_directory

_FILE_NAME = re.compile(r"(monthly|victims)-\d{4}\.zip")


@require_GET
def downloads(request):
    """Every file of the latest publication, by year, with its checksum, and how to use them."""
    release = latest_release()
    files = list(open_data_file_list(release=release))
    years = sorted({file.year for file in files}, reverse=True)
    by_year = [(year, {file.dataset: file for file in files if file.year == year}) for year in years]
    return render(request, "open_data/downloads.html", {"release": release, "by_year": by_year})


@require_GET
def file_download(request, release: int, name: str):
    if not _FILE_NAME.fullmatch(name):
        raise Http404(_("No such file."))
    file = OpenDataFile.objects.filter(release_id=release, name=name).select_related("release").first()
    path = release_directory(file.release) / name if file else None
    if path is None or not path.is_file():
        raise Http404(_("No such file: a later publication may have replaced it."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/zip")
