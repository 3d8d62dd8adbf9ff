"""Published figures. Every row of a figure table is valid from the vintage that computed it until the vintage
that replaced it: the current publication is the rows with no `valid_to`, and any earlier one is still there,
so a user can see how a month's figure was revised."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatory.geography.models import AdminUnit, PoliceJurisdiction
from observatory.jobs.models import ReasonedJob
from observatory.records.models import Source
from observatory.records.terms import Category

from .terms import Series, UnitLevel
from .undercount_texts import refusal, stored_assumptions


class Vintage(ReasonedJob):
    """One computation of the indicators: a full one over every month, or an incremental one over the months
    that new or changed data touched."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("Incremental")

    class Reason(models.TextChoices):
        """Why a vintage was computed, as a code rendered in the reader's language with `reason_params`."""

        IMPORT_RUN = "import_run", _("after import run #%(run)d")
        LINKAGE_RUN = "linkage_run", _("after linkage run #%(run)d")
        SCHEDULE = "schedule", _("the nightly recomputation")
        COMMAND = "command", _("asked for from the command line")
        DEMO = "demo", _("the demo data were loaded")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason_code = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data_as_of = models.DateTimeField(
        _("data cut-off"),
        null=True,
        blank=True,
        help_text=_("Records and victims changed after this moment are not included."),
    )
    first_month = models.DateField(_("first month recomputed"), null=True, blank=True)
    last_month = models.DateField(_("last month recomputed"), null=True, blank=True)
    rows_added = models.PositiveIntegerField(_("figures added or revised"), default=0)
    rows_retired = models.PositiveIntegerField(_("figures replaced"), default=0)
    undercount_strata = models.PositiveIntegerField(_("undercount strata estimated"), default=0)
    undercount_seconds = models.FloatField(_("undercount estimation time (s)"), null=True, blank=True)
    # What the disclosure auditor found on the publication (suppression.protected_marks): the small counts audited,
    # the narrowest interval any of them kept given everything published, the cells hidden to widen it, its time.
    disclosure_audit = models.JSONField(_("disclosure audit"), default=dict, blank=True)
    # What a month's status is read with, kept so that an earlier vintage reads with its own: the latest event
    # date of each source, and the settling delay (a month is final once every source covering it has data past
    # its end plus this many days). Empty for vintages computed before statuses were kept.
    source_cutoffs = models.JSONField(_("data cut-off per source"), default=dict, blank=True)
    settling_days = models.PositiveSmallIntegerField(_("settling days"), null=True, blank=True)
    # The sources of the covering masks of the series this vintage wrote: bit i is coverage_sources[i].
    coverage_sources = ArrayField(
        models.CharField(max_length=32), verbose_name=_("covering sources"), default=list, blank=True
    )
    # Per source: declared or inferred coverage, its span, and declared municipalities silent for months.
    coverage_notes = models.JSONField(_("coverage per source"), default=dict, blank=True)

    class Meta(ReasonedJob.Meta):
        verbose_name = _("indicator vintage")
        verbose_name_plural = _("indicator vintages")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def cache_stamp(self) -> str:
        """The vintage in a cache key: its number and when it finished, so that a database made again (the demo's,
        the tests') never reads the entries of another's vintage of the same number. A published vintage never
        changes, so what is cached under it never goes stale."""
        return f"{self.pk}-{self.finished_at.timestamp() if self.finished_at else 0}"


