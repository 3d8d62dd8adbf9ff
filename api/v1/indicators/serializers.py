from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from observatory.indicators.models import Alert, UndercountEstimate, Vintage


class VintageSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(
        source="reason_text", read_only=True, help_text=_("Why it was computed, in the reader's language.")
    )

    class Meta:
        model = Vintage
        fields = [
            "id",
            "kind",
            "status",
            "reason",
            "queued_at",
            "started_at",
            "finished_at",
            "data_as_of",
            "first_month",
            "last_month",
            "rows_added",
            "rows_retired",
            "undercount_strata",
            "disclosure_audit",
            "progress",
            "progress_note",
            "error",
            "attempts",
            "source_cutoffs",
            "settling_days",
        ]
        extra_kwargs = {
            "source_cutoffs": {
                "help_text": "The latest event date among each source's records (YYYY-MM-DD): its data reach that day."
            },
            "settling_days": {
                "help_text": "A month is final once every source covering it has data "
                "past its end plus these days; provisional before."
            },
            "disclosure_audit": {
                "help_text": "Small counts audited (cells), the narrowest interval any "
                "keeps given everything published (narrowest_low, "
                "narrowest_high; null: unbounded), cells hidden to widen it; "
                "months: the months audited (an incremental vintage audits only the months it "
                "recounted and keeps the others' published suppression); rules: the suppression "
                "settings followed."
            },
        }


@extend_schema_field({"oneOf": [{"type": "integer", "nullable": True}, {"type": "string", "enum": ["<5", "x"]}]})
class _CountOrMark(serializers.Field):
    """A count, or '<5' / 'x' where the public may not see it."""

    def to_representation(self, value):
        return value


class MonthFigureSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    count = _CountOrMark()
    population = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="Per 100,000 in the month.")
    rate_low = serializers.FloatField(allow_null=True)
    rate_high = serializers.FloatField(allow_null=True)
    annual_rate = serializers.FloatField(allow_null=True)
    annual_rate_low = serializers.FloatField(allow_null=True)
    annual_rate_high = serializers.FloatField(allow_null=True)
    rolling_count = _CountOrMark()
    rolling_rate = serializers.FloatField(allow_null=True)
    rolling_rate_low = serializers.FloatField(allow_null=True)
    rolling_rate_high = serializers.FloatField(allow_null=True)
    count_year_before = _CountOrMark()
    change_year_before = serializers.FloatField(allow_null=True, help_text="%")
    ytd_count = _CountOrMark()
    ytd_count_year_before = _CountOrMark()
    change_ytd = serializers.FloatField(allow_null=True, help_text="%")
    unstable = serializers.BooleanField(
        allow_null=True, help_text="Fewer than 20 events; null where the count is suppressed."
    )
    suppressed = serializers.CharField()
    coverage = serializers.FloatField(
        allow_null=True,
        help_text=(
            "Share of the unit (of its population, for a department or the country) that a source of the basis "
            "covered that month: 1 full, 0 no data (every figure of the month is then null), between them partial "
            "coverage. Null for figures computed before coverage was kept."
        ),
    )
    covering_sources = serializers.CharField(
        help_text="The sources that covered the unit that month, e.g. coroner+police."
    )
    status = serializers.ChoiceField(
        choices=["provisional", "final"],
        allow_null=True,
        help_text=(
            "provisional while a source covering the month has not sent data past its end plus the settling days "
            "(no change figures then); final after. Null where there is no data."
        ),
    )


class MonthlySeriesSerializer(serializers.Serializer):
    level = serializers.CharField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    category = serializers.CharField()
    basis = serializers.CharField()
    sex = serializers.CharField()
    age_band = serializers.CharField()
    vintage = serializers.IntegerField()
    months = MonthFigureSerializer(many=True)


class _UnitLabelled(serializers.ModelSerializer):
    unit_code = serializers.SerializerMethodField()
    unit_name = serializers.SerializerMethodField()

    def get_unit_code(self, obj) -> str:
        return self.context["labels"].get((obj.level, obj.unit_id), ("", ""))[0]

    def get_unit_name(self, obj) -> str:
        return self.context["labels"].get((obj.level, obj.unit_id), ("", ""))[1]


class UndercountEstimateSerializer(_UnitLabelled):
    category = serializers.CharField(source="series")
    label = serializers.SerializerMethodField()
    reason = serializers.CharField(read_only=True, help_text=_("Why it was not estimated, in the reader's language."))
    assumptions = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("What the estimate holds under.")
    )

    class Meta:
        model = UndercountEstimate
        fields = [
            "vintage",
            "level",
            "unit_code",
            "unit_name",
            "year",
            "category",
            "status",
            "observed",
            "pattern_counts",
            "estimate",
            "estimate_low",
            "estimate_high",
            "model",
            "reason_code",
            "reason",
            "assumptions",
            "detail",
            "label",
        ]

    def get_label(self, obj) -> str:
        return "estimate" if obj.status == UndercountEstimate.Status.ESTIMATED else "not estimable"


class AlertSerializer(_UnitLabelled):
    category = serializers.CharField(source="series")
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Alert
        fields = [
            "id",
            "vintage",
            "kind",
            "kind_label",
            "level",
            "unit_code",
            "unit_name",
            "month",
            "category",
            "basis",
            "observed",
            "expected",
            "p_value",
            "detail",
        ]
