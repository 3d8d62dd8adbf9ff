import json

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatory.jobs.models import Job
from observatory.records.models import Source

from .profile_config import MAX_COLUMN_NAME_LENGTH, encoding_name, separator_name


class SourceProfile(models.Model):
    """How to read one source's files: columns, encoding, separator, date formats, vocabularies, rules.

    Versioned: a change is a new row, earlier versions stay, and each import run names the version it used.
    """

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="profiles")
    version = models.PositiveIntegerField(_("version"))
    config = models.JSONField(_("configuration"))
    # The configuration with its keys in the order its author wrote them (the database's JSON orders keys by their
    # length): what the admin shows and edits. Empty for versions saved before it was kept.
    config_written = models.TextField(_("configuration as written"), blank=True, editable=False)
    comment = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("source profile")
        verbose_name_plural = _("source profiles")
        ordering = ["source", "-version"]
        constraints = [models.UniqueConstraint(fields=["source", "version"], name="one_profile_per_version")]

    def __str__(self) -> str:
        return f"{self.source_id} v{self.version}"

    @property
    def config_in_written_order(self) -> dict:
        return json.loads(self.config_written) if self.config_written else self.config


class ImportRun(Job):
    """One file sent by one channel, from receipt to its report."""

    class Channel(models.TextChoices):
        UPLOAD = "upload", _("Browser upload")
        API = "api", _("HTTP API")
        DROP_FOLDER = "drop_folder", _("Drop folder")
        COMMAND = "command", _("Command line")
        RENORMALISATION = "renormalisation", _("Re-normalisation after a profile change")

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="runs")
    profile = models.ForeignKey(
        SourceProfile, verbose_name=_("profile"), null=True, on_delete=models.PROTECT, related_name="runs"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_from = models.CharField(_("sent from"), max_length=300, blank=True)
    original_filename = models.CharField(_("file name"), max_length=300)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, db_index=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"))
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("same file as"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drop_path = models.CharField(_("drop folder file"), max_length=500, blank=True)
    header = ArrayField(
        models.CharField(max_length=MAX_COLUMN_NAME_LENGTH), verbose_name=_("columns read"), default=list, blank=True
    )
    encoding = models.CharField(_("encoding read"), max_length=32, blank=True)
    separator = models.CharField(_("separator read"), max_length=4, blank=True)

    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta(Job.Meta):
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_id} {self.original_filename}"

    @property
    def read_as(self) -> str:
        """The encoding and separator the file was read with, as people call them."""
        return f"{encoding_name(self.encoding)}, {separator_name(self.separator)}" if self.encoding else ""

    def summary(self) -> str:
        return (
            f"read={self.rows_read} created={self.rows_created} updated={self.rows_updated} "
            f"unchanged={self.rows_unchanged} rejected={self.rows_rejected}"
        )


class RowIssue(models.Model):
    """A problem with one row (or the whole file, row 0): the row is rejected, or kept with a warning."""

    class Severity(models.TextChoices):
        REJECTED = "rejected", _("Row rejected")
        WARNING = "warning", _("Row kept, with a warning")
        UNMAPPED = "unmapped", _("Value not in the vocabulary")
        FILE = "file", _("About the whole file")

    # No foreign-key constraint: checked row by row at commit, it took about 4 s of a file with a million issues
    # (only the importer writes issues, for its own run). The (run, severity) index serves lookups by run.
    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="issues", db_constraint=False, db_index=False
    )
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=MAX_COLUMN_NAME_LENGTH, blank=True)
    value = models.TextField(_("value"), blank=True)
    reason = models.TextField(_("reason"))
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    record_id = models.CharField(_("record id"), max_length=200, blank=True)
    raw_row = models.JSONField(_("row as sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("row issue")
        verbose_name_plural = _("row issues")
        ordering = ["run", "row_number", "id"]
        indexes = [models.Index(fields=["run", "severity"])]

    def __str__(self) -> str:
        return f"run {self.run_id} row {self.row_number} {self.column}: {self.reason}"
