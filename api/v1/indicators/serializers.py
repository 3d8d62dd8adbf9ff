from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from observatory.indicators.models import Alert, TimelineEvent, UndercountEstimate, Vintage

from ..descriptions import (
    AGE_BAND,
    BASIS,
    CATEGORY,
    ID,
    INTERVAL_HIGH,
    INTERVAL_LOW,
    JOB_FIELDS,
    LEVEL,
    MONTH,
    MONTHS,
    SEX,
    UNIT_CODE,
    UNIT_NAME,
    VINTAGE,
)

_COUNT = _("A count; '<5' or 'x' where the public may not see it; null where there is no data.")


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
            **JOB_FIELDS,
            "id": {"help_text": _("Number of the vintage: cite it with the figures.")},
            "kind": {"help_text": _("full (every month recomputed) or incremental (the months new data touched).")},
            "reason": {"help_text": _("Why it was computed (a publication, new data, ...).")},
            "data_as_of": {"help_text": _("Records and victims changed after this moment are not included.")},
            "first_month": {"help_text": _("First month recomputed; null before the vintage ran.")},
            "last_month": {"help_text": _("Last month recomputed; null before the vintage ran.")},
            "rows_added": {"help_text": _("Series added or revised.")},
            "rows_retired": {"help_text": _("Series replaced by this vintage's.")},
            "undercount_strata": {"help_text": _("Units and years whose undercount was estimated.")},
            "source_cutoffs": {
                "help_text": _(
                    "The latest event date among each source's records (YYYY-MM-DD): its data reach that day."
                )
            },
            "settling_days": {
                "help_text": _(
                    "A month is final once every source covering it has data past its end plus these days; "
                    "provisional before."
                )
            },
            "disclosure_audit": {
                "help_text": _(
                    "Small counts audited (cells), the narrowest interval any keeps given everything published "
                    "(narrowest_low, narrowest_high; null: unbounded), cells hidden to widen it; months: the months "
                    "audited (an incremental vintage audits only the months it recounted and keeps the others' "
                    "published suppression); rules: the suppression settings followed."
                )
            },
        }


@extend_schema_field({"oneOf": [{"type": "integer", "nullable": True}, {"type": "string", "enum": ["<5", "x"]}]})
class _CountOrMark(serializers.Field):
    """A count, or '<5' / 'x' where the public may not see it."""

    def to_representation(self, value):
        return value


class MonthFigureSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=MONTH)
    count = _CountOrMark(help_text=format_lazy("{} {}", _("Events in the month."), _COUNT))
    population = serializers.IntegerField(allow_null=True, help_text=_("Population at mid-month; null if unknown."))
    rate = serializers.FloatField(allow_null=True, help_text=_("Per 100,000 in the month."))
    # xgettext:no-python-format
    rate_low = serializers.FloatField(allow_null=True, help_text=_("Low end of the rate's exact 95% interval."))
    # xgettext:no-python-format
    rate_high = serializers.FloatField(allow_null=True, help_text=_("High end of the rate's exact 95% interval."))
    annual_rate = serializers.FloatField(
        allow_null=True, help_text=_("The month's rate per 100,000 a year (annualised).")
    )
    annual_rate_low = serializers.FloatField(allow_null=True, help_text=INTERVAL_LOW)
    annual_rate_high = serializers.FloatField(allow_null=True, help_text=INTERVAL_HIGH)
    rolling_count = _CountOrMark(help_text=format_lazy("{} {}", _("Events in the 12 months to this one."), _COUNT))
    rolling_rate = serializers.FloatField(
        allow_null=True, help_text=_("Rate per 100,000 over the 12 months to this one.")
    )
    rolling_rate_low = serializers.FloatField(allow_null=True, help_text=INTERVAL_LOW)
    rolling_rate_high = serializers.FloatField(allow_null=True, help_text=INTERVAL_HIGH)
    count_year_before = _CountOrMark(
        help_text=format_lazy("{} {}", _("Events in the same month a year before."), _COUNT)
    )
    change_year_before = serializers.FloatField(
        allow_null=True, help_text=_("Change from the same month a year before, in per cent.")
    )
    ytd_count = _CountOrMark(help_text=format_lazy("{} {}", _("Events from January to this month."), _COUNT))
    ytd_count_year_before = _CountOrMark(
        help_text=format_lazy("{} {}", _("Events over the same months a year before."), _COUNT)
    )
    change_ytd = serializers.FloatField(
        allow_null=True, help_text=_("Change of the year-to-date count from a year before, in per cent.")
    )
    unstable = serializers.BooleanField(
        allow_null=True, help_text=_("Fewer than 20 events; null where the count is suppressed.")
    )
    suppressed = serializers.CharField(
        help_text=_(
            "Why the count is hidden: primary (a small count, '<5') or complementary ('x', so that a total cannot "
            "reveal a small one); empty where it is shown."
        )
    )
    coverage = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "Share of the unit (of its population, for a department or the country) that a source of the basis "
            "covered that month: 1 full, 0 no data (every figure of the month is then null), between them partial "
            "coverage. Null for figures computed before coverage was kept."
        ),
    )
    covering_sources = serializers.CharField(
        help_text=_("The sources that covered the unit that month, e.g. coroner+police.")
    )
    status = serializers.ChoiceField(
        choices=["provisional", "final"],
        allow_null=True,
        help_text=_(
            "provisional while a source covering the month has not sent data past its end plus the settling days "
            "(no change figures then); final after. Null where there is no data."
        ),
    )


