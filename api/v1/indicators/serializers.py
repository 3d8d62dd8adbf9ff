from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from observatory.indicators.models import Alert, TimelineEvent, UndercountEstimate, Vintage


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


class _EventUnitSerializer(serializers.Serializer):
    level = serializers.CharField(help_text=_("country, department, municipality, colonia or jurisdiction."))
    code = serializers.CharField(help_text=_("The unit's official code (a police jurisdiction's own code)."))
    name = serializers.CharField()


class TimelineEventSerializer(serializers.ModelSerializer):
    """An event with its texts in the language asked for (`lang`, else the request's), falling back to the other
    language where an analyst wrote only that one: `title_language` and `description_language` say which."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True, help_text=_("The kind, in words."))
    units = serializers.SerializerMethodField(
        help_text=_("The units the event was recorded for; the charts of the units within them mark it too.")
    )
    source = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        help_text=_("The source whose definitions or coverage changed, if the event is about one."),
    )
    title = serializers.SerializerMethodField(help_text=_("The public title."))
    title_language = serializers.SerializerMethodField(help_text=_("es or en: the language the title is in."))
    description = serializers.SerializerMethodField(help_text=_("The public description."))
    description_language = serializers.SerializerMethodField(
        help_text=_("es or en: the language the description is in.")
    )

    class Meta:
        model = TimelineEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "start_date",
            "end_date",
            "units",
            "source",
            "title",
            "title_language",
            "description",
            "description_language",
            "recorded_at",
            "updated_at",
        ]
        extra_kwargs = {
            "kind": {"help_text": _("The kind of event, as a code; kind_label says it in words.")},
            "start_date": {"help_text": _("The day the event started (YYYY-MM-DD).")},
            "end_date": {"help_text": _("The day it ended; null for an event of one day or still going on.")},
            "recorded_at": {"help_text": _("When an analyst recorded it.")},
            "updated_at": {"help_text": _("When it was last changed.")},
        }

    @extend_schema_field(_EventUnitSerializer(many=True))
    def get_units(self, event) -> list[dict]:
        units = [{"level": unit.level, "code": unit.code, "name": unit.name} for unit in event.units.all()]
        return units + [
            {"level": "jurisdiction", "code": place.code, "name": place.name} for place in event.jurisdictions.all()
        ]

    def get_title(self, event) -> str:
        return event.text_in("title", self.context["language"])[0]

    def get_title_language(self, event) -> str:
        return event.text_in("title", self.context["language"])[1]

    def get_description(self, event) -> str:
        return event.text_in("description", self.context["language"])[0]

    def get_description_language(self, event) -> str:
        return event.text_in("description", self.context["language"])[1]
