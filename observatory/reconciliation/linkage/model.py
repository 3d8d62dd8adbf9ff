"""The Fellegi–Sunter model, as a Splink settings dictionary: what is compared, and at which levels of agreement.

Which pairs are compared at all is decided in candidates.py. Every comparison's levels run from strongest agreement
to disagreement; a NULL level (either value unknown) carries no evidence either way, which is how unidentified
bodies are linked on context alone. Parameters are estimated from the data (`model_train`) when there are enough
records; otherwise, or where configuration fixes them, the priors of `RECONCILIATION_MODEL_PRIORS` are used.
"""

import json
import re
from pathlib import Path

from django.conf import settings

_DAY_GAP = "greatest(l.first_day - r.last_day, r.first_day - l.last_day, 0)"
_OLDER = "greatest(l.age, r.age)"
_ROAD = "('public_road', 'public_transport')"
# Two name parts this alike (Jaro-Winkler) are one name with a typo: BLANCO and BLANKO (0.93), LOPEZ and LOPES.
_PART_ALIKE = 0.92


def _comparison_sql(condition: str) -> str:
    """Conditions are written like blocking rules (l.name, r.name); Splink's comparisons say name_l, name_r."""
    return re.sub(r"\b([lr])\.(\w+)", r"\2_\1", condition)


def _level(label: str, condition: str, **extra) -> dict:
    return {"sql_condition": _comparison_sql(condition), "label_for_charts": label, **extra}


def _most_alike(column: str) -> str:
    """The Jaro-Winkler similarity of the two most alike items of two lists. Splink 5's
    PairwiseStringDistanceFunctionLevel says the same with the arrow lambdas (x -> ...) that DuckDB 2 refuses."""
    return (
        f"list_max(list_transform(l.{column}, lambda x: list_max(list_transform(r.{column}, "
        f"lambda y: jaro_winkler_similarity(x, y)))))"
    )


def _every_part_alike_either_way() -> str:
    """Every name part of one record (initials too) is alike a part of the other's, or the initial of one, or one
    is the other's initial, one way or the other: "J LOPEZ" and "JUAN LOPES", "GABRIELA BLANKO" and "BLANCO
    GABRIELA". The parts' likeness is computed once, as a table m (a row per part of l, a column per part of r),
    read by rows for l's parts and by columns for r's: computed for each way apart, it cost half as much again."""
    alike = (
        f"jaro_winkler_similarity(x, y) >= {_PART_ALIKE} "
        "OR (len(x) = 1 AND starts_with(y, x)) OR (len(y) = 1 AND starts_with(x, y))"
    )
    return (
        "list_bool_or(list_transform([list_transform(str_split(l.name_sorted, ' '), lambda x: list_transform("
        f"str_split(r.name_sorted, ' '), lambda y: {alike}))], lambda m: "
        "list_bool_and(list_transform(m, lambda row: list_bool_or(row))) OR "
        "list_bool_and(list_transform(range(1, len(m[1]) + 1), "
        "lambda j: list_bool_or(list_transform(m, lambda row: row[j]))))))"
    )


def _null(condition: str) -> dict:
    return {"sql_condition": _comparison_sql(condition), "label_for_charts": "unknown", "is_null_level": True}


