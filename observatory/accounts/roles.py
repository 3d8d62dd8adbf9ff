"""Who sees what (docs/privacy.md), as one table of capabilities per role.

Views, API permissions and templates ask `has_capability`; nothing else decides access.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PUBLIC = "public", _("Public")
    SOURCE_UPLOADER = "source_uploader", _("Source uploader")
    COMMANDER = "commander", _("Commander")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


class Capability(models.TextChoices):
    VIEW_PUBLIC_DATA = "view_public_data", _("Read aggregated indicators and de-identified open data")
    UPLOAD_FILES = "upload_files", _("Upload source files")
    VIEW_UPLOAD_REPORTS = "view_upload_reports", _("Read upload reports")
    VIEW_OPERATIONAL_DETAIL = (
        "view_operational_detail",
        _("Read exact points, incident numbers, units, weapons and times of day"),
    )
    VIEW_PERSONAL_DATA = "view_personal_data", _("Read names and ID numbers")
    MANAGE_MAPPINGS = "manage_mappings", _("Edit source profiles and vocabulary mappings")
    REVIEW_MATCHES = "review_matches", _("Decide uncertain reconciliation matches")
    EXPORT_PERSONAL_DATA = "export_personal_data", _("Export data containing personal data")
    VIEW_AUDIT_LOG = "view_audit_log", _("Read the audit log")
    MANAGE_USERS = "manage_users", _("Manage users, roles and keys")
    MANAGE_SCHEDULES = "manage_schedules", _("Manage schedules")
    MANAGE_TIMELINE_EVENTS = "manage_timeline_events", _("Record the events marked on the charts")


_ANALYST_CAPABILITIES = frozenset(Capability) - {Capability.MANAGE_USERS, Capability.MANAGE_SCHEDULES}

CAPABILITIES_BY_ROLE: dict[Role, frozenset[Capability]] = {
    Role.PUBLIC: frozenset({Capability.VIEW_PUBLIC_DATA}),
    Role.SOURCE_UPLOADER: frozenset(
        {Capability.VIEW_PUBLIC_DATA, Capability.UPLOAD_FILES, Capability.VIEW_UPLOAD_REPORTS}
    ),
    Role.COMMANDER: frozenset({Capability.VIEW_PUBLIC_DATA, Capability.VIEW_OPERATIONAL_DETAIL}),
    Role.ANALYST: _ANALYST_CAPABILITIES,
    Role.ADMIN: frozenset(Capability),
}


def role_of(user) -> Role:
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.PUBLIC
    if user.is_superuser:
        return Role.ADMIN
    return Role(user.role)


def has_capability(user, capability: Capability) -> bool:
    return capability in CAPABILITIES_BY_ROLE[role_of(user)]


def may_upload_for_source(user, source_code: str) -> bool:
    """Analysts and admins upload for any source; an uploader only for its own institution."""
    role = role_of(user)
    if role in (Role.ANALYST, Role.ADMIN):
        return True
    return role == Role.SOURCE_UPLOADER and bool(user.source_code) and user.source_code == source_code
