import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.PUBLIC)
    source_code = models.CharField(
        _("source"),
        max_length=32,
        blank=True,
        help_text=_("For a source uploader: the source (institution) this account uploads for."),
    )
    # By app label, not imported: geography and the accounts stand apart.
    jurisdictions = models.ManyToManyField(
        "geography.PoliceJurisdiction",
        verbose_name=_("police jurisdictions"),
        blank=True,
        related_name="+",
        help_text=_("For a commander: the jurisdictions they command (their CompStat page and alerts open on them)."),
    )
    alerts_seen_at = models.DateTimeField(_("alerts last read"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.SOURCE_UPLOADER) | ~models.Q(source_code=""),
                name="uploader_has_source",
                violation_error_message=_("A source uploader must belong to a source."),
            )
        ]


class ApiKey(models.Model):
    """A key for NGOs and researchers: same public data, higher rate limits.

    Only a hash is stored; the key is shown once, when it is created.
    """

    name = models.CharField(_("holder"), max_length=200, help_text=_("Organisation or person holding the key."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @staticmethod
    def generate_raw_key() -> str:
        return secrets.token_urlsafe(32)


class AuditEvent(models.Model):
    """Append-only: the database refuses UPDATE and DELETE on this table (see migration 0002)."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=100, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type} {self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only and cannot be deleted.")
