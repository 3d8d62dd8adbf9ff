from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from observatory.jobs.models import ReasonedJob
from observatory.records.terms import Category, Manner, Sex, Weapon


class LinkageRun(ReasonedJob):
    """One pass of the linkage: a full run scores every pair the blocking rules admit; an incremental run only
    the records new or changed since the last run; a decision run re-clusters what an analyst's decision touches."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("Incremental")
        DECISION = "decision", _("Review decision")

    class Reason(models.TextChoices):
        """Why a run was made, rendered in the reader's language with `reason_params`."""

        IMPORT_RUN = "import_run", _("after import run #%(run)d")
        SCHEDULE = "schedule", _("the nightly relinking")
        COMMAND = "command", _("asked for from the command line")
        RUNS_PAGE = "runs_page", _("Asked for on the runs page")
        DECISION = "decision", _("Decision on pair %(pair)s")
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
    records_considered = models.PositiveIntegerField(_("records considered"), default=0)
    # The blocking rules' pairs, and those of them that could reach the review threshold, which the model scored.
    candidate_pairs = models.PositiveBigIntegerField(_("candidate pairs"), default=0)
    pairs_compared = models.PositiveBigIntegerField(_("pairs the model scored"), default=0)
    pairs_scored = models.PositiveIntegerField(_("pairs kept"), default=0)
    review_pairs = models.PositiveIntegerField(_("pairs to review"), default=0)
    victims_created = models.PositiveIntegerField(_("victims created"), default=0)
    victims_changed = models.PositiveIntegerField(_("victims changed"), default=0)
    victims_retired = models.PositiveIntegerField(_("victims retired"), default=0)
    # The Splink model (settings with its m and u probabilities) the run scored with, so any score can be explained.
    model = models.JSONField(_("linkage model"), null=True, blank=True)
    model_trained = models.BooleanField(_("parameters estimated from the data"), default=False)
    # What a run that ended did not do (blocks too common to pair on), for whoever reads its results.
    notes = models.TextField(_("notes"), blank=True)
    # How many candidate pairs each blocking rule found, alone or with others: {"colonia": 1200, ...}.
    pairs_by_rule = models.JSONField(_("candidate pairs by blocking rule"), default=dict, blank=True)

    class Meta(ReasonedJob.Meta):
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")
        ordering = ["-queued_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Victim(models.Model):
    """A person as the observatory counts them: a cluster of linked source records.

    Its id is stable: it survives re-runs while its records stay together, a merge keeps the older id, a split
    gives each part a new one. Retired victims stay, with the reason and, after a merge, the victim they became.
    """

    class CaseStatus(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed (autopsy and another source)")
        CORROBORATED = "corroborated", _("Corroborated (two sources, no autopsy)")
        SINGLE_SOURCE = "single_source", _("Single source")
        DISPUTED = "disputed", _("Disputed (sources disagree on what happened)")

    created_by_run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="absorbed"
    )

    # Reconciled attributes, by the precedence rules of reconciliation/linkage/attributes.py.
    case_status = models.CharField(_("case status"), max_length=16, choices=CaseStatus.choices)
    sources = ArrayField(models.CharField(max_length=32), verbose_name=_("sources"), default=list)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, blank=True)
    is_femicide = models.BooleanField(_("femicide"), default=False)
    manner = models.CharField(_("manner of death"), max_length=16, choices=Manner.choices, blank=True)
    icd10_cause = models.CharField(_("ICD-10 cause"), max_length=8, blank=True)
    icd10_injury = models.CharField(_("ICD-10 injury"), max_length=8, blank=True)
    weapon = models.CharField(_("weapon / mechanism"), max_length=32, choices=Weapon.choices, blank=True)
    died = models.BooleanField(_("died"), default=False)
    was_reported_missing = models.BooleanField(_("reported missing before found dead"), default=False)
    event_date = models.DateField(_("event date"), null=True)
    event_time = models.TimeField(_("event time"), null=True)
    death_date = models.DateField(_("death date"), null=True)
    municipality = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("municipality"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    colonia = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("colonia"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    point = models.PointField(_("point"), srid=4326, null=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    age_years = models.DecimalField(_("age (years)"), max_digits=5, decimal_places=2, null=True)
    # Restricted: never leaves the analysts' zone.
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    is_unidentified = models.BooleanField(_("unidentified"), default=False)
    # Which record each reconciled attribute came from: {"category": record_id, ...}.
    attribute_sources = models.JSONField(_("where each attribute comes from"), default=dict)

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["case_status"], condition=models.Q(retired_at__isnull=True), name="active_victims_by_status"
            ),
            # The indicators recount the months of changed victims, and only those months' victims.
            models.Index(fields=["updated_at"], name="victims_changed_since"),
            models.Index(
                fields=["retired_at"], condition=models.Q(retired_at__isnull=False), name="victims_retired_since"
            ),
            models.Index(Coalesce("event_date", "death_date"), name="victims_by_event_day"),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def public_id(self) -> str:
        return public_ids([self.pk])

    @property
    def retired_reason(self) -> str:
        """Why the id was retired, in the reader's language: merged into another victim, or split into parts."""
        if self.retired_at is None:
            return ""
        if self.merged_into_id:
            return _("Merged into %(id)s") % {"id": public_ids([self.merged_into_id])}
        split = self.changes.filter(kind=VictimChange.Kind.SPLIT).order_by("-at", "-pk").first()
        return _("Split into %(ids)s") % {"ids": public_ids(split.detail["parts"] if split else [])}


class VictimRecord(models.Model):
    """Which victim a source record currently belongs to."""

    record = models.OneToOneField(
        "records.SourceRecord", on_delete=models.CASCADE, primary_key=True, related_name="victim_link"
    )
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="record_links")
    linked_by_run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    # The record's content when it was linked: a later correction of the record makes it "changed" for the next run.
    content_hash = models.BigIntegerField()

    class Meta:
        verbose_name = _("record of a victim")
        verbose_name_plural = _("records of victims")


class LinkageKey(models.Model):
    """A record's blocking keys as the last linkage run read them. An incremental run finds here the records
    within reach of its new ones (same ID number, same name, close in time) and how many records hold each name,
    instead of reading every record. Every run writes the keys of the records it read as new or changed; a full
    run writes them all."""

    # No database constraint, as for the records' own keys: a full run writes a hundred thousand rows at once.
    record = models.OneToOneField(
        "records.SourceRecord", on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )
    name_sorted = models.CharField(_("name parts, sorted"), max_length=300, blank=True)
    id_number = models.CharField(_("ID number"), max_length=40, blank=True)
    # The days the event can lie in, counted from 1970-01-01 (see linkage/features.py).
    first_day = models.IntegerField(_("first day"), null=True)
    last_day = models.IntegerField(_("last day"), null=True)

    class Meta:
        verbose_name = _("linkage key")
        verbose_name_plural = _("linkage keys")
        indexes = [
            models.Index(fields=["name_sorted"], condition=~models.Q(name_sorted=""), name="linkage_key_name"),
            models.Index(fields=["id_number"], condition=~models.Q(id_number=""), name="linkage_key_id_number"),
            models.Index(fields=["first_day"], name="linkage_key_first_day"),
            models.Index(fields=["last_day"], name="linkage_key_last_day"),
        ]


class CandidatePair(models.Model):
    """Two records the model scored at or above the review threshold, with the evidence, and the analyst's decision.

    A decided pair is a hard constraint for every later run: `match` must link, `non_match` cannot link.
    """

    class Decision(models.TextChoices):
        MATCH = "match", _("Same person")
        NON_MATCH = "non_match", _("Not the same person")
        UNSURE = "unsure", _("Unsure")

    record_low = models.ForeignKey("records.SourceRecord", on_delete=models.CASCADE, related_name="+")
    record_high = models.ForeignKey("records.SourceRecord", on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    # Per comparison: {"name": {"label": "...", "weight": 3.2}, ...}; weight is log2 of its Bayes factor.
    comparisons = models.JSONField(_("evidence"), default=dict)
    scored_by_run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["record_low", "record_high"], name="one_candidate_per_pair"),
            models.CheckConstraint(
                condition=models.Q(record_low__lt=models.F("record_high")), name="candidate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["decision", "match_probability"], name="candidate_pair_queue")]


class VictimChange(models.Model):
    """The log of what happened to each victim id and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        RECORDS_ADDED = "records_added", _("Records added")
        RECORDS_REMOVED = "records_removed", _("Records removed")
        MERGED = "merged", _("Merged into another victim")
        ABSORBED = "absorbed", _("Absorbed other victims")
        SPLIT = "split", _("Split")
        ATTRIBUTES = "attributes", _("Reconciled attributes changed")

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="changes")
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="victim_changes")
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    # The figures of the change (records, victims, statuses), from which `reason` says it in the reader's language.
    detail = models.JSONField(_("detail"), default=dict)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("victim change")
        verbose_name_plural = _("victim changes")
        ordering = ["-at", "-pk"]

    @property
    def reason(self) -> str:
        """Why the victim changed, in the reader's language, from the kind of change and its figures."""
        detail = self.detail
        if self.kind == self.Kind.CREATED:
            if detail.get("split_from"):
                return _("Part of split victims %(ids)s") % {"ids": public_ids(detail["split_from"])}
            return str(_("New records"))
        if self.kind == self.Kind.ABSORBED:
            return _("Merged with %(ids)s, which now share its id") % {"ids": public_ids(detail.get("absorbed", []))}
        if self.kind == self.Kind.MERGED:
            return _("Merged into %(id)s (the older id is kept)") % {"id": public_ids([detail["merged_into"]])}
        if self.kind == self.Kind.RECORDS_ADDED:
            return _("Linked %(count)d more record(s)") % {"count": len(detail.get("records", []))}
        if self.kind == self.Kind.SPLIT:
            return _("Its records no longer belong together: split into %(ids)s") % {
                "ids": public_ids(detail.get("parts", []))
            }
        return _("Case status %(old_status)s → %(status)s, category %(old)s → %(new)s") % {
            "old_status": _label(Victim.CaseStatus, detail.get("old_status")),
            "status": _label(Victim.CaseStatus, detail.get("status")),
            "old": _label(Category, detail.get("old_category")),
            "new": _label(Category, detail.get("category")),
        }


def public_ids(victim_ids) -> str:
    """Victims' ids as the pages write them: V-0000042, ..."""
    return ", ".join(f"V-{victim:07d}" for victim in victim_ids)


def _label(choices, code: str | None) -> str:
    return str(choices(code).label) if code in choices.values else "-"
