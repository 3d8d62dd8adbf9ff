from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from observatory.reconciliation.models import LinkageRun
from observatory.reconciliation.quality import linkage_quality_report

from .serializers import LinkageQualitySerializer


class LinkageQualityViewSet(viewsets.GenericViewSet):
    serializer_class = LinkageQualitySerializer
    pagination_class = None
    queryset = LinkageRun.objects.none()  # the runs are read by the report; this names the model to the schema

    @extend_schema(
        summary=gettext_lazy("Linkage quality"),
        description=gettext_lazy(
            "How good the linkage of records into victims is: the latest linkage run, the pairs waiting for review, "
            "and precision and recall estimated from the analysts' review decisions (a band of match probability "
            "that nobody reviewed is estimated by the model's own probabilities), each with its interval (95%)."
        ),
        responses=LinkageQualitySerializer,
    )
    def list(self, request, *args, **kwargs):
        report = linkage_quality_report()
        if report is None:
            raise NotFound(_("No linkage run has ended yet."))
        return Response(self.get_serializer(report).data)
