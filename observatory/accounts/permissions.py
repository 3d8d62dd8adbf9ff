"""Access checks for views (decorator) and the API (permission class), both from `roles`."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from .roles import Capability, has_capability


def capability_required(capability: Capability):
    """View decorator: anonymous users go to the login page, others without the capability get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if has_capability(request.user, capability):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped

    return decorator


def HasCapability(capability: Capability) -> type[BasePermission]:  # noqa: N802 - reads as a class in views
    class _HasCapability(BasePermission):
        @property
        def message(self) -> str:  # in the language of the request that was refused
            return _("This account may not do this: it needs the permission “%(capability)s”.") % {
                "capability": capability.label
            }

        def has_permission(self, request, view) -> bool:
            return has_capability(request.user, capability)

    _HasCapability.__name__ = f"Has_{capability.value}"
    return _HasCapability
