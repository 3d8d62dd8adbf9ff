"""Requests refused before any view sees them."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


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
