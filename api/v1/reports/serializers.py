from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.v1.indicators.serializers import _CountOrMark
from observatory.indicators.reports import HIDDEN_VIOLENCE_COLUMNS

from ..descriptions import BASIS, CATEGORY, LEVEL, MONTH, MONTH_STATUS, MONTHS, UNIT_CODE, UNIT_NAME, VINTAGE

_COUNT_HELP = _("A count; '<5' or 'x' where the public may not see it; null where no source covered the month.")


class _CountsByName(serializers.DictField):
    child = _CountOrMark(help_text=_COUNT_HELP)


class DiscrepancyConflictsSerializer(serializers.Serializer):
    classification = _CountOrMark(help_text=_("Victims whose sources disagree on the kind of event."))
    date = _CountOrMark(help_text=_("Victims whose sources' dates lie further apart than the setting allows."))
    place = _CountOrMark(help_text=_("Victims whose sources name different municipalities."))


class DiscrepancyMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=MONTH)
    status = serializers.CharField(allow_null=True, help_text=MONTH_STATUS)
    victims = _CountOrMark(help_text=format_lazy("{} {}", _("Reconciled victims."), _COUNT_HELP))
    records = _CountsByName(help_text=format_lazy("{} {}", _("Each source's records of the category."), _COUNT_HELP))
    patterns = _CountsByName(
        help_text=_(
            "Victims by the set of sources that recorded them (coroner+police, police, ...); patterns with none are "
            "left out. 'x' for a protected series (sexual violence) wherever the month has victims."
        )
    )
    conflicts = DiscrepancyConflictsSerializer(help_text=_("Victims whose sources' records conflict, by what."))


class DiscrepancySerializer(serializers.Serializer):
    level = serializers.CharField(help_text=LEVEL)
    unit_code = serializers.CharField(help_text=UNIT_CODE)
    unit_name = serializers.CharField(help_text=UNIT_NAME)
    category = serializers.CharField(help_text=CATEGORY)
    vintage = serializers.IntegerField(help_text=VINTAGE)
    months = DiscrepancyMonthSerializer(many=True, help_text=MONTHS)


class HiddenViolenceMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=MONTH)
    status = serializers.CharField(allow_null=True, help_text=MONTH_STATUS)
    coverage = serializers.FloatField(allow_null=True, help_text=_("Share of the unit the basis's sources covered."))

    def get_fields(self):
        fields = super().get_fields()
        for category in HIDDEN_VIOLENCE_COLUMNS:
            fields[category.value] = _CountOrMark(
                help_text=format_lazy(
                    _("{category}: the month's count. {count}"), category=category.label, count=_COUNT_HELP
                )
            )
            fields[f"{category.value}_12m"] = _CountOrMark(
                help_text=format_lazy(_("{category}: the 12 months to this one."), category=category.label)
            )
        return fields


class HiddenViolenceSerializer(serializers.Serializer):
    level = serializers.CharField(help_text=LEVEL)
    unit_code = serializers.CharField(help_text=UNIT_CODE)
    unit_name = serializers.CharField(help_text=UNIT_NAME)
    basis = serializers.CharField(help_text=BASIS)
    vintage = serializers.IntegerField(help_text=VINTAGE)
    months = HiddenViolenceMonthSerializer(many=True, help_text=MONTHS)


class SilentRunSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Official code of the municipality."))
    name = serializers.CharField(help_text=_("Name of the municipality."))
    first = serializers.CharField(help_text=_("First silent month, YYYY-MM."))
    last = serializers.CharField(help_text=_("Last silent month, YYYY-MM."))


class SourceCoverageSerializer(serializers.Serializer):
    source = serializers.CharField(help_text=_("Code of the source (police, coroner, hospital, ...)."))
    name = serializers.CharField(help_text=_("Name of the source."))
    data_until = serializers.DateField(
        source="day", allow_null=True, help_text=_("Cut-off: the latest event date among the source's records.")
    )
    kind = serializers.ChoiceField(
        choices=["declared", "inferred"],
        help_text=_(
            "declared by an analyst, or inferred from the municipalities and months the source has records for."
        ),
    )
    municipalities = serializers.IntegerField(help_text=_("Municipalities covered."))
    first_month = serializers.CharField(source="first", help_text=_("First month with records, YYYY-MM."))
    last_month = serializers.CharField(source="last", help_text=_("Last month with records, YYYY-MM."))
    silent = SilentRunSerializer(
        many=True, help_text=_("Declared municipalities the source sent no record for during these months.")
    )
    settling_days = serializers.IntegerField(
        allow_null=True, help_text=_("A month is final once the source's data reach past its end plus these days.")
    )
    vintage = serializers.IntegerField(help_text=VINTAGE)
