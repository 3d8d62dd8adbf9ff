from rest_framework import serializers

from observatory.reconciliation.models import LinkageRun


class LinkageRunSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkageRun
        fields = ["id", "kind", "finished_at", "records_considered", "pairs_scored", "review_pairs", "model_trained"]


class BandSerializer(serializers.Serializer):
    low = serializers.FloatField(help_text="Match probability from (included).")
    high = serializers.FloatField(help_text="Match probability to (excluded, but for 1).")
    pairs = serializers.IntegerField(help_text="Scored pairs in the band.")
    linked = serializers.IntegerField(help_text="Of them, pairs whose two records are in one victim.")
    decided_match = serializers.IntegerField(help_text="Pairs analysts decided are the same person.")
    decided_non_match = serializers.IntegerField(help_text="Pairs analysts decided are not.")
    match_share = serializers.FloatField(help_text="Estimated share of true matches among the band's pairs.")


class LinkageQualitySerializer(serializers.Serializer):
    run = LinkageRunSummarySerializer(help_text="The latest linkage run that ended.")
    match_threshold = serializers.FloatField(help_text="Pairs at or above it are linked without review.")
    review_threshold = serializers.FloatField(help_text="Pairs from it to the match threshold wait for review.")
    pairs_scored = serializers.IntegerField(help_text="Scored pairs kept (at or above the review threshold).")
    pairs_linked = serializers.IntegerField(help_text="Of them, pairs whose two records are in one victim.")
    decided_match = serializers.IntegerField(help_text="Pairs analysts decided are the same person.")
    decided_non_match = serializers.IntegerField(help_text="Pairs analysts decided are not.")
    decided_unsure = serializers.IntegerField(help_text="Pairs analysts marked unsure.")
    pending_review = serializers.IntegerField(help_text="Pairs in the review band not decided yet.")
    precision = serializers.FloatField(
        source="estimate.precision",
        allow_null=True,
        help_text="Estimated share of the linked pairs that are the same person.",
    )
    precision_low = serializers.FloatField(source="estimate.precision_low", allow_null=True, help_text="95% bound.")
    precision_high = serializers.FloatField(
        source="estimate.precision_high", allow_null=True, help_text="95% interval."
    )
    recall = serializers.FloatField(
        source="estimate.recall",
        allow_null=True,
        help_text="Estimated share of the scored pairs that are the same person which the victims link.",
    )
    recall_low = serializers.FloatField(source="estimate.recall_low", allow_null=True, help_text="95% bound.")
    recall_high = serializers.FloatField(source="estimate.recall_high", allow_null=True, help_text="95% bound.")
    bands = BandSerializer(source="estimate.bands", many=True)
