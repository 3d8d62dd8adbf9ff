from rest_framework import serializers

from api.v1.indicators.serializers import _CountOrMark
from observatory.indicators.reports import HIDDEN_VIOLENCE_COLUMNS

_COUNT_HELP = "A count; '<5' or 'x' where the public may not see it; null where no source covered the month."


class _CountsByName(serializers.DictField):
    child = _CountOrMark()


class DiscrepancyConflictsSerializer(serializers.Serializer):
    classification = _CountOrMark(help_text="Victims whose sources disagree on the kind of event.")
    date = _CountOrMark(help_text="Victims whose sources' dates lie further apart than the setting allows.")
    place = _CountOrMark(help_text="Victims whose sources name different municipalities.")


class DiscrepancyMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    status = serializers.CharField(allow_null=True, help_text="provisional or final; null where there is no data.")
    victims = _CountOrMark(help_text="Reconciled victims. " + _COUNT_HELP)
    records = _CountsByName(help_text="Each source's records of the category. " + _COUNT_HELP)
    patterns = _CountsByName(
        help_text="Victims by the set of sources that recorded them (coroner+police, police, ...); patterns with "
        "none are left out. 'x' for a protected series (sexual violence) wherever the month has victims."
    )
    conflicts = DiscrepancyConflictsSerializer()


class DiscrepancySerializer(serializers.Serializer):
    level = serializers.CharField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    category = serializers.CharField()
    vintage = serializers.IntegerField()
    months = DiscrepancyMonthSerializer(many=True)


class HiddenViolenceMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    status = serializers.CharField(allow_null=True, help_text="provisional or final; null where there is no data.")
    coverage = serializers.FloatField(allow_null=True, help_text="Share of the unit the basis's sources covered.")

    def get_fields(self):
        fields = super().get_fields()
        for category in HIDDEN_VIOLENCE_COLUMNS:
            fields[category.value] = _CountOrMark(help_text=f"{category.label}: the month's count. {_COUNT_HELP}")
            fields[f"{category.value}_12m"] = _CountOrMark(help_text=f"{category.label}: the 12 months to this one.")
        return fields


class HiddenViolenceSerializer(serializers.Serializer):
    level = serializers.CharField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    basis = serializers.CharField()
    vintage = serializers.IntegerField()
    months = HiddenViolenceMonthSerializer(many=True)


class SilentRunSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    first = serializers.CharField(help_text="YYYY-MM")
    last = serializers.CharField(help_text="YYYY-MM")


class SourceCoverageSerializer(serializers.Serializer):
    source = serializers.CharField()
    name = serializers.CharField()
    data_until = serializers.DateField(
        source="day", allow_null=True, help_text="Cut-off: the latest event date among the source's records."
    )
    kind = serializers.ChoiceField(
        choices=["declared", "inferred"],
        help_text="declared by an analyst, or inferred from the municipalities and months the source has records for.",
    )
    municipalities = serializers.IntegerField(help_text="Municipalities covered.")
    first_month = serializers.CharField(source="first", help_text="First month with records, YYYY-MM.")
    last_month = serializers.CharField(source="last", help_text="Last month with records, YYYY-MM.")
    silent = SilentRunSerializer(
        many=True, help_text="Declared municipalities the source sent no record for during these months."
    )
    settling_days = serializers.IntegerField(
        allow_null=True, help_text="A month is final once the source's data reach past its end plus these days."
    )
    vintage = serializers.IntegerField()
