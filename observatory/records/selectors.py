"""Reading the records' core: the sources."""

from django.db.models import QuerySet

from observatory.accounts.roles import Capability, Role, has_capability, role_of

from .models import Source
from .terms import SHIPPED_SOURCE_NAMES


def source_list_for(*, user) -> QuerySet[Source]:
    """The sources whose runs a user sees and for which it may upload: all for analysts, its own for an uploader."""
    if not has_capability(user, Capability.VIEW_UPLOAD_REPORTS):
        return Source.objects.none()
    if role_of(user) == Role.SOURCE_UPLOADER:
        return Source.objects.filter(code=user.source_code)
    return Source.objects.order_by("code")


def source_labels() -> dict[str, str]:
    """{source code: its name in the reader's language}, for every source and every shipped one (figures may name
    a shipped source whose row a database made afresh does not hold)."""
    shipped = {code: str(name) for code, name in SHIPPED_SOURCE_NAMES.items()}
    return {**shipped, **{source.code: source.label for source in Source.objects.only("code", "name")}}