class MonthlySeriesSerializer(serializers.Serializer):
    level = serializers.CharField(help_text=LEVEL)
    unit_code = serializers.CharField(help_text=UNIT_CODE)
    unit_name = serializers.CharField(help_text=UNIT_NAME)
    category = serializers.CharField(help_text=CATEGORY)
    basis = serializers.CharField(help_text=BASIS)
    sex = serializers.CharField(help_text=SEX)
    age_band = serializers.CharField(help_text=AGE_BAND)
    vintage = serializers.IntegerField(help_text=VINTAGE)
    months = MonthFigureSerializer(many=True, help_text=MONTHS)


class _UnitLabelled(serializers.ModelSerializer):
    unit_code = serializers.SerializerMethodField(help_text=UNIT_CODE)
    unit_name = serializers.SerializerMethodField(help_text=UNIT_NAME)

    def get_unit_code(self, obj) -> str:
        return self.context["labels"].get((obj.level, obj.unit_id), ("", ""))[0]

    def get_unit_name(self, obj) -> str:
        return self.context["labels"].get((obj.level, obj.unit_id), ("", ""))[1]


class UndercountEstimateSerializer(_UnitLabelled):
    category = serializers.CharField(source="series", help_text=CATEGORY)
    label = serializers.SerializerMethodField(help_text=_("estimate, or not estimable."))
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
        extra_kwargs = {
            "vintage": {"help_text": VINTAGE},
            "level": {"help_text": LEVEL},
            "year": {"help_text": _("Year estimated.")},
            "status": {"help_text": _("estimated, or refused where the data cannot support an estimate.")},
            "observed": {"help_text": _("Victims the sources recorded.")},
            "pattern_counts": {
                "help_text": _("Victims by the set of sources that recorded them (e.g. coroner+police: 12).")
            },
            "estimate": {"help_text": _("Estimated true number of victims; null when refused.")},
            "estimate_low": {"help_text": INTERVAL_LOW},
            "estimate_high": {"help_text": INTERVAL_HIGH},
            "model": {"help_text": _("The log-linear model chosen among those compared.")},
            "reason_code": {"help_text": _("Why the data cannot support an estimate, as a code; empty otherwise.")},
            "reason": {"help_text": _("The same reason, in words.")},
            "detail": {"help_text": _("The models compared, with their fit, and the assumptions made.")},
        }

    def get_label(self, obj) -> str:
        return "estimate" if obj.status == UndercountEstimate.Status.ESTIMATED else "not estimable"


class AlertSerializer(_UnitLabelled):
    category = serializers.CharField(source="series", help_text=CATEGORY)
    kind_label = serializers.CharField(source="get_kind_display", help_text=_("The kind of alert, in words."))

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
        extra_kwargs = {
            "id": {"help_text": ID},
            "vintage": {"help_text": VINTAGE},
            "kind": {"help_text": _("spike (a count well above its expected value) or hidden_violence.")},
            "level": {"help_text": LEVEL},
            "month": {"help_text": _("First day of the month flagged.")},
            "basis": {"help_text": BASIS},
            "observed": {"help_text": _("The count observed.")},
            "expected": {"help_text": _("The count expected from the unit's history.")},
            "p_value": {"help_text": _("Chance of a count this high were nothing unusual happening.")},
            "detail": {"help_text": _("The test's further figures.")},
        }


class _EventUnitSerializer(serializers.Serializer):
    level = serializers.CharField(help_text=_("country, department, municipality, colonia or jurisdiction."))
    code = serializers.CharField(help_text=_("The unit's official code (a police jurisdiction's own code)."))
    name = serializers.CharField(help_text=UNIT_NAME)


# An event with its texts in the language asked for (`lang`, else the request's), falling back to the other language
# where an analyst wrote only that one: `title_language` and `description_language` say which. (A comment, not a
# docstring: the schema would publish a docstring, in English only.)
class TimelineEventSerializer(serializers.ModelSerializer):
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
            "id": {"help_text": ID},
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
