"""Requests refused before any view sees them."""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .client_address import client_address
from .rate_limits import Quota, take_request


class NulCharacterGuard:
    """A NUL character in a query parameter would reach PostgreSQL, which refuses it in text and the page fails
    with a server error; no field of ours can hold one, so the request is refused (400) naming the parameter: as
    the API's error shape under /api/, as text elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                shown = name.replace("\x00", "\\0")
                message = _("The parameter “%(name)s” holds a NUL character (\\0), which no field accepts.") % {
                    "name": shown
                }
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"message": message, "code": "nul_character", "extra": {"parameter": shown}}, status=400
                    )
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class AnonymousPageRateLimit:
    """Anonymous clients get PAGE_RATE_ANONYMOUS requests per address for pages and their CSV downloads: a page
    can cost as much as an API call, which has its own throttle. Signed-in users, static files and /health/ are
    not counted. Answers 429 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._counted(request):
            return self.get_response(request)
        verdict = take_request(key=f"pages:{client_address(request)}", quota=Quota.parse(settings.PAGE_RATE_ANONYMOUS))
        if verdict.allowed:
            return self.get_response(request)
        response = render(request, "429.html", {"retry_after": math.ceil(verdict.retry_after)}, status=429)
        response["Retry-After"] = str(math.ceil(verdict.retry_after))
        return response

    @staticmethod
    def _counted(request) -> bool:
        if request.user.is_authenticated:
            return False
        exempt = ("/api/", settings.STATIC_URL, "/health/")
        return not request.path.startswith(exempt)


class SessionLifetimeGuard:
    """Ends a signed-in session SESSION_MAX_HOURS after its login, however active it stayed (the idle limit is the
    session cookie's age). The login time is the user's last_login, which Django sets at each login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        last_login = request.user.last_login if request.user.is_authenticated else None
        if last_login is not None and timezone.now() - last_login > timedelta(hours=settings.SESSION_MAX_HOURS):
            logout(request)
        return self.get_response(request)
