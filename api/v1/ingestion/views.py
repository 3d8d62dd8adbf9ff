from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.lists import CSVRenderer, ListViewSetMixin
from ingestion.models import ImportRun, RowIssue
from ingestion.reports import run_report_csv
from ingestion.selectors import import_run_list_for, run_issue_list
from ingestion.services import import_run_create
from observatory.accounts.permissions import HasCapability
from observatory.accounts.roles import Capability, may_upload_for_source
from observatory.client_address import client_address

from .filtersets import ImportRunFilterSet, RowIssueFilterSet
from .serializers import ImportRunCreateSerializer, ImportRunSerializer, RowIssueSerializer

_RUNS = gettext_lazy(
    "Import runs: send a source's file (202, then poll the run's URL), follow its progress, read its report. For "
    "the sources' uploaders and the analysts."
)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Import runs"), description=_RUNS),
    retrieve=extend_schema(summary=gettext_lazy("One import run"), description=_RUNS),
)
class ImportRunViewSet(ListViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ImportRunSerializer
    filterset_class = ImportRunFilterSet
    permission_classes = [HasCapability(Capability.VIEW_UPLOAD_REPORTS)]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return import_run_list_for(user=self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [HasCapability(Capability.UPLOAD_FILES)()]
        return super().get_permissions()

    @extend_schema(
        summary=gettext_lazy("Send a file"),
        description=gettext_lazy(
            "Sends a source's export to be imported. The answer (202) is the run, queued; follow it at its URL "
            "(the Location header). Only accounts that upload for that source."
        ),
        request=ImportRunCreateSerializer,
        responses={202: ImportRunSerializer},
    )
    def create(self, request, *args, **kwargs):
        incoming = ImportRunCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        source = incoming.validated_data["source"]
        if not may_upload_for_source(request.user, source.code):
            raise PermissionDenied(
                _("This account uploads for the source '%(own)s', not for '%(other)s'.")
                % {"own": request.user.source_code, "other": source.code}
            )
        upload = incoming.validated_data["file"]
        run = import_run_create(
            source=source,
            stream=upload,
            filename=upload.name,
            channel=ImportRun.Channel.API if request.auth is not None else ImportRun.Channel.UPLOAD,
            submitted_by=request.user,
            submitted_from=client_address(request) or "",
        )
        body = ImportRunSerializer(run, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(
        summary=gettext_lazy("A run's issues"),
        description=gettext_lazy(
            "The run's issues: rejected rows, warnings, unmapped values and notes about the whole file (row 0)."
        ),
        responses=RowIssueSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "severity",
                str,
                enum=RowIssue.Severity.values,
                description=gettext_lazy("Only issues of this kind: rejected, warning, unmapped or file."),
            ),
            OpenApiParameter("column", str, description=gettext_lazy("Only issues of this column of the file.")),
        ],
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def issues(self, request, pk=None):
        issues = RowIssueFilterSet(request.query_params, queryset=run_issue_list(run=self.get_object()))
        if not issues.is_valid():
            raise ValidationError(issues.errors)
        page = self.paginate_queryset(issues.qs)
        return self.get_paginated_response(RowIssueSerializer(page, many=True).data)

    @extend_schema(
        summary=gettext_lazy("A run's report as CSV"),
        description=gettext_lazy("Every issue of the run as CSV: row, column, value, reason."),
        responses={(200, "text/csv"): str},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="report.csv",
        url_name="report",
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def report(self, request, pk=None):
        run = self.get_object()
        response = StreamingHttpResponse(run_report_csv(run=run), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-report.csv"'
        return response
