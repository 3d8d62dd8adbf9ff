"""Admin access by capability (roles.py) rather than Django's model permissions: analysts are staff without
model permissions, and the role alone says what they may see and edit."""

from .roles import Capability, has_capability
from .services import audit_personal_data_read


class CapabilityAdminMixin:
    capability: Capability

    def has_module_permission(self, request):
        return has_capability(request.user, self.capability)

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, self.capability)

    def has_add_permission(self, request):
        return has_capability(request.user, self.capability)

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, self.capability)


class ReadOnlyAdminMixin:
    """Nobody adds, changes or deletes here, whatever their role."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PersonalDataAdminMixin:
    """The admin's list, search, detail and history of a model holding names or ID numbers: each read is audited
    with what was asked (the search term, the object), like the reads on the site's own pages."""

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            self._audit(request, action="admin.personal_data_list", object_id="")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            self._audit(request, action="admin.personal_data_read", object_id=object_id)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self._audit(request, action="admin.personal_data_history", object_id=object_id)
        return response

    def _audit(self, request, *, action: str, object_id: str) -> None:
        audit_personal_data_read(
            request=request,
            action=action,
            target_type=self.model._meta.label_lower,
            target_id=object_id,
            detail={"query": request.GET.dict()},
        )
