from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from observatory.indicators.portal import Period
from observatory.indicators.terms import RECONCILED, Series, UnitLevel


class ChoroplethQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        required=False,
        help_text="A calendar year (2023) or the 12 months ending at a month (2024-10); the latest complete year if "
        "empty.",
    )
    level = serializers.ChoiceField(
        choices=[UnitLevel.DEPARTMENT, UnitLevel.MUNICIPALITY, UnitLevel.COLONIA], default=UnitLevel.MUNICIPALITY
    )
    category = serializers.ChoiceField(choices=Series.choices, default=Series.HOMICIDE)
    basis = serializers.SlugField(default=RECONCILED, help_text="reconciled, or a source's code.")
    vintage = serializers.IntegerField(required=False, min_value=1, help_text="An earlier vintage (default: latest).")

    def validate_period(self, value: str) -> Period:
        period = Period.parse(value)
        if period is None:
            raise serializers.ValidationError(_("Write a year (2023) or a year and month (2024-10)."))
        return period


class _PeriodSerializer(serializers.Serializer):
    code = serializers.CharField()
    is_year = serializers.BooleanField()
    first_month = serializers.CharField(help_text="YYYY-MM")
    last_month = serializers.CharField(help_text="YYYY-MM")
    provisional = serializers.BooleanField(help_text="A month of the period is still provisional in the country.")


class _ClassSerializer(serializers.Serializer):
    low = serializers.FloatField()
    high = serializers.FloatField()
    units = serializers.IntegerField()


class _ClassificationSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=["fisher_jenks", "quantiles"], allow_null=True)
    classes = _ClassSerializer(many=True)


class ChoroplethSerializer(serializers.Serializer):
    """What the map of rates reads, for the schema: the payload is built and cached whole by the selector."""

    vintage = serializers.IntegerField()
    level = serializers.CharField()
    category = serializers.CharField()
    basis = serializers.CharField()
    period = _PeriodSerializer()
    unstable_below = serializers.IntegerField()
    classification = _ClassificationSerializer()
    topology = serializers.JSONField(
        help_text="TopoJSON, object `units`: one geometry per unit (id: the unit's id) whose properties are code, "
        "name, parent (the code of the unit it lies in), count (events in the 12 months; '<5' or 'x' where hidden; "
        "null: no data), rate per 100,000 a year with rate_low and rate_high (its exact Poisson 95% interval; null "
        "where hidden, without population or no data), unstable (fewer than `unstable_below` events), status "
        "(provisional, final or null), no_data (no source of the basis covered the unit for the whole period) and "
        "class (its index in `classification.classes`, 0 the lowest; null without a rate)."
    )
