"""Admin access by capability (roles.py) rather than Django's model permissions: analysts are staff without
model permissions, and the role alone says what they may see and edit."""

from .roles import Capability, has_capability


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
