"""The coverage analysts declare for each source (what it looks at), edited by those who manage the sources."""

from django.contrib import admin

from observatory.accounts.admin_access import CapabilityAdminMixin
from observatory.accounts.roles import Capability, has_capability

from .models import SourceCoverage


@admin.register(SourceCoverage)
class SourceCoverageAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_MAPPINGS
    list_display = ("source", "first_month", "last_month", "note")
    list_filter = ("source",)
    filter_horizontal = ("units", "jurisdictions")

    def has_delete_permission(self, request, obj=None):
        return has_capability(request.user, self.capability)
