from django.db.models import QuerySet

from .models import ApiKey, AuditEvent


def api_key_by_raw_value(*, raw_key: str) -> ApiKey | None:
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw_key), active=True).first()


def audit_event_list(*, action: str | None = None, actor_label: str | None = None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor_label:
        events = events.filter(actor_label=actor_label)
    return events.order_by("-at", "-id")
