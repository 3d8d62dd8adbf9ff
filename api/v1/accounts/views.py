from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from api.lists import ListViewSetMixin
from api.pagination import KeysetCursorPagination
from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability
from observatory.accounts.selectors import audit_event_list
from observatory.accounts.services import audit_personal_data_read

from .filtersets import AuditEventFilterSet
from .serializers import AuditEventSerializer

_AUDIT_LOG = _("The append-only audit log: who did what, when and from where. Analysts and administrators only.")


@extend_schema_view(
    list=extend_schema(summary=_("Audit events"), description=_AUDIT_LOG),
    retrieve=extend_schema(summary=_("One audit event"), description=_AUDIT_LOG),
)
class AuditEventViewSet(ListViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    permission_classes = [HasCapability(Capability.VIEW_AUDIT_LOG)]
    pagination_class = KeysetCursorPagination

    def get_queryset(self):
        return audit_event_list()

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # Events' details can hold what was searched for (an ID number, a name): reading them is audited too.
        audit_personal_data_read(
            request=request, action="audit_log.read", target_type="audit_event", detail={"query": request.GET.dict()}
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_personal_data_read(
            request=request, action="audit_log.read", target_type="audit_event", target_id=kwargs["pk"]
        )
        return response