COMPARISONS = [
    {
        "output_column_name": "name",
        "comparison_description": "Folded full name, in any order",
        "comparison_levels": [
            _null("l.name_sorted IS NULL OR r.name_sorted IS NULL"),
            _level(
                "same name",
                "l.name_sorted = r.name_sorted",
                tf_adjustment_column="name_sorted",
                tf_adjustment_weight=1.0,
            ),
            _level("one typo apart", "jaro_winkler_similarity(l.name_sorted, r.name_sorted) >= 0.93"),
            _level(
                "one name inside the other",
                "len(list_intersect(l.name_tokens, r.name_tokens)) >= 2 AND "
                "len(list_intersect(l.name_tokens, r.name_tokens)) = least(len(l.name_tokens), len(r.name_tokens))",
            ),
            _level(
                "every name alike, in any order",
                "len(l.name_tokens) >= 1 AND len(r.name_tokens) >= 1 AND "
                "len(str_split(l.name_sorted, ' ')) >= 2 AND len(str_split(r.name_sorted, ' ')) >= 2 AND "
                f"{_every_part_alike_either_way()}",
            ),
            _level("two names in common", "len(list_intersect(l.name_tokens, r.name_tokens)) >= 2"),
            _level("one name alike", f"{_most_alike('name_tokens')} >= {_PART_ALIKE}"),
            _level("different", "ELSE"),
        ],
    },
    {
        "output_column_name": "id_number",
        "comparison_description": "ID number (DPI, cédula)",
        "comparison_levels": [
            _null("l.id_number IS NULL OR r.id_number IS NULL"),
            _level("same number", "l.id_number = r.id_number"),
            _level("one digit off", "damerau_levenshtein(l.id_number, r.id_number) <= 1"),
            _level("different", "ELSE"),
        ],
    },
    {
        "output_column_name": "sex",
        "comparison_description": "Sex",
        "comparison_levels": [
            _null("l.sex IS NULL OR r.sex IS NULL"),
            _level("same", "l.sex = r.sex"),
            _level("different", "ELSE"),
        ],
    },
    {
        "output_column_name": "age",
        "comparison_description": "Age in years; the tolerance grows with age",
        "comparison_levels": [
            _null("l.age IS NULL OR r.age IS NULL"),
            _level("within a year (or 5%)", f"abs(l.age - r.age) <= greatest(1, 0.05 * {_OLDER})"),
            # Whoever could not name the person guessed their age too (often to the nearest five years).
            _level(
                "within three years (or 15%), one age estimated",
                f"(l.name_sorted IS NULL OR r.name_sorted IS NULL) AND "
                f"abs(l.age - r.age) <= greatest(3, 0.15 * {_OLDER})",
            ),
            _level("within three years (or 15%)", f"abs(l.age - r.age) <= greatest(3, 0.15 * {_OLDER})"),
            _level("different", "ELSE"),
        ],
    },
    {
        "output_column_name": "event_dates",
        "comparison_description": "Time between the events (an admission follows the assault by minutes or hours "
        "and precedes the death; a body is recovered up to 3 days after it)",
        "comparison_levels": [
            _null("l.first_day IS NULL OR r.first_day IS NULL"),
            _level("within two hours", "abs(l.event_minute - r.event_minute) <= 120"),
            _level("same days", f"{_DAY_GAP} = 0"),
            _level("one day apart", f"{_DAY_GAP} <= 1"),
            _level("up to three days apart", f"{_DAY_GAP} <= 3"),
            _level("up to ten days apart", f"{_DAY_GAP} <= 10"),
            _level(
                "reported missing, found dead later",
                "(l.is_missing_report AND r.died AND r.first_day >= l.first_day"
                " AND r.first_day - l.last_day <= 730) OR "
                "(r.is_missing_report AND l.died AND l.first_day >= r.first_day"
                " AND l.first_day - r.last_day <= 730)",
            ),
            _level("further apart", "ELSE"),
        ],
    },
    {
        "output_column_name": "place",
        "comparison_description": "Municipality and colonia where it happened (not compared between a "
        "disappearance and a death: bodies are found far from where people vanish; nor "
        "for a body recovered from a hospital, which is compared as the facility)",
        "comparison_levels": [
            _null(
                "l.municipality_id IS NULL OR r.municipality_id IS NULL OR l.is_missing_report OR "
                "r.is_missing_report OR l.at_hospital OR r.at_hospital"
            ),
            _level("same colonia", "l.colonia_id = r.colonia_id"),
            # A colonia named with a typo, or in an address the gazetteer did not resolve ("Col. El Milgro").
            _level(
                "same municipality, place names alike",
                f"l.municipality_id = r.municipality_id AND {_most_alike('place_words')} >= {_PART_ALIKE}",
            ),
            _level(
                "same municipality, other colonia",
                "l.municipality_id = r.municipality_id AND l.colonia_id IS NOT NULL AND r.colonia_id IS NOT NULL",
            ),
            _level("same municipality", "l.municipality_id = r.municipality_id"),
            _level("different municipality", "ELSE"),
        ],
    },
    {
        "output_column_name": "place_kind",
        "comparison_description": "Kind of place where it happened (home, street, business, ...); a hospital "
        "admission says it in its ICD-10 external cause's fourth character. Not compared "
        "between a disappearance and a death, as the place itself is not",
        "comparison_levels": [
            _null("l.place_kind IS NULL OR r.place_kind IS NULL OR l.is_missing_report OR r.is_missing_report"),
            _level("same kind of place", "l.place_kind = r.place_kind"),
            # A bus is on a street: the hospital's "street and highway" holds both.
            _level("street and public transport", f"l.place_kind IN {_ROAD} AND r.place_kind IN {_ROAD}"),
            _level("different", "ELSE"),
        ],
    },
    {
        "output_column_name": "facility",
        "comparison_description": "Health facility: the hospital that admitted the person and the one their body "
        "was recovered from",
        "comparison_levels": [
            _null("l.facility IS NULL OR r.facility IS NULL"),
            # One name's words inside the other's, or one written as the other's initials ("HGSJDD").
            _level(
                "same facility",
                "len(list_intersect(l.facility, r.facility)) = "
                "least(len(l.facility), len(r.facility)) "
                "OR (len(l.facility) = 1 AND list_contains(l.facility, r.facility_initials)) "
                "OR (len(r.facility) = 1 AND list_contains(r.facility, l.facility_initials))",
            ),
            _level("different", "ELSE"),
        ],
    },
    {
        "output_column_name": "weapon",
        "comparison_description": "Weapon or mechanism",
        "comparison_levels": [
            _null("l.weapon IS NULL OR r.weapon IS NULL"),
            _level("same", "l.weapon = r.weapon"),
            _level("different", "ELSE"),
        ],
    },
    {
        "output_column_name": "what_happened",
        "comparison_description": "What happened, by family of category (a missing person can end as any death)",
        "comparison_levels": [
            _null("l.family IS NULL OR r.family IS NULL"),
            _level("same family", "l.family = r.family"),
            _level("undetermined beside another", "l.family = 'undetermined' OR r.family = 'undetermined'"),
            _level("different", "ELSE"),
        ],
    },
]


