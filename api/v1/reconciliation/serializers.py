from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from observatory.reconciliation.models import LinkageRun

from ..descriptions import INTERVAL_HIGH, INTERVAL_LOW


class LinkageRunSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkageRun
        fields = [
            "id",
            "kind",
            "finished_at",
            "records_considered",
            "candidate_pairs",
            "pairs_compared",
            "pairs_scored",
            "review_pairs",
            "model_trained",
        ]
        extra_kwargs = {
            "id": {"help_text": _("Identifier of the run.")},
            "kind": {"help_text": _("full (every record linked again) or incremental (new and changed records).")},
            "finished_at": {"help_text": _("When the run ended.")},
            "records_considered": {"help_text": _("Records the run compared.")},
            "candidate_pairs": {"help_text": _("Pairs its blocking rules put side by side.")},
            "pairs_compared": {
                "help_text": _("Of them, pairs the model scored: those that could reach the review threshold.")
            },
            "pairs_scored": {"help_text": _("Scored pairs it kept (at or above the review threshold).")},
            "review_pairs": {"help_text": _("Pairs it left for an analyst's review.")},
            "model_trained": {"help_text": _("The model's parameters were estimated again in this run.")},
        }


class BandSerializer(serializers.Serializer):
    low = serializers.FloatField(help_text=_("Match probability from (included)."))
    high = serializers.FloatField(help_text=_("Match probability to (excluded, but for 1)."))
    pairs = serializers.IntegerField(help_text=_("Scored pairs in the band."))
    linked = serializers.IntegerField(help_text=_("Of them, pairs whose two records are in one victim."))
    decided_match = serializers.IntegerField(help_text=_("Pairs analysts decided are the same person."))
    decided_non_match = serializers.IntegerField(help_text=_("Pairs analysts decided are not."))
    match_share = serializers.FloatField(help_text=_("Estimated share of true matches among the band's pairs."))


@extend_schema_serializer(many=False)  # the list action answers one report, not a list
class LinkageQualitySerializer(serializers.Serializer):
    run = LinkageRunSummarySerializer(help_text=_("The latest linkage run that ended."))
    match_threshold = serializers.FloatField(help_text=_("Pairs at or above it are linked without review."))
    review_threshold = serializers.FloatField(help_text=_("Pairs from it to the match threshold wait for review."))
    pairs_scored = serializers.IntegerField(help_text=_("Scored pairs kept (at or above the review threshold)."))
    pairs_linked = serializers.IntegerField(help_text=_("Of them, pairs whose two records are in one victim."))
    decided_match = serializers.IntegerField(help_text=_("Pairs analysts decided are the same person."))
    decided_non_match = serializers.IntegerField(help_text=_("Pairs analysts decided are not."))
    decided_unsure = serializers.IntegerField(help_text=_("Pairs analysts marked unsure."))
    pending_review = serializers.IntegerField(help_text=_("Pairs in the review band not decided yet."))
    precision = serializers.FloatField(
        source="estimate.precision",
        allow_null=True,
        help_text=_("Estimated share of the linked pairs that are the same person."),
    )
    precision_low = serializers.FloatField(
        source="estimate.precision_low",
        allow_null=True,
        help_text=INTERVAL_LOW,
    )
    precision_high = serializers.FloatField(
        source="estimate.precision_high",
        allow_null=True,
        help_text=INTERVAL_HIGH,
    )
    recall = serializers.FloatField(
        source="estimate.recall",
        allow_null=True,
        help_text=_("Estimated share of the scored pairs that are the same person which the victims link."),
    )
    recall_low = serializers.FloatField(
        source="estimate.recall_low",
        allow_null=True,
        help_text=INTERVAL_LOW,
    )
    recall_high = serializers.FloatField(
        source="estimate.recall_high",
        allow_null=True,
        help_text=INTERVAL_HIGH,
    )
    bands = BandSerializer(
        source="estimate.bands", many=True, help_text=_("The scored pairs by band of match probability.")
    )
