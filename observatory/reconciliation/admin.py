"""The reconciliation admin: runs, victims, candidate pairs and victim changes, read-only for everyone.

Victims and decisions change only through the linkage and the review pages (services.py), never by hand here.
"""

from django.contrib import admin
from django.urls import reverse

from observatory.accounts.admin_access import CapabilityAdminMixin, PersonalDataAdminMixin, ReadOnlyAdminMixin
from observatory.accounts.roles import Capability

from .models import CandidatePair, LinkageRun, Victim, VictimChange


class _ReadOnlyAdmin(ReadOnlyAdminMixin, CapabilityAdminMixin, admin.ModelAdmin):
    """Seen by the holders of one capability; nobody adds, changes or deletes here."""


@admin.register(LinkageRun)
class LinkageRunAdmin(_ReadOnlyAdmin):
    capability = Capability.REVIEW_MATCHES
    list_display = (
        "id",
        "kind",
        "status",
        "requested_by",
        "queued_at",
        "finished_at",
        "records_considered",
        "pairs_scored",
        "review_pairs",
        "victims_created",
        "victims_changed",
        "victims_retired",
    )
    list_filter = ("kind", "status", "model_trained")
    list_select_related = ("requested_by",)
    date_hierarchy = "queued_at"


@admin.register(Victim)
class VictimAdmin(PersonalDataAdminMixin, _ReadOnlyAdmin):
    capability = Capability.VIEW_PERSONAL_DATA
    list_display = ("public_id", "full_name", "event_date", "category", "case_status", "record_count", "retired_at")
    list_filter = ("case_status", "category", "is_unidentified", "was_reported_missing")
    search_fields = ("full_name", "id_number")
    exclude = ("point",)
    show_full_result_count = False

    def view_on_site(self, victim: Victim) -> str:
        return reverse("reconciliation:victim-detail", args=[victim.pk])


@admin.register(CandidatePair)
class CandidatePairAdmin(_ReadOnlyAdmin):
    capability = Capability.REVIEW_MATCHES
    list_display = (
        "id",
        "record_low",
        "record_high",
        "match_probability",
        "match_weight",
        "decision",
        "decided_by",
        "decided_at",
    )
    list_filter = ("decision",)
    list_select_related = ("record_low", "record_high", "decided_by")
    raw_id_fields = ("record_low", "record_high")
    show_full_result_count = False

    def view_on_site(self, pair: CandidatePair) -> str:
        return reverse("reconciliation:pair-detail", args=[pair.pk])


@admin.register(VictimChange)
class VictimChangeAdmin(_ReadOnlyAdmin):
    capability = Capability.REVIEW_MATCHES
    list_display = ("at", "victim", "kind", "reason", "run")
    list_filter = ("kind",)
    list_select_related = ("victim", "run")
    raw_id_fields = ("victim", "run")
    show_full_result_count = False
