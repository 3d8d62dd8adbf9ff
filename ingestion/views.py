"""The analysts' and uploaders' pages: import runs, sending a file, a run's report, and unmapped values."""

import math

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability, has_capability
from observatory.accounts.services import audit_personal_data_read
from observatory.client_address import client_address
from observatory.errors import ApplicationError
from observatory.records.selectors import source_list_for

from .drop_folder import drop_files_waiting_list
from .filters import ROW_SEVERITIES, ImportRunPageFilter, RowIssuePageFilter
from .forms import ImportUploadForm, VocabularyMappingForm
from .models import ImportRun
from .profile_config import vocabulary_for_column
from .selectors import (
    import_run_list_for,
    run_file_note_list,
    run_issue_counts,
    run_row_issue_list,
    unmapped_value_groups,
    vocabulary_term_choices,
)
from .services import import_run_create, vocabulary_mapping_add

RUNS_PER_PAGE = 50
ISSUES_PER_PAGE = 100


@require_GET
@capability_required(Capability.VIEW_UPLOAD_REPORTS)
def run_list(request):
    runs = ImportRunPageFilter(
        request.GET, queryset=import_run_list_for(user=request.user), sources=source_list_for(user=request.user)
    )
    page = Paginator(runs.qs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    waiting = drop_files_waiting_list() if has_capability(request.user, Capability.MANAGE_MAPPINGS) else []
    return render(request, "ingestion/run_list.html", {"filter": runs, "page": page, "drop_files_waiting": waiting})


@require_http_methods(["GET", "POST"])
@capability_required(Capability.UPLOAD_FILES)
def run_create(request):
    """Without JavaScript the form posts here; with it, the page sends the file to the API and shows its progress."""
    if request.method == "GET":
        return render(request, "ingestion/run_form.html", {"form": ImportUploadForm(user=request.user)})
    form = ImportUploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render(request, "ingestion/run_form.html", {"form": form})
    upload = form.cleaned_data["file"]
    try:
        run = import_run_create(
            source=form.cleaned_data["source"],
            stream=upload,
            filename=upload.name,
            channel=ImportRun.Channel.UPLOAD,
            submitted_by=request.user,
            submitted_from=client_address(request) or "",
        )
    except ApplicationError as error:  # the file could not be kept (a full disk): said on the form, file not taken
        form.add_error(None, error.message)
        return render(request, "ingestion/run_form.html", {"form": form}, status=error.status)
    return redirect("ingestion:run-detail", run_id=run.pk)


@require_GET
@capability_required(Capability.VIEW_UPLOAD_REPORTS)
def run_detail(request, run_id: int):
    run = get_object_or_404(import_run_list_for(user=request.user), pk=run_id)
    issues = RowIssuePageFilter(request.GET, queryset=run_row_issue_list(run=run))
    page = Paginator(issues.qs, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    issue_counts = run_issue_counts(run=run)
    shows_rows_as_sent = has_capability(request.user, Capability.VIEW_PERSONAL_DATA)
    if shows_rows_as_sent:
        rows_read = [issue.row_number for issue in page if issue.raw_row]
        if rows_read:  # rows as sent hold names and ID numbers: reading them is audited
            audit_personal_data_read(
                request=request,
                action="import_run.rows_as_sent_read",
                target_type="import_run",
                target_id=run.pk,
                detail={"rows": rows_read},
            )
    return render(
        request,
        "ingestion/run_detail.html",
        {
            "run": run,
            "progress_percent": math.floor(run.progress * 100),
            "status_labels": dict(ImportRun.Status.choices),
            "file_notes": run_file_note_list(run=run),
            "severity_options": [(value, label, issue_counts.get(value, 0)) for value, label in ROW_SEVERITIES],
            "filter": issues,
            "page": page,
            "shows_rows_as_sent": shows_rows_as_sent,
            "links_profile": has_capability(request.user, Capability.MANAGE_MAPPINGS),  # profiles are read in the admin
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_MAPPINGS)
def unmapped_values(request):
    """Values no vocabulary maps; mapping one writes a new profile version and re-normalises its records."""
    if request.method == "GET":
        return render(request, "ingestion/unmapped_values.html", {"groups": unmapped_value_groups()})
    form = VocabularyMappingForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ingestion:unmapped-values")
    mapping = form.cleaned_data
    try:
        profile = vocabulary_mapping_add(
            source=mapping["source"],
            column=mapping["column"],
            value=mapping["value"],
            term=mapping["term"],
            changed_by=request.user,
            ip_address=client_address(request),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        term_labels = dict(
            vocabulary_term_choices(vocabulary=vocabulary_for_column(config=profile.config, column=mapping["column"]))
        )
        messages.success(
            request,
            _(
                "“%(value)s” now maps to “%(term)s” in profile version %(version)d of %(source)s. "
                "The records holding it will be re-normalised in the background."
            )
            % {
                "value": mapping["value"],
                "term": term_labels.get(mapping["term"], mapping["term"]),
                "version": profile.version,
                "source": profile.source.label,
            },
        )
    return redirect("ingestion:unmapped-values")
