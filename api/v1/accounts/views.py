from rest_framework import viewsets

from api.lists import ListViewSetMixin
from api.pagination import KeysetCursorPagination
from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability
from observatory.accounts.selectors import audit_event_list

from .filtersets import AuditEventFilterSet
from .serializers import AuditEventSerializer


class AuditEventViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The append-only audit log: analysts and administrators only."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    permission_classes = [HasCapability(Capability.VIEW_AUDIT_LOG)]
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return audit_event_list()
