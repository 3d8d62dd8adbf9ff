from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability
from observatory.accounts.selectors import audit_event_list

from .filtersets import AuditEventFilterSet
from .serializers import AuditEventSerializer

_AUDIT_LOG = _("The append-only audit log: who did what, when and from where. Analysts and administrators only.")


@extend_schema_view(
    list=extend_schema(summary=_("Audit events"), description=_AUDIT_LOG),
    retrieve=extend_schema(summary=_("One audit event"), description=_AUDIT_LOG),
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    permission_classes = [HasCapability(Capability.VIEW_AUDIT_LOG)]

    def get_queryset(self):
        return audit_event_list()