class PublishedSeries(models.Model):
    """What every versioned table of monthly series has: where, what, the months it covers, and the vintages it is
    valid between. One row holds a whole series as arrays indexed by month from `first_month`: a full publication
    is tens of thousands of rows instead of millions, and a revision of any month is a new row."""

    # No database constraint or index of their own: a publication closes and inserts tens of thousands of rows at
    # once, where a foreign-key trigger per row and two more indexes cost more than all else the database does.
    # Only the computation writes them, with its own vintage; the current rows have their partial indexes.
    valid_from = models.ForeignKey(
        Vintage,
        verbose_name=_("computed by"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    valid_to = models.ForeignKey(
        Vintage,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    # An AdminUnit id, or a PoliceJurisdiction id when the level is `jurisdiction`.
    unit_id = models.BigIntegerField(_("unit"))
    series = models.CharField(_("category"), max_length=32, choices=Series.choices)
    first_month = models.DateField(_("first month"))
    # A hash of the key and the values, so a recomputation finds what changed without comparing every array.
    digest = models.BigIntegerField(editable=False)

    class Meta:
        abstract = True


class MonthlySeries(PublishedSeries):
    """Counts of one series in one unit, month by month, on one basis (a source alone, or reconciled victims), for
    everyone or for one sex and age band, with the unit's population and the public suppression of each month.
    Rates, intervals, rolling and year-on-year figures are derived from these by `figures.monthly_figures`."""

    class Suppression(models.IntegerChoices):
        NONE = 0, _("Shown")
        PRIMARY = 1, _("Small count")
        COMPLEMENTARY = 2, _("Hidden so that totals cannot reveal a small count")

    basis = models.CharField(_("basis"), max_length=32)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True)
    counts = ArrayField(models.IntegerField(), verbose_name=_("counts"))
    # Interpolated for each month; null where the unit has no population figures.
    populations = ArrayField(models.IntegerField(), verbose_name=_("populations"), null=True)
    suppression = ArrayField(models.SmallIntegerField(choices=Suppression.choices), verbose_name=_("suppression"))
    # The share of the unit covered by the basis's sources each month, in permille (0: no data, 1000: all); and
    # which sources covered it, as a bit mask over the writing vintage's `coverage_sources`. Null in series
    # written before coverage was kept (read as wholly covered).
    coverage = ArrayField(models.SmallIntegerField(), verbose_name=_("coverage (permille)"), null=True)
    covering_sources = ArrayField(models.IntegerField(), verbose_name=_("covering sources (bit mask)"), null=True)

    class Meta:
        verbose_name = _("monthly series")
        verbose_name_plural = _("monthly series")
        ordering = ["level", "unit_id", "series", "basis", "sex", "age_band"]
        indexes = [
            models.Index(
                fields=["level", "series", "basis"], condition=models.Q(valid_to__isnull=True), name="current_series"
            ),
            models.Index(fields=["level", "unit_id", "series", "basis"], name="series_history"),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.basis} {self.level} {self.unit_id} {self.sex} {self.age_band}"


class DiscrepancySeries(PublishedSeries):
    """How the sources agree on one series in one unit, month by month: the reconciled victims by the set of
    sources that recorded them, and the victims whose records disagree on category, date or place. The records
    of each source are the MonthlySeries of that basis."""

    victims = ArrayField(models.IntegerField(), verbose_name=_("victims"))
    # Victims by the set of sources that recorded them ("coroner+police", "coroner", ...): one row of
    # `pattern_counts` per entry of `patterns`, one column per month.
    patterns = ArrayField(models.CharField(max_length=200), verbose_name=_("overlap patterns"), default=list)
    pattern_counts = ArrayField(
        ArrayField(models.IntegerField()), verbose_name=_("victims by overlap pattern"), default=list
    )
    classification_conflicts = ArrayField(models.IntegerField(), verbose_name=_("sources disagree on the category"))
    date_conflicts = ArrayField(models.IntegerField(), verbose_name=_("dates too far apart"))
    place_conflicts = ArrayField(models.IntegerField(), verbose_name=_("different municipalities"))

    class Meta:
        verbose_name = _("discrepancy series")
        verbose_name_plural = _("discrepancy series")
        ordering = ["level", "unit_id", "series"]
        indexes = [
            models.Index(
                fields=["level", "series"], condition=models.Q(valid_to__isnull=True), name="current_discrepancies"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.level} {self.unit_id}"

    @property
    def overlap(self) -> dict[str, list[int]]:
        return dict(zip(self.patterns, self.pattern_counts, strict=True))


class UndercountEstimate(models.Model):
    """A multiple systems estimate of the true number of victims of a series in a stratum (a unit and year)."""

    class Status(models.TextChoices):
        ESTIMATED = "estimated", _("Estimated")
        REFUSED = "refused", _("Not estimable")

    vintage = models.ForeignKey(Vintage, on_delete=models.CASCADE, related_name="undercount_estimates")
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    unit_id = models.BigIntegerField(_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    series = models.CharField(_("category"), max_length=32, choices=Series.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    observed = models.PositiveIntegerField(_("victims observed"))
    pattern_counts = models.JSONField(_("victims by the sources that recorded them"), default=dict)
    estimate = models.FloatField(_("estimated total"), null=True)
    estimate_low = models.FloatField(_("interval low (95%)"), null=True)
    estimate_high = models.FloatField(_("interval high (95%)"), null=True)
    model = models.CharField(_("model chosen"), max_length=100, blank=True)
    # The models compared, and the codes of the assumptions and of a refusal with their figures
    # (undercount_texts renders them in the reader's language).
    detail = models.JSONField(_("models compared and assumptions"), default=dict)
    reason_code = models.CharField(_("why not estimable (code)"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("undercount estimate")
        verbose_name_plural = _("undercount estimates")
        ordering = ["vintage", "level", "unit_id", "series", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["vintage", "level", "unit_id", "series", "year"], name="one_estimate_per_stratum"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.level} {self.unit_id} {self.year}"

    @property
    def reason(self) -> str:
        """Why it was not estimated, in the reader's language; empty for an estimate."""
        return str(refusal(self.reason_code, **self.detail.get("reason_params", {}))) if self.reason_code else ""

    @property
    def assumptions(self) -> list[str]:
        """What the estimate holds under, in the reader's language."""
        return stored_assumptions(self.detail)


class Alert(models.Model):
    """A month that calls for attention, with the test that flagged it."""

    class Kind(models.TextChoices):
        SPIKE = "spike", _("Count well above its expected value")
        HIDDEN_VIOLENCE = "hidden_violence", _("Homicides fall while missing persons and unidentified bodies rise")

    vintage = models.ForeignKey(Vintage, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices)
    unit_id = models.BigIntegerField(_("unit"))
    month = models.DateField(_("month"))
    series = models.CharField(_("category"), max_length=32, choices=Series.choices)
    basis = models.CharField(_("basis"), max_length=32)
    observed = models.FloatField(_("observed"))
    expected = models.FloatField(_("expected"))
    p_value = models.FloatField(_("p-value"))
    detail = models.JSONField(_("detail"), default=dict)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-month", "level", "unit_id"]
        indexes = [models.Index(fields=["vintage", "kind", "month"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.series} {self.level} {self.unit_id} {self.month:%Y-%m}"


_ENDS_BEFORE_START = _("The end comes before the start: swap them.")
_NO_TITLE = _("Give the event a title, in Spanish or in English.")


class TimelineEvent(models.Model):
    """Something that changes what a series means (a truce, a police operation, a source's new definitions),
    recorded by an analyst so that the charts of its units mark it. Not a causal claim: a marker to read by."""

    class Kind(models.TextChoices):
        TRUCE = "truce", _("Truce between gangs")
        POLICE_OPERATION = "police_operation", _("Police operation")
        PROGRAMME_START = "programme_start", _("Start of a programme")
        SOURCE_DEFINITION_CHANGE = "source_definition_change", _("A source changed its definitions")
        SOURCE_COVERAGE_CHANGE = "source_coverage_change", _("A source changed its coverage")
        OTHER = "other", _("Other")

    SOURCE_KINDS = (Kind.SOURCE_DEFINITION_CHANGE, Kind.SOURCE_COVERAGE_CHANGE)

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty for an event of one day."))
    units = models.ManyToManyField(
        AdminUnit, verbose_name=_("administrative units"), blank=True, related_name="timeline_events"
    )
    jurisdictions = models.ManyToManyField(
        PoliceJurisdiction, verbose_name=_("police jurisdictions"), blank=True, related_name="timeline_events"
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timeline_events",
    )
    # Free text written by analysts, so one field per language; a page in one language shows the other's text,
    # marked, when its own is empty.
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="timeline_event_ends_after_it_starts",
                violation_error_message=_ENDS_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=~models.Q(title_es="", title_en=""),
                name="timeline_event_has_a_title",
                violation_error_message=_NO_TITLE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%Y-%m-%d}: {self.title_es or self.title_en}"

    def clean(self):
        """The constraints' refusals, each on its field, and the source a change in a source must name."""
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _ENDS_BEFORE_START
        if self.kind in self.SOURCE_KINDS and not self.source_id:
            errors["source"] = _("Say which source changed its definitions or coverage.")
        if not (self.title_es or self.title_en):
            errors["title_es"] = _NO_TITLE
        if errors:
            raise ValidationError(errors)

    def text_in(self, field: str, language: str) -> tuple[str, str]:
        """A text field (`title`, `description`) in a language, or in the other one when it is empty there:
        (text, the language it is in)."""
        preferred = "en" if language.startswith("en") else "es"
        other = "es" if preferred == "en" else "en"
        for code in (preferred, other):
            if text := getattr(self, f"{field}_{code}"):
                return text, code
        return "", preferred


class DailyAlert(models.Model):
    """A police jurisdiction and category whose last days' count is improbably high against its past year's daily
    mean (see daily_alerts.py for the rule). One row per window end: earlier ones are the alerts' history."""

    jurisdiction_id = models.BigIntegerField(_("police jurisdiction"))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    window_first = models.DateField(_("from"))
    window_last = models.DateField(_("until"))
    observed = models.PositiveIntegerField(_("observed"))
    expected = models.FloatField(_("expected"))
    p_value = models.FloatField(_("p-value"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("daily alert")
        verbose_name_plural = _("daily alerts")
        ordering = ["-window_last", "p_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction_id", "category", "window_last"], name="one_daily_alert_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.jurisdiction_id} {self.window_first}–{self.window_last}"
