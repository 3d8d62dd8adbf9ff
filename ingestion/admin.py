"""The ingestion admin: sources, their versioned profiles, and read-only runs and issues.

Access follows the role's capabilities (observatory/accounts/roles.py), not Django's model permissions:
analysts are staff without model permissions.
"""

import json

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from observatory.accounts.admin_access import CapabilityAdminMixin, ReadOnlyAdminMixin
from observatory.accounts.roles import Capability
from observatory.client_address import client_address
from observatory.records.models import Source

from .forms import SourceProfileAdminForm
from .models import ImportRun, RowIssue, SourceProfile
from .selectors import import_run_list_for, source_profile_current


class _ReadOnlyAdmin(ReadOnlyAdminMixin, CapabilityAdminMixin, admin.ModelAdmin):
    """Seen by the holders of one capability; nobody adds, changes or deletes here."""


@admin.register(Source)
class SourceAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_MAPPINGS
    list_display = ("code", "name", "institution", "current_version")
    search_fields = ("code", "name", "institution")

    @admin.display(description=_("current profile version"))
    def current_version(self, source: Source):
        profile = source_profile_current(source=source)
        return profile.version if profile else "—"

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SourceProfile)
class SourceProfileAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    """Only a source's current version can be edited, and saving it writes the next version; earlier ones are read."""

    capability = Capability.MANAGE_MAPPINGS
    form = SourceProfileAdminForm
    list_display = ("source", "version", "comment", "created_at", "created_by")
    list_filter = ("source",)
    list_select_related = ("source", "created_by")
    ordering = ("source", "-version")
    save_as = False

    @admin.display(description=_("configuration"))
    def config_text(self, profile: SourceProfile):
        return format_html(
            '<pre class="profile-config">{}</pre>',
            json.dumps(profile.config_in_written_order, ensure_ascii=False, indent=2),
        )

    def _is_current(self, profile: SourceProfile) -> bool:
        return source_profile_current(source=profile.source).pk == profile.pk

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["source", "config", "comment", "record_id_change_confirmed"]
        if self.has_change_permission(request, obj):
            return ["source", "version", "created_at", "created_by", "config", "comment", "record_id_change_confirmed"]
        return ["source", "version", "created_at", "created_by", "comment", "config_text"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("source", "version", "created_at", "created_by", "config_text")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"changed_by": request.user, "ip_address": client_address(request)})

    def save_form(self, request, form, change):
        return form.saved_profile  # written by the service while the form was checked

    def save_model(self, request, obj, form, change):
        if form.created_new_version:
            self.message_user(
                request,
                _("Saved as version %(version)d of %(source)s; earlier versions are kept.")
                % {"version": obj.version, "source": obj.source.label},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Nothing changed: the configuration is the same as version %(version)d.") % {"version": obj.version},
                messages.WARNING,
            )
        request.profile_save_said = True

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        """After what the save says, not the admin's own "changed successfully" (it said so of a save that changed
        nothing)."""
        if not getattr(request, "profile_save_said", False):
            super().message_user(request, message, level, extra_tags, fail_silently)

    def save_related(self, request, form, formsets, change):
        """A profile has no related rows to save."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self._is_current(obj))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(_ReadOnlyAdmin):
    capability = Capability.VIEW_UPLOAD_REPORTS
    list_display = (
        "id",
        "source",
        "original_filename",
        "channel",
        "status",
        "submitted_by",
        "queued_at",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
    )
    list_filter = ("source", "status", "channel")
    search_fields = ("original_filename", "sha256")
    date_hierarchy = "queued_at"

    def get_queryset(self, request):
        return import_run_list_for(user=request.user)

    def view_on_site(self, run: ImportRun) -> str:
        return reverse("ingestion:run-detail", args=[run.pk])


@admin.register(RowIssue)
class RowIssueAdmin(_ReadOnlyAdmin):
    """Rows as sent are left out: they hold names and ID numbers, and are read, audited, on the run's page."""

    capability = Capability.VIEW_UPLOAD_REPORTS
    list_display = ("run", "row_number", "column", "value", "reason", "severity")
    list_filter = ("severity",)
    list_select_related = ("run",)
    fields = ("run", "row_number", "column", "value", "reason", "severity", "record_id")
    show_full_result_count = False

    def get_queryset(self, request):
        return RowIssue.objects.filter(run__in=import_run_list_for(user=request.user).values("pk"))
