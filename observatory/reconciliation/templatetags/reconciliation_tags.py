"""How the reconciliation pages show a pair's evidence and where a victim's attributes come from."""

import math
from datetime import date, time
from decimal import Decimal

from django import template
from django.db.models import Model
from django.utils.formats import date_format, number_format, time_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..linkage.vocabulary import BLOCKING_RULE_NAMES
from ..models import Victim

register = template.Library()

# Every comparison of linkage/model.py, in its order (tests/reconciliation checks that none is missing).
COMPARISON_NAMES = {
    "name": _("Name"),
    "id_number": _("ID number"),
    "sex": _("Sex"),
    "age": _("Age"),
    "event_dates": _("Dates"),
    "place": _("Place"),
    "place_kind": _("Kind of place"),
    "facility": _("Health facility"),
    "weapon": _("Weapon / mechanism"),
    "what_happened": _("What happened"),
}
LEVEL_LABELS = {
    "unknown": _("unknown (no evidence)"),
    "same name": _("same name"),
    "one typo apart": _("one typo apart"),
    "one name inside the other": _("one name inside the other"),
    "every name alike, in any order": _("every name alike or an initial, in any order"),
    "two names in common": _("two names in common"),
    "one name alike": _("one name alike"),
    "different": _("different"),
    "same number": _("same number"),
    "one digit off": _("one digit off"),
    "same": _("same"),
    "within a year (or 5%)": _("within a year (or 5%)"),
    "within three years (or 15%), one age estimated": _("within three years (or 15%), one age estimated"),
    "within three years (or 15%)": _("within three years (or 15%)"),
    "within two hours": _("within two hours"),
    "same days": _("same days"),
    "one day apart": _("one day apart"),
    "up to three days apart": _("up to three days apart"),
    "up to ten days apart": _("up to ten days apart"),
    "reported missing, found dead later": _("reported missing, found dead later"),
    "further apart": _("further apart"),
    "same colonia": _("same colonia"),
    "same municipality, place names alike": _("same municipality, place names alike"),
    "same municipality, other colonia": _("same municipality, other colonia"),
    "same municipality": _("same municipality"),
    "different municipality": _("different municipality"),
    "same kind of place": _("same kind of place"),
    "street and public transport": _("street and public transport"),
    "same facility": _("same facility"),
    "same family": _("same family"),
    "undetermined beside another": _("undetermined beside another"),
}
_COMPARISON_ORDER = list(COMPARISON_NAMES)
# attribute_sources keys that are not field names of Victim.
_ATTRIBUTE_FIELDS = {"municipality_id": "municipality", "colonia_id": "colonia"}


@register.filter
def evidence(comparisons: dict) -> list[dict]:
    """A pair's comparisons in the model's order: what each compared, the level it reached and its weight."""
    order = {name: index for index, name in enumerate(_COMPARISON_ORDER)}
    rows = []
    for name in sorted(comparisons, key=lambda name: (order.get(name, len(order)), name)):
        weight = float(comparisons[name].get("weight") or 0)
        label = comparisons[name].get("label", "unknown")
        rows.append(
            {
                "name": capfirst(COMPARISON_NAMES.get(name, name)),
                "label": LEVEL_LABELS.get(label, label),
                "weight": weight,
                "effect": "for" if weight > 0 else "against" if weight < 0 else "none",
            }
        )
    return rows


@register.filter
def prior_weight(run) -> float | None:
    """The starting weight of every pair a run scored, in bits: the log2 of the prior odds that two records are one
    person, to which each comparison adds its weight."""
    probability = (run.model or {}).get("probability_two_random_records_match")
    return math.log2(probability / (1 - probability)) if probability else None


@register.filter
def blocking_rules(pairs_by_rule: dict) -> list[tuple[str, int]]:
    """A run's candidate pairs per blocking rule, named in the reader's language."""
    return [(BLOCKING_RULE_NAMES.get(rule, rule), pairs) for rule, pairs in pairs_by_rule.items()]


@register.filter
def percent(probability: float | None) -> str:
    if probability is None:
        return "—"
    return f"{number_format(round(probability * 100, 1), 1)} %"  # number_format cuts, it does not round


@register.filter
def bits(weight: float | None) -> str:
    if weight is None:
        return "—"
    return f"{'+' if weight > 0 else ''}{number_format(round(weight, 2), 2)}"


@register.simple_tag
def attribute_rows(victim: Victim, records: dict) -> list[dict]:
    """Each reconciled attribute with its value and the record it was taken from (`records`: id → record)."""
    rows = []
    for key, record_id in victim.attribute_sources.items():
        name = _ATTRIBUTE_FIELDS.get(key, key)
        field = Victim._meta.get_field(name)
        rows.append(
            {
                "label": field.verbose_name,
                "value": _shown(victim, field),
                "record": records.get(record_id),
                "record_id": record_id,
            }
        )
    return rows


def _shown(victim: Victim, field) -> str:
    value = getattr(victim, field.name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(getattr(victim, f"get_{field.name}_display")())
    if isinstance(value, Model):
        return str(getattr(value, "name", value))
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, time):
        return time_format(value, "H:i")
    if isinstance(value, Decimal):
        return number_format(value, 0 if value == value.to_integral_value() else 1)
    if field.name == "point":
        return f"{number_format(value.y, 5)}, {number_format(value.x, 5)}"
    return str(value)
