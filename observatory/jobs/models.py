from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """What every job row has, whatever its work: an import run, a linkage run, an indicator vintage."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    # How far the job has got, as a share of its work from 0 to 1 (the import page's bar, the API, one scale for
    # every job), and in words what it is doing or, once ended, what it came to ("Scoring candidate pairs", "Same
    # file as run #12"). Written by services.job_progress.
    progress = models.FloatField(_("progress"), default=0.0)
    progress_note = models.CharField(_("progress note"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Times the job was started: more than one after a worker died before the job ended (see services).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=1), name="%(app_label)s_%(class)s_progress_is_a_share"
            ),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class ReasonedJob(Job):
    """A job that says why it ran: a code of the subclass's `reason_code` choices, whose label is rendered in the
    reader's language with `reason_params` ("after import run #%(run)d", {"run": 12}); or words a person wrote."""

    reason_params = models.JSONField(_("reason's figures"), default=dict, blank=True)
    reason = models.CharField(_("reason in words"), max_length=200, blank=True)

    class Meta(Job.Meta):
        abstract = True

    @property
    def reason_text(self) -> str:
        """Why it ran, in the reader's language."""
        if self.reason_code:
            return str(self.get_reason_code_display()) % self.reason_params
        return self.reason