def model_settings(*, term_frequencies: bool) -> dict:
    """The untrained model with the configured priors filled in. Term-frequency adjustments (a shared common name
    is weaker evidence than a shared rare one) need enough records to know what is common; without them, a name
    seen twice among ten records would count for almost nothing."""
    comparisons = json.loads(json.dumps(COMPARISONS))
    if not term_frequencies:
        for comparison in comparisons:
            for level in comparison["comparison_levels"]:
                level.pop("tf_adjustment_column", None)
                level.pop("tf_adjustment_weight", None)
    base = {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 1e-4,
        # The pairs to score come from candidates.py, which needs range joins Splink's blocking rules do not offer.
        "blocking_rules_to_generate_predictions": [],
        "comparisons": comparisons,
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
        "additional_columns_to_retain": [],
    }
    return priors_apply(model=base, priors=model_priors())


def model_priors() -> dict:
    """m and u probabilities per comparison level: {"probability_two_random_records_match": p,
    "comparisons": {"name": {"same name": {"m": .., "u": ..}, ...}, ...}}."""
    path = Path(settings.RECONCILIATION_MODEL_PRIORS)
    return json.loads(path.read_text(encoding="utf-8"))


def priors_apply(*, model: dict, priors: dict, only_missing: bool = False) -> dict:
    """Set the priors' probabilities on the model's levels (with `only_missing`, only where the data gave none)."""
    if "probability_two_random_records_match" in priors and not only_missing:
        model["probability_two_random_records_match"] = priors["probability_two_random_records_match"]
    for comparison in model["comparisons"]:
        levels = priors.get("comparisons", {}).get(comparison["output_column_name"], {})
        for level in comparison["comparison_levels"]:
            fixed = levels.get(level["label_for_charts"], {})
            for key, name in (("m", "m_probability"), ("u", "u_probability")):
                if key in fixed and (not only_missing or level.get(name) is None):
                    level[name] = fixed[key]
    return model


def model_priors_from(model: dict) -> dict:
    """The priors file format, read off a trained model (how the shipped priors were made)."""
    return {
        "probability_two_random_records_match": model["probability_two_random_records_match"],
        "comparisons": {
            comparison["output_column_name"]: {
                level["label_for_charts"]: {
                    key: round(level[name], 8)
                    for key, name in (("m", "m_probability"), ("u", "u_probability"))
                    if level.get(name) is not None
                }
                for level in comparison["comparison_levels"]
                if not level.get("is_null_level")
            }
            for comparison in model["comparisons"]
        },
    }
