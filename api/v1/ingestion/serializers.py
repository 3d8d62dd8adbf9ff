from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from ingestion.models import ImportRun, RowIssue
from observatory.records.models import Source


class ImportRunSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()
    source = serializers.CharField(source="source_id")
    profile_version = serializers.IntegerField(source="profile.version", default=None)
    submitted_by = serializers.CharField(source="submitted_by.username", default=None)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "url",
            "report_url",
            "source",
            "profile_version",
            "status",
            "channel",
            "submitted_by",
            "original_filename",
            "sha256",
            "size_bytes",
            "duplicate_of",
            "encoding",
            "separator",
            "rows_read",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "warnings",
            "progress",
            "progress_note",
            "error",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, run) -> str:
        return self._absolute(reverse("api-v1:import-run-detail", args=[run.pk]))

    def get_report_url(self, run) -> str:
        return self._absolute(reverse("api-v1:import-run-report", args=[run.pk]))


class SourceCodeField(serializers.SlugRelatedField):
    """A source by its code; an unknown code is answered with the codes there are."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            known = ", ".join(self.get_queryset().order_by("code").values_list("code", flat=True))
            raise serializers.ValidationError(
                _("Unknown source '%(source)s' (known: %(known)s).") % {"source": data, "known": known},
                code="unknown_source",
            ) from None


class ImportRunCreateSerializer(serializers.Serializer):
    source = SourceCodeField(slug_field="code", queryset=Source.objects.all())
    file = serializers.FileField(allow_empty_file=True)

    def validate_file(self, upload):
        if upload.size > settings.INGEST_MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                _("%(name)s is %(size)s, over the limit of %(limit)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.INGEST_MAX_UPLOAD_BYTES),
                },
                code="too_large",
            )
        return upload


class RowIssueSerializer(serializers.ModelSerializer):
    row = serializers.IntegerField(source="row_number")

    class Meta:
        model = RowIssue
        fields = ["row", "column", "value", "reason", "severity", "record_id"]
