from rest_framework import serializers

from observatory.accounts.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor_label", "action", "target_type", "target_id", "detail", "ip_address"]
