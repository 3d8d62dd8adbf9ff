from django.contrib.gis.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .rows import row_as_sent, run_layouts
from .terms import (
    SHIPPED_SOURCE_NAMES,
    Category,
    GeoMethod,
    Identification,
    Intent,
    Manner,
    Outcome,
    PlaceType,
    Sex,
    Weapon,
)


class Source(models.Model):
    """An institution's export: police, coroner, hospital, or any other added by writing a profile."""

    code = models.SlugField(_("code"), max_length=32, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)

    class Meta:
        db_table = "ingestion_source"  # created by ingestion, before the sources became the records' own
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The source's name in the reader's language: a shipped source's translated name, else `name`."""
        return str(SHIPPED_SOURCE_NAMES.get(self.code, self.name))


class SourceRecord(models.Model):
    """One institution record (a police victim row, an autopsy, a hospital admission), normalised.

    Keyed by (source, record_id): a re-sent row updates it in place and the previous values go to a
    SourceRecordRevision. `raw` keeps the row as the institution wrote it, so a fixed vocabulary mapping
    re-normalises it without a new upload.
    """

    class Status(models.TextChoices):
        NORMALISED = "normalised", _("Normalised")
        UNMAPPED = "unmapped", _("Has values the source's vocabulary does not map")

    # Foreign keys and run ids without database constraints or their own indexes: rows arrive by the million in one
    # set-based merge, whose values the ingestion service resolves itself; PostgreSQL's deferred FK checks
    # and six extra indexes would multiply its cost. (source, record_id) is indexed by the unique constraint.
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="records",
        db_constraint=False,
        db_index=False,
    )
    record_id = models.CharField(_("record id"), max_length=200)
    content_hash = models.BigIntegerField(editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # The import runs that created the record and last wrote it, by id: the records depend on no later stage.
    first_run_id = models.BigIntegerField()
    last_run_id = models.BigIntegerField()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The row as one CSV line in the header and separator of `last_run_id`, the run that wrote it (see row_as_sent).
    raw = models.TextField(_("row as sent"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NORMALISED)
    unmapped = models.JSONField(_("unmapped values"), default=list, blank=True)
    profile_version = models.PositiveIntegerField(_("profile version"))

    incident_id = models.CharField(_("incident"), max_length=100, blank=True)
    event_date = models.DateField(_("event date"), null=True)
    event_time = models.TimeField(_("event time"), null=True)
    death_date = models.DateField(_("death date"), null=True)
    recovery_date = models.DateField(_("body recovered"), null=True)
    discharge_date = models.DateField(_("discharge date"), null=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, blank=True)
    is_femicide = models.BooleanField(_("femicide"), default=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    manner = models.CharField(_("manner of death"), max_length=16, choices=Manner.choices, blank=True)
    intent = models.CharField(_("intent"), max_length=16, choices=Intent.choices, blank=True)
    weapon = models.CharField(_("weapon / mechanism"), max_length=32, choices=Weapon.choices, blank=True)
    place_type = models.CharField(_("place type"), max_length=32, choices=PlaceType.choices, blank=True)
    icd10_cause = models.CharField(_("ICD-10 cause"), max_length=8, blank=True)
    icd10_injury = models.CharField(_("ICD-10 injury"), max_length=8, blank=True)
    identification = models.CharField(_("identification"), max_length=16, choices=Identification.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    age_years = models.DecimalField(_("age (years)"), max_digits=5, decimal_places=2, null=True)
    reporting_unit = models.CharField(_("reporting unit"), max_length=200, blank=True)

    # Restricted: names, ID numbers and addresses never leave the analysts' zone.
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    name_folded = models.CharField(_("name for matching"), max_length=300, blank=True)
    is_unidentified = models.BooleanField(_("unidentified"), default=False)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    address = models.CharField(_("address / place description"), max_length=500, blank=True)

    municipality = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("municipality"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    colonia = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("colonia"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    jurisdiction = models.ForeignKey(
        "geography.PoliceJurisdiction",
        verbose_name=_("police jurisdiction"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    point = models.PointField(_("point"), srid=4326, null=True, spatial_index=False)
    geo_method = models.CharField(
        _("how the place was resolved"), max_length=32, choices=GeoMethod.choices, default=GeoMethod.UNRESOLVED
    )
    geo_note = models.CharField(_("place note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        ordering = ["source", "record_id"]
        constraints = [models.UniqueConstraint(fields=["source", "record_id"], name="one_record_per_source_id")]
        indexes = [
            # Only the few records an analyst still has to map: a full index would slow every bulk load.
            models.Index(fields=["source"], condition=models.Q(status="unmapped"), name="unmapped_records_by_source"),
            # The indicators recount the months that changed records fall in, and only those months' records.
            # (Not a block range index: its summaries wait for a vacuum, so rows just loaded were all scanned.)
            # Each of the two costs a bulk load about 0.7 s of database time per million records (measured).
            models.Index(fields=["updated_at"], name="records_changed_since"),
            models.Index(Coalesce("event_date", "death_date"), name="records_by_event_day"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.record_id}"

    @property
    def row_as_sent(self) -> dict[str, str]:
        return row_as_sent(self.raw, *run_layouts(run_ids={self.last_run_id})[self.last_run_id])


class SourceRecordRevision(models.Model):
    """The values a record had before a later file changed it."""

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("revision"))
    # The import run that replaced them, by id. The database keeps the constraint it had as a foreign key to
    # ingestion's runs (records_sourcerecord_replaced_by_run_id_3f889e3c_fk_ingestion).
    replaced_by_run_id = models.BigIntegerField(db_index=True)
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)
    raw = models.JSONField(_("row as sent"))
    normalised = models.JSONField(_("normalised values"))

    class Meta:
        verbose_name = _("record revision")
        verbose_name_plural = _("record revisions")
        ordering = ["record", "-revision"]
        constraints = [models.UniqueConstraint(fields=["record", "revision"], name="one_row_per_revision")]
        indexes = [models.Index(fields=["replaced_at"], name="revisions_replaced_since")]


class SourceCoverage(models.Model):
    """An analyst's declaration of what a source looks at: these places, from a month, optionally until one.

    A source with declarations covers only what they say; one without is taken to cover the municipalities it has
    sent records for, from its first to its last record (inferred coverage, see indicators/coverage.py). A
    department or the country stands for all its municipalities."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="coverage")
    units = models.ManyToManyField(
        "geography.AdminUnit",
        verbose_name=_("departments or municipalities"),
        related_name="+",
        blank=True,
        limit_choices_to={"level__in": ["country", "department", "municipality"]},
    )
    jurisdictions = models.ManyToManyField(
        "geography.PoliceJurisdiction",
        verbose_name=_("police jurisdictions"),
        related_name="+",
        blank=True,
        help_text=_("Left empty, the jurisdictions are inferred from the records."),
    )
    first_month = models.DateField(_("from month"), help_text=_("The first day of the first month covered."))
    last_month = models.DateField(
        _("until month"),
        null=True,
        blank=True,
        help_text=_("The first day of the last month covered; empty while it still is."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("source coverage")
        verbose_name_plural = _("source coverage")
        ordering = ["source", "first_month"]
        constraints = [
            models.CheckConstraint(condition=models.Q(first_month__day=1), name="coverage_starts_on_a_first"),
            models.CheckConstraint(
                condition=models.Q(last_month__isnull=True) | models.Q(last_month__gte=models.F("first_month")),
                name="coverage_ends_after_it_starts",
            ),
        ]

    def clean(self) -> None:
        """Any day of a month stands for the month."""
        self.first_month = self.first_month.replace(day=1) if self.first_month else self.first_month
        self.last_month = self.last_month.replace(day=1) if self.last_month else self.last_month

    def __str__(self) -> str:
        until = f"{self.last_month:%Y-%m}" if self.last_month else "…"
        return f"{self.source_id} {self.first_month:%Y-%m} – {until}"
