import django_filters
from django.utils.translation import gettext_lazy as _

from api.filters import MomentFilter
from observatory.accounts.models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    since = MomentFilter(field_name="at", lookup_expr="gte", help_text=_("Events at or after this moment (ISO 8601)."))
    until = MomentFilter(field_name="at", lookup_expr="lt", help_text=_("Events before this moment (ISO 8601)."))
    action = django_filters.CharFilter(help_text=_("Only this action code."))
    actor_label = django_filters.CharFilter(help_text=_("Only events by this user name."))
    target_type = django_filters.CharFilter(help_text=_("Only events on this kind of object."))
    target_id = django_filters.CharFilter(help_text=_("Only events on the object with this identifier."))

    class Meta:
        model = AuditEvent
        fields = ["action", "actor_label", "target_type", "target_id"]
