"""The shape of a source profile (ingestion/default_profiles/*.json) and its validation.

A profile maps a file's columns onto the observatory's fields, says how to read each one, maps the
source's own words onto the observatory's terms (vocabularies), and derives what the file does not say
with ordered rules ("manner HOMICIDA -> category homicide").
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatory.geography.folding import strip_accents
from observatory.records.terms import TERMS_BY_VOCABULARY, Category

from .profile_checks import CheckedParts, encoding_problem, format_problem, shown

FIELD_TYPES = {"text", "date", "time", "number", "term", "name", "id_number", "age", "icd10"}
FEMICIDE_TERM = "femicide"  # a category vocabulary may say femicide: homicide, flagged as femicide
AGE_UNITS = {"years", "months", "weeks", "days", "hours"}

# Fields of the normalised record a profile may fill, with the type each must be read as.
KNOWN_FIELDS: dict[str, set[str]] = {
    "incident_id": {"text"},
    "event_date": {"date"},
    "event_time": {"time"},
    "death_date": {"date"},
    "recovery_date": {"date"},
    "discharge_date": {"date"},
    "category": {"term"},
    "outcome": {"term"},
    "manner": {"term"},
    "intent": {"term"},
    "weapon": {"term"},
    "place_type": {"term"},
    "identification": {"term"},
    "sex": {"term"},
    "age_years": {"age"},
    "icd10_cause": {"icd10"},
    "icd10_injury": {"icd10"},
    "full_name": {"name"},
    "id_number": {"id_number"},
    "address": {"text"},
    "reporting_unit": {"text"},
    "department_name": {"text"},
    "municipality_name": {"text"},
    "colonia_name": {"text"},
    "residence_municipality_name": {"text"},
    "latitude": {"number"},
    "longitude": {"number"},
}
RULE_TARGETS = {"category", "outcome", "manner", "intent", "weapon", "place_type", "identification"}


_NOT_IN_COLUMN_NAMES = re.compile(r"[^0-9a-z]+")
# Characters no one sees in a column name: a byte-order mark, control characters other than spaces (a NUL from a
# damaged export), zero-width spaces and joiners (pasted from a web page). They are taken out, not made a "_".
_INVISIBLE_IN_COLUMN_NAMES = dict.fromkeys(
    [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, 0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060]
)
MAX_COLUMN_NAME_LENGTH = 200
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}
SEPARATOR_NAMES = {"\t": gettext_lazy("tab"), " ": gettext_lazy("space")}


def encoding_name(encoding: str) -> str:
    return ENCODING_NAMES.get(encoding, encoding)


def separator_name(separator: str) -> str:
    """A separator as people call it: « ; », or "tab" for a character nobody can see."""
    return str(SEPARATOR_NAMES.get(separator, f"«{separator}»"))


def fold_value(value: str) -> str:
    """How vocabulary keys and file values are compared: no accents, upper case, single spaces."""
    return " ".join(strip_accents(value).upper().replace(".", " ").split())


def fold_column(name: str) -> str:
    """How a file's column names are compared with a profile's: "No. Denuncia", "NO_DENUNCIA" and
    " no denuncia " are all no_denuncia, "Víctima edad" is victima_edad. Cut to the length a run keeps."""
    visible = name.translate(_INVISIBLE_IN_COLUMN_NAMES)
    folded = _NOT_IN_COLUMN_NAMES.sub("_", strip_accents(visible).lower()).strip("_")
    return folded[:MAX_COLUMN_NAME_LENGTH]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    columns: tuple[str, ...]
    type: str
    formats: tuple[str, ...] = ()
    vocabulary: str = ""
    required: bool = False
    unit_column: str = ""
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    when: dict[str, tuple[str, ...]]
    set: dict[str, str]


@dataclass(frozen=True)
class ProfileConfig:
    encoding: str
    separator: str
    record_id_columns: tuple[str, ...]
    record_id_join: str
    missing_values: frozenset[str]
    fields: dict[str, FieldSpec]
    vocabularies: dict[str, dict[str, str]]
    rules: tuple[Rule, ...]

    @property
    def mapped_columns(self) -> set[str]:
        columns = set(self.record_id_columns)
        for spec in self.fields.values():
            columns.update(spec.columns)
            if spec.unit_column:
                columns.add(spec.unit_column)
        return columns

    @property
    def required_column_groups(self) -> list[tuple[str, ...]]:
        """Without these the file cannot be read at all: each record id column, and for each required field one
        of the columns it can be read from (the coroner's event date: fecha_muerte or fecha_levantamiento)."""
        groups = [(column,) for column in self.record_id_columns]
        groups += [spec.columns for spec in self.fields.values() if spec.required]
        return groups


class ProfileError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def profile_config_parse(config: dict) -> ProfileConfig:
    """Read and check a profile; every problem is listed, not only the first."""
    if not isinstance(config, dict):
        raise ProfileError([_("the profile must be a JSON object")])
    checked = CheckedParts()
    encoding, separator = _reading_options(config, checked)
    record_id_columns, record_id_join = _record_id(config, checked)
    missing_values = checked.texts(config.get("missing_values", [""]), "missing_values")
    fields = _fields(config, checked)
    vocabularies = _vocabularies(config, checked)
    rules = _rules(config, checked)
    if checked.problems:
        raise ProfileError(checked.problems)
    return ProfileConfig(
        encoding=encoding,
        separator=separator,
        record_id_columns=record_id_columns,
        record_id_join=record_id_join,
        missing_values=frozenset(fold_value(value) for value in missing_values) | {""},
        fields=fields,
        vocabularies=vocabularies,
        rules=rules,
    )


def vocabulary_for_column(*, config: dict, column: str) -> str | None:
    """The vocabulary that reads `column` (a file's column name, as folded) in a profile, if a term field reads
    it. The profile may name the column as the file writes it ("Medio empleado"): it is folded as files' are.
    None for a profile saved before a check it now fails (the admin says its problems when it is saved again)."""
    try:
        fields = profile_config_parse(config).fields
    except ProfileError:
        return None
    for spec in fields.values():
        if spec.type == "term" and fold_column(column) in spec.columns:
            return spec.vocabulary
    return None


def _reading_options(config: dict, checked: CheckedParts) -> tuple[str, str]:
    """The encoding and the separator ("auto": found in the file)."""
    encoding = checked.text(config.get("encoding"), "encoding", "auto")
    if problem := encoding_problem(encoding):
        checked.problems.append(problem)
    separator = checked.text(config.get("separator"), "separator", "auto")
    if separator != "auto" and len(separator) != 1:
        checked.problems.append(_("separator must be one character or 'auto', not %(value)r") % {"value": separator})
    return encoding, separator


def _record_id(config: dict, checked: CheckedParts) -> tuple[tuple[str, ...], str]:
    """The columns holding the institution's record id, and what joins them."""
    record_id = checked.object(config.get("record_id"), "record_id")
    columns = tuple(fold_column(column) for column in checked.texts(record_id.get("columns"), "record_id.columns"))
    if not columns:
        checked.problems.append(_("record_id.columns must name the column(s) holding the institution's record id"))
    return columns, checked.text(record_id.get("join"), "record_id.join", "#")


def _fields(config: dict, checked: CheckedParts) -> dict[str, FieldSpec]:
    """The fields the profile maps, by name; the event date is required."""
    fields: dict[str, FieldSpec] = {}
    for name, raw_spec in checked.object(config.get("fields"), "fields").items():
        if name not in KNOWN_FIELDS:
            checked.problems.append(
                _("%(where)s: unknown field (known: %(known)s)")
                % {"where": f"fields.{name}", "known": ", ".join(sorted(KNOWN_FIELDS))}
            )
            continue
        fields[name] = _field_spec(name, raw_spec, checked)
    if "event_date" not in fields:
        checked.problems.append(_("fields.event_date is required: every record needs the date of its event"))
    return fields


def _field_spec(name: str, raw_spec: object, checked: CheckedParts) -> FieldSpec:
    """One field: the columns it is read from, as which type, and how (formats, vocabulary, age units)."""
    where = f"fields.{name}"
    raw_spec = checked.object(raw_spec, where)
    field_type = checked.text(raw_spec.get("type"), f"{where}.type", "text")
    if field_type not in KNOWN_FIELDS[name]:
        checked.problems.append(
            _("%(where)s: type must be %(types)s, not %(value)r")
            % {"where": where, "types": " | ".join(sorted(KNOWN_FIELDS[name])), "value": field_type}
        )
    columns = tuple(fold_column(column) for column in checked.texts(raw_spec.get("column"), f"{where}.column"))
    if not columns:
        checked.problems.append(_("%(where)s: column is missing") % {"where": where})
    formats = _formats(raw_spec, field_type, where, checked)
    vocabulary = checked.text(raw_spec.get("vocabulary"), f"{where}.vocabulary")
    if field_type == "term" and vocabulary not in TERMS_BY_VOCABULARY:
        checked.problems.append(
            _("%(where)s: vocabulary must be one of %(known)s")
            % {"where": where, "known": ", ".join(sorted(TERMS_BY_VOCABULARY))}
        )
    units = _age_units(raw_spec, where, checked)
    return FieldSpec(
        name=name,
        columns=columns,
        type=field_type,
        formats=formats,
        vocabulary=vocabulary,
        required=checked.flag(raw_spec.get("required"), f"{where}.required"),
        unit_column=fold_column(checked.text(raw_spec.get("unit_column"), f"{where}.unit_column")),
        units={fold_value(key): value for key, value in units.items()},
    )


def _formats(raw_spec: dict, field_type: str, where: str, checked: CheckedParts) -> tuple[str, ...]:
    """The formats a date or a time is written in; each must read a whole date or time."""
    formats = checked.texts(raw_spec.get("formats"), f"{where}.formats")
    if field_type in ("date", "time") and not formats:
        checked.problems.append(
            _('%(where)s: formats are needed to read a %(type)s (e.g. "%%d/%%m/%%Y")')
            % {"where": where, "type": field_type}
        )
    for pattern in formats if field_type in ("date", "time") else ():
        if problem := format_problem(pattern, field_type):
            checked.problems.append(
                _("%(where)s.formats: %(format)s cannot be used: %(problem)s")
                % {"where": where, "format": shown(pattern), "problem": problem}
            )
    return formats


def _age_units(raw_spec: dict, where: str, checked: CheckedParts) -> dict[str, str]:
    """The source's words for the unit an age counts, each mapped onto one of AGE_UNITS."""
    units = {
        key: checked.text(value, f"{where}.units.{key}")
        for key, value in checked.object(raw_spec.get("units"), f"{where}.units").items()
    }
    bad_units = set(units.values()) - AGE_UNITS
    if bad_units:
        checked.problems.append(
            _("%(where)s: units must map onto %(known)s, not %(values)s")
            % {"where": where, "known": ", ".join(sorted(AGE_UNITS)), "values": ", ".join(sorted(bad_units))}
        )
    return units


def _vocabularies(config: dict, checked: CheckedParts) -> dict[str, dict[str, str]]:
    """Each vocabulary: the source's words (folded) onto the observatory's terms."""
    vocabularies: dict[str, dict[str, str]] = {}
    for name, mapping in checked.object(config.get("vocabularies"), "vocabularies").items():
        terms = TERMS_BY_VOCABULARY.get(name)
        if terms is None:
            checked.problems.append(_("vocabularies.%(name)s: unknown vocabulary") % {"name": name})
            continue
        allowed = set(terms.values) | ({FEMICIDE_TERM} if terms is Category else set())
        mapping = {
            raw_value: checked.text(term, f"vocabularies.{name}.{raw_value}")
            for raw_value, term in checked.object(mapping, f"vocabularies.{name}").items()
        }
        for raw_value, term in mapping.items():
            if term not in allowed:
                checked.problems.append(
                    _("vocabularies.%(name)s: %(value)r maps to %(term)r, which is not one of %(known)s")
                    % {"name": name, "value": raw_value, "term": term, "known": ", ".join(sorted(allowed))}
                )
        vocabularies[name] = {fold_value(raw_value): term for raw_value, term in mapping.items()}
    return vocabularies


def _rules(config: dict, checked: CheckedParts) -> tuple[Rule, ...]:
    """The rules, in the profile's order (an earlier rule's term is not overwritten by a later one)."""
    return tuple(
        _rule(index, raw_rule, checked)
        for index, raw_rule in enumerate(checked.objects(config.get("rules"), "rules"), start=1)
    )


def _rule(index: int, raw_rule: dict, checked: CheckedParts) -> Rule:
    """One rule: the terms (or ICD-10 ranges) it tests, and the terms it sets."""
    when = {
        key: checked.texts(value, f"rules[{index}].when.{key}")
        for key, value in checked.object(raw_rule.get("when"), f"rules[{index}].when").items()
    }
    targets = {
        key: checked.text(value, f"rules[{index}].set.{key}")
        for key, value in checked.object(raw_rule.get("set"), f"rules[{index}].set").items()
    }
    for key in when:
        if key not in RULE_TARGETS | {"icd10_cause", "icd10_injury"}:
            checked.problems.append(_("rules[%(index)d].when: cannot test %(key)r") % {"index": index, "key": key})
    for key, value in targets.items():
        if key not in RULE_TARGETS:
            checked.problems.append(_("rules[%(index)d].set: cannot set %(key)r") % {"index": index, "key": key})
        elif value not in TERMS_BY_VOCABULARY[key].values:
            checked.problems.append(
                _("rules[%(index)d].set: %(value)r is not a %(key)s") % {"index": index, "value": value, "key": key}
            )
    if not targets:
        checked.problems.append(_("rules[%(index)d]: sets nothing") % {"index": index})
    return Rule(when=when, set=targets)
