from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler

from observatory.errors import ApplicationError


def application_error_handler(exc, context):
    """Domain errors and DRF's own errors answer in one shape: {"message", "code", "extra"}."""
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "code": exc.code, "extra": exc.extra}, status=exc.status)
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    if isinstance(exc, Http404):  # Django's message names the model ("No ImportRun matches the given query.")
        detail = NotFound().detail
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    message = str(detail) if detail is not None else _field_errors_said(response.data)
    extra = {} if detail is not None else {"fields": response.data}
    response.data = {"message": message, "code": code, "extra": extra}
    return response


def _field_errors_said(errors) -> str:
    """A refused input's problems in one line ("file: The submitted file is empty."), for a client that reads
    only the message; each field's list is in extra.fields too."""
    if not isinstance(errors, dict) or not errors:
        return _("Invalid input.")
    said = []
    for field, problems in errors.items():
        problems = problems if isinstance(problems, list) else [problems]
        said.append(f"{field}: {' '.join(str(problem) for problem in problems)}")
    return "; ".join(said)


def path_not_found(request, unmatched: str) -> JsonResponse:
    """A path under /api/ that no endpoint has (a detail id with a dot, a typo) answers in the API's error shape, not
    with the site's HTML page."""
    detail = NotFound().detail
    return JsonResponse({"message": str(detail), "code": detail.code, "extra": {}}, status=404)
