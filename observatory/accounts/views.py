from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url

from .roles import Role, role_of


class LoginView(auth_views.LoginView):
    """Commanders land on their CompStat page; everyone else on the portal (unless the address asks for a page)."""

    def get_default_redirect_url(self) -> str:
        if role_of(self.request.user) == Role.COMMANDER:
            return resolve_url("compstat:page")
        return super().get_default_redirect_url()
