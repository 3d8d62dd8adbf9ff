from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from ingestion.models import ImportRun, RowIssue
from observatory.records.models import Source

from ..descriptions import JOB_FIELDS


class ImportRunSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=gettext_lazy("The run's own address: poll it for progress."))
    report_url = serializers.SerializerMethodField(help_text=gettext_lazy("Where to download the run's issues as CSV."))
    source = serializers.CharField(source="source_id", help_text=gettext_lazy("Code of the source the file is from."))
    profile_version = serializers.IntegerField(
        source="profile.version",
        default=None,
        help_text=gettext_lazy("Version of the source's layout profile the file was read with."),
    )
    submitted_by = serializers.CharField(
        source="submitted_by.username", default=None, help_text=gettext_lazy("Who sent the file; null for none.")
    )

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
        extra_kwargs = {
            **JOB_FIELDS,
            "id": {"help_text": gettext_lazy("Identifier of the run.")},
            "channel": {
                "help_text": gettext_lazy("How the file arrived: upload, api, drop_folder, command or renormalisation.")
            },
            "original_filename": {"help_text": gettext_lazy("Name of the file as sent.")},
            "sha256": {"help_text": gettext_lazy("SHA-256 of the file, hexadecimal.")},
            "size_bytes": {"help_text": gettext_lazy("Size of the file in bytes.")},
            "duplicate_of": {"help_text": gettext_lazy("The earlier run of the same file; null if none.")},
            "encoding": {"help_text": gettext_lazy("Character encoding the file was read in.")},
            "separator": {"help_text": gettext_lazy("Column separator the file was read with.")},
            "rows_read": {"help_text": gettext_lazy("Rows read from the file.")},
            "rows_created": {"help_text": gettext_lazy("Records created.")},
            "rows_updated": {"help_text": gettext_lazy("Records that changed.")},
            "rows_unchanged": {"help_text": gettext_lazy("Records sent again unchanged.")},
            "rows_rejected": {"help_text": gettext_lazy("Rows rejected (see the report).")},
            "warnings": {"help_text": gettext_lazy("Rows kept with a warning.")},
        }

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
    source = SourceCodeField(
        slug_field="code",
        queryset=Source.objects.all(),
        help_text=gettext_lazy("Code of the source the file is from (police, coroner, hospital, ...)."),
    )
    file = serializers.FileField(
        allow_empty_file=True, help_text=gettext_lazy("The export: CSV or Excel, as the source's profile expects.")
    )

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
    row = serializers.IntegerField(
        source="row_number",
        help_text=gettext_lazy("Row of the file the issue is on; 0 for a note about the whole file."),
    )

    class Meta:
        model = RowIssue
        fields = ["row", "column", "value", "reason", "severity", "record_id"]
        extra_kwargs = {
            "column": {"help_text": gettext_lazy("Column of the file; empty for the whole row.")},
            "value": {"help_text": gettext_lazy("The value as sent.")},
            "reason": {"help_text": gettext_lazy("What is wrong with it.")},
            "severity": {"help_text": gettext_lazy("rejected, warning, unmapped or file.")},
            "record_id": {"help_text": gettext_lazy("The source's record id on the row, if read.")},
        }
