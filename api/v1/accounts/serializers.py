from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from observatory.accounts.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor_label", "action", "target_type", "target_id", "detail", "ip_address"]
        extra_kwargs = {
            "id": {"help_text": _("Identifier of the event.")},
            "at": {"help_text": _("When it happened.")},
            "actor_label": {"help_text": _("Who did it, as recorded at the time (a user name, or system).")},
            "action": {"help_text": _("What was done, as a code (e.g. login, import_run.create).")},
            "target_type": {"help_text": _("Kind of object acted on; empty when none.")},
            "target_id": {"help_text": _("Identifier of the object acted on; empty when none.")},
            "detail": {"help_text": _("Further facts of the event, as an object.")},
            "ip_address": {"help_text": _("Address the request came from; null when unknown.")},
        }
