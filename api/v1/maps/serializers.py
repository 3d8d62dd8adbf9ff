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


class ChoroplethUnitSerializer(serializers.Serializer):
    """The properties of a unit's geometry in the topology."""

    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(help_text="The code of the unit it lies in (a municipality's department).")
    count = serializers.JSONField(help_text="Events in the 12 months; '<5' or 'x' where hidden; null: no data.")
    rate = serializers.FloatField(allow_null=True, help_text="Per 100,000 people a year; null where hidden or no data.")
    rate_low = serializers.FloatField(allow_null=True, help_text="Exact Poisson 95% interval.")
    rate_high = serializers.FloatField(allow_null=True)
    unstable = serializers.BooleanField(help_text="Fewer than `unstable_below` events.")
    status = serializers.ChoiceField(choices=["provisional", "final"], allow_null=True)
    no_data = serializers.BooleanField(help_text="No source of the basis covered the unit for the whole period.")
    class_index = serializers.IntegerField(
        source="class", allow_null=True, help_text="Its class in `classification.classes` (0 the lowest)."
    )


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
        help_text="TopoJSON; object `units`, one geometry per unit (id: the unit's id) with the properties of "
        "ChoroplethUnit."
    )
