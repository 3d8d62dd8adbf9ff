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

FIELD_TYPES = {"text", "date", "time", "number", "term", "name", "id_number", "age", "icd10"}
FEMICIDE_TERM = "femicide"  # a category vocabulary may say femicide: homicide, flagged as femicide
AGE_UNITS = {"years", "months", "weeks", "days", "hours"}

# Fields of the normalised record a profile may fill, with the type each must be read as.
KNOWN_FIELDS: dict[str, set[str]] = {
    "incident_id": {"text"}, "event_date": {"date"}, "event_time": {"time"}, "death_date": {"date"},
    "recovery_date": {"date"}, "discharge_date": {"date"}, "category": {"term"}, "outcome": {"term"},
    "manner": {"term"}, "intent": {"term"}, "weapon": {"term"}, "place_type": {"term"}, "identification": {"term"},
    "sex": {"term"}, "age_years": {"age"}, "icd10_cause": {"icd10"}, "icd10_injury": {"icd10"},
    "full_name": {"name"}, "id_number": {"id_number"}, "address": {"text"}, "reporting_unit": {"text"},
    "department_name": {"text"}, "municipality_name": {"text"}, "colonia_name": {"text"},
    "residence_municipality_name": {"text"}, "latitude": {"number"}, "longitude": {"number"},
}
RULE_TARGETS = {"category", "outcome", "manner", "intent", "weapon", "place_type", "identification"}


_NOT_IN_COLUMN_NAMES = re.compile(r"[^0-9a-z]+")
# Characters no one sees in a column name: a byte-order mark, control characters other than spaces (a NUL from a
# damaged export), zero-width spaces and joiners (pasted from a web page). They are taken out, not made a "_".
_INVISIBLE_IN_COLUMN_NAMES = dict.fromkeys([*range(0x00, 0x09), *range(0x0e, 0x20), 0x7f, 0xfeff, 0x200b, 0x200c,
                                            0x200d, 0x2060])
MAX_COLUMN_NAME_LENGTH = 200
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252", "latin-1": "Latin-1",
                  "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}
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


def _as_tuple(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def profile_config_parse(config: dict) -> ProfileConfig:
    """Read and check a profile; every problem is listed, not only the first."""
    problems: list[str] = []
    if not isinstance(config, dict):
        raise ProfileError([_("the profile must be a JSON object")])
    encoding = config.get("encoding", "auto")
    separator = config.get("separator", "auto")
    if separator != "auto" and len(separator) != 1:
        problems.append(_("separator must be one character or 'auto', not %(value)r") % {"value": separator})
    record_id = config.get("record_id") or {}
    record_id_columns = tuple(fold_column(column) for column in _as_tuple(record_id.get("columns")))
    if not record_id_columns:
        problems.append(_("record_id.columns must name the column(s) holding the institution's record id"))

    fields: dict[str, FieldSpec] = {}
    for name, raw_spec in (config.get("fields") or {}).items():
        where = f"fields.{name}"
        if name not in KNOWN_FIELDS:
            problems.append(_("%(where)s: unknown field (known: %(known)s)") % {"where": where,
                                                                          "known": ", ".join(sorted(KNOWN_FIELDS))})
            continue
        field_type = raw_spec.get("type", "text")
        if field_type not in KNOWN_FIELDS[name]:
            problems.append(_("%(where)s: type must be %(types)s, not %(value)r") % {
                "where": where, "types": " | ".join(sorted(KNOWN_FIELDS[name])), "value": field_type})
        columns = tuple(fold_column(column) for column in _as_tuple(raw_spec.get("column")))
        if not columns:
            problems.append(_("%(where)s: column is missing") % {"where": where})
        formats = _as_tuple(raw_spec.get("formats"))
        if field_type in ("date", "time") and not formats:
            problems.append(_("%(where)s: formats are needed to read a %(type)s (e.g. \"%%d/%%m/%%Y\")") % {
                "where": where, "type": field_type})
        vocabulary = raw_spec.get("vocabulary", "")
        if field_type == "term" and vocabulary not in TERMS_BY_VOCABULARY:
            problems.append(_("%(where)s: vocabulary must be one of %(known)s") % {
                "where": where, "known": ", ".join(sorted(TERMS_BY_VOCABULARY))})
        units = dict(raw_spec.get("units") or {})
        bad_units = set(units.values()) - AGE_UNITS
        if bad_units:
            problems.append(_("%(where)s: units must map onto %(known)s, not %(values)s") % {
                "where": where, "known": ", ".join(sorted(AGE_UNITS)), "values": ", ".join(sorted(bad_units))})
        fields[name] = FieldSpec(
            name=name, columns=columns, type=field_type, formats=formats, vocabulary=vocabulary,
            required=bool(raw_spec.get("required", False)), unit_column=fold_column(raw_spec.get("unit_column", "")),
            units={fold_value(key): value for key, value in units.items()},
        )
    if "event_date" not in fields:
        problems.append(_("fields.event_date is required: every record needs the date of its event"))

    vocabularies: dict[str, dict[str, str]] = {}
    for name, mapping in (config.get("vocabularies") or {}).items():
        terms = TERMS_BY_VOCABULARY.get(name)
        if terms is None:
            problems.append(_("vocabularies.%(name)s: unknown vocabulary") % {"name": name})
            continue
        allowed = set(terms.values) | ({FEMICIDE_TERM} if terms is Category else set())
        for raw_value, term in mapping.items():
            if term not in allowed:
                problems.append(_("vocabularies.%(name)s: %(value)r maps to %(term)r, which is not one of "
                                  "%(known)s") % {"name": name, "value": raw_value, "term": term,
                                                  "known": ", ".join(sorted(allowed))})
        vocabularies[name] = {fold_value(raw_value): term for raw_value, term in mapping.items()}

    rules = []
    for index, raw_rule in enumerate(config.get("rules") or [], start=1):
        when = {key: _as_tuple(value) for key, value in (raw_rule.get("when") or {}).items()}
        targets = dict(raw_rule.get("set") or {})
        for key in when:
            if key not in RULE_TARGETS | {"icd10_cause", "icd10_injury"}:
                problems.append(_("rules[%(index)d].when: cannot test %(key)r") % {"index": index, "key": key})
        for key, value in targets.items():
            if key not in RULE_TARGETS:
                problems.append(_("rules[%(index)d].set: cannot set %(key)r") % {"index": index, "key": key})
            elif value not in TERMS_BY_VOCABULARY[key].values:
                problems.append(_("rules[%(index)d].set: %(value)r is not a %(key)s") % {"index": index, "value": value,
                                                                                    "key": key})
        if not targets:
            problems.append(_("rules[%(index)d]: sets nothing") % {"index": index})
        rules.append(Rule(when=when, set=targets))
    if problems:
        raise ProfileError(problems)
    return ProfileConfig(
        encoding=encoding, separator=separator, record_id_columns=record_id_columns,
        record_id_join=record_id.get("join", "#"),
        missing_values=frozenset(fold_value(value) for value in config.get("missing_values", [""])) | {""},
        fields=fields, vocabularies=vocabularies, rules=tuple(rules),
    )
