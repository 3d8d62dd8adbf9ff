from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from observatory.indicators.portal import Period
from observatory.indicators.terms import RECONCILED, Series, UnitLevel

from ..descriptions import BASIS, CATEGORY, VINTAGE, VINTAGE_PARAMETER


class ChoroplethQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        required=False,
        help_text=_(
            "A calendar year (2023) or the 12 months ending at a month (2024-10); the latest complete year if empty."
        ),
    )
    level = serializers.ChoiceField(
        choices=[UnitLevel.DEPARTMENT, UnitLevel.MUNICIPALITY, UnitLevel.COLONIA],
        default=UnitLevel.MUNICIPALITY,
        help_text=_("The units mapped: department, municipality (the default) or colonia."),
    )
    category = serializers.ChoiceField(
        choices=Series.choices, default=Series.HOMICIDE, help_text=_("Category mapped (default: homicide).")
    )
    basis = serializers.SlugField(default=RECONCILED, help_text=_("reconciled, or a source's code."))
    vintage = serializers.IntegerField(required=False, min_value=1, help_text=VINTAGE_PARAMETER)

    def validate_period(self, value: str) -> Period:
        period = Period.parse(value)
        if period is None:
            raise serializers.ValidationError(_("Write a year (2023) or a year and month (2024-10)."))
        return period


class _PeriodSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The period as asked for: 2023, or 2024-10 for 12 months."))
    is_year = serializers.BooleanField(help_text=_("A calendar year, not 12 months ending at a month."))
    first_month = serializers.CharField(help_text=_("First month, YYYY-MM."))
    last_month = serializers.CharField(help_text=_("Last month, YYYY-MM."))
    provisional = serializers.BooleanField(help_text=_("A month of the period is still provisional in the country."))


class _ClassSerializer(serializers.Serializer):
    low = serializers.FloatField(help_text=_("Lowest rate of the class."))
    high = serializers.FloatField(help_text=_("Highest rate of the class."))
    units = serializers.IntegerField(help_text=_("Units in the class."))


class _ClassificationSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=["fisher_jenks", "quantiles"],
        allow_null=True,
        help_text=_("fisher_jenks, or quantiles when few units have a rate; null when none has."),
    )
    classes = _ClassSerializer(many=True, help_text=_("The classes of rates, lowest first."))


# What the map of rates reads, for the schema: the payload is built and cached whole by the selector. The list
# action answers one map, not a list.
@extend_schema_serializer(many=False)
class ChoroplethSerializer(serializers.Serializer):
    vintage = serializers.IntegerField(help_text=VINTAGE)
    level = serializers.CharField(help_text=_("Level of the units mapped."))
    category = serializers.CharField(help_text=CATEGORY)
    basis = serializers.CharField(help_text=BASIS)
    period = _PeriodSerializer(help_text=_("The 12 months mapped."))
    unstable_below = serializers.IntegerField(help_text=_("A count below this is flagged unstable."))
    classification = _ClassificationSerializer(help_text=_("How the rates are classed for colouring."))
    topology = serializers.JSONField(
        help_text=_(
            "TopoJSON, object `units`: one geometry per unit (id: the unit's id) whose properties are code, name, "
            "parent (the code of the unit it lies in), count (events in the 12 months; '<5' or 'x' where hidden; "
            "null: no data), rate per 100,000 a year with rate_low and rate_high (its exact Poisson interval, 95%; "
            "null where hidden, without population or no data), unstable (fewer than `unstable_below` events), "
            "status (provisional, final or null), no_data (no source of the basis covered the unit for the whole "
            "period) and class (its index in `classification.classes`, 0 the lowest; null without a rate)."
        )
    )
