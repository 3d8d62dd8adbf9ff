"""Turning a chunk of raw rows into normalised records, column by column (vectorised).

Every value a column holds is interpreted once (dates, ages, names, vocabulary terms are few distinct
values repeated many times), then spread back over the rows. Problems become issues naming the row, the
column and the value: a row is rejected only when it has no usable record id or event date.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from observatory.geography.folding import strip_accents
from observatory.records.models import SourceRecord
from observatory.records.terms import VOCABULARY_LABELS

from .moments import moment_read
from .places import PlaceResolver
from .profile_config import FEMICIDE_TERM, FieldSpec, ProfileConfig, fold_value
from .reading import FileLayout, RawChunk
from .row_lines import COMPARED_JOIN

# A name written for someone not identified, as folded (fold_person_names): the words may come with others, as in
# "N.N. (masculino)", "Persona no identificada" or "Cadáver desconocido 23"; such a name is no name to match on.
PLACEHOLDER_NAME = (
    r"^X$|\b(NN|N N|XX|DESCONOCID[OA]|SIN NOMBRE|NO IDENTIFICAD[OA]|NO IDENTIFICABLE|SIN IDENTIFICAR"
    r"|ANONIM[OA])\b"
)
NAME_PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y", "VDA", "VIUDA", "SAN"})
UNKNOWN_AGES = frozenset({998, 999})
MAX_AGE_YEARS = 120
EARLIEST_DATE = date(1900, 1, 1)
# Text stored as written is cut to its column's length (the loader cuts every text column too; a name is cut here,
# before it is folded, so that the folded name is that of the name kept).
TEXT_LIMITS = {
    name: SourceRecord._meta.get_field(name).max_length
    for name in ("incident_id", "address", "reporting_unit", "full_name")
}
RECORD_ID_LENGTH = SourceRecord._meta.get_field("record_id").max_length
# An age as written: "23", "23 AÑOS", "8 meses", "2 años y 3 meses", "15 días", "3 sem.", "RN" (newborn).
# Parts are a number and a word; two numbers in a row need a space between them, so that no string of digits can
# be split in exponentially many ways before failing to match (a 30-digit "age" took minutes).
AGE_TEXT = re.compile(r"\s*\d+(?:[.,]\d+)?(?:\s*[A-Z]+)?(?:(?:\s+|(?<=[A-Z])\s*)\d+(?:[.,]\d+)?(?:\s*[A-Z]+)?)*\s*")
AGE_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([A-Z]*)")
AGE_CONNECTORS = re.compile(r"\bY\b|\bCON\b|,(?!\d)|(?<=[A-Z])\.")
AGE_WORDS = {
    "": "years",
    "A": "years",
    "ANO": "years",
    "ANOS": "years",
    "ANIOS": "years",
    "ANIO": "years",
    "M": "months",
    "MES": "months",
    "MESES": "months",
    "S": "weeks",
    "SEM": "weeks",
    "SEMANA": "weeks",
    "SEMANAS": "weeks",
    "D": "days",
    "DIA": "days",
    "DIAS": "days",
    "H": "hours",
    "HR": "hours",
    "HRS": "hours",
    "HORA": "hours",
    "HORAS": "hours",
}
AGE_DIVISORS = {"years": 1.0, "months": 12.0, "weeks": 365.25 / 7, "days": 365.25, "hours": 365.25 * 24}
NEWBORN_WORDS = frozenset({"RN", "R N", "RECIEN NACIDO", "RECIEN NACIDA", "NEONATO", "NEONATA"})
ICD10_PATTERN = re.compile(r"^[A-Z]\d\d[0-9A-Z]?$")
ASCII_WHITESPACE = r"[ \t\n\r\x0b\x0c\x1c-\x1f]+"  # what str.split() splits ASCII text on
PLAIN_NUMBER = r"^-?[0-9]+([.,][0-9]+)?$"  # read in one vectorised cast; other spellings go through float()

STAGED_COLUMNS = [
    "row_number",
    "record_id",
    "status",
    "unmapped",
    "incident_id",
    "event_date",
    "event_time",
    "death_date",
    "recovery_date",
    "discharge_date",
    "category",
    "is_femicide",
    "outcome",
    "manner",
    "intent",
    "weapon",
    "place_type",
    "icd10_cause",
    "icd10_injury",
    "identification",
    "sex",
    "age_years",
    "reporting_unit",
    "full_name",
    "name_folded",
    "is_unidentified",
    "id_number",
    "address",
    "municipality_id",
    "colonia_id",
    "jurisdiction_id",
    "point_latitude",
    "point_longitude",
    "geo_method",
    "geo_note",
    "content_hash",
]
# Fields a profile may fill; those it does not map stay empty.
PROFILE_FIELDS = (
    "incident_id",
    "event_date",
    "event_time",
    "death_date",
    "recovery_date",
    "discharge_date",
    "category",
    "outcome",
    "manner",
    "intent",
    "weapon",
    "place_type",
    "icd10_cause",
    "icd10_injury",
    "identification",
    "sex",
    "age_years",
    "reporting_unit",
    "full_name",
    "id_number",
    "address",
    "department_name",
    "municipality_name",
    "colonia_name",
    "residence_municipality_name",
    "latitude",
    "longitude",
)


@dataclass
class NormalisedChunk:
    staged: pd.DataFrame  # STAGED_COLUMNS
    raw_lines: pa.Array  # each staged row as sent (one CSV line)
    issues: list[dict]
    rows_read: int
    rows_rejected: int


_PARTICLES_PATTERN = r"\b(" + "|".join(sorted(NAME_PARTICLES)) + r")\b"


def _without_accents(values: pa.Array) -> pa.Array:
    """Accents removed (NFKD, then the combining marks dropped); ASCII values, most of them, are left as they are."""
    accented = pc.invert(pc.string_is_ascii(values))
    if not pc.any(accented).as_py():
        return values
    stripped = pc.replace_substring_regex(pc.utf8_normalize(pc.filter(values, accented), form="NFKD"), r"\p{Mn}", "")
    return pc.replace_with_mask(values, accented, stripped.cast(values.type))


def fold_values(values: pa.Array) -> pa.Array:
    """fold_value over an Arrow array of strings: ASCII values in vectorised kernels, the others one by one."""
    folded = pc.replace_substring(pc.ascii_upper(values), ".", " ")
    folded = pc.utf8_trim(pc.replace_substring_regex(folded, ASCII_WHITESPACE, " "), " ")
    accented = pc.invert(pc.string_is_ascii(values))
    if not pc.any(accented).as_py():
        return folded
    others = pa.array([fold_value(value) for value in pc.filter(values, accented).to_pylist()], type=values.type)
    return pc.replace_with_mask(folded, accented, others)


def fold_person_names(names: pd.Series) -> pa.Array:
    """Names compared for matching: accents, case, punctuation and particles (DE, DEL, LA...) removed.
    "María  del Carmen López" -> "MARIA CARMEN LOPEZ". Vectorised (Arrow compute kernels)."""
    folded = _without_accents(pa.array(names.fillna("").astype(str), type=pa.string()))
    folded = pc.replace_substring_regex(pc.utf8_upper(folded), r"[^A-Z ]+", " ")
    folded = pc.replace_substring_regex(folded, _PARTICLES_PATTERN, " ")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(folded, r" +", " "))


def clean_id_numbers(values: pd.Series) -> np.ndarray:
    """Digits only; fewer than 4 digits, or one digit repeated (000000), is no id at all."""
    digits = pc.replace_substring_regex(pa.array(values.astype(str), type=pa.string()), r"\D", "")
    unusable = pc.or_(
        pc.less(pc.utf8_length(digits), 4), pc.match_substring_regex(digits, r"^(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)$")
    )
    return pc.if_else(unusable, "", pc.utf8_slice_codeunits(digits, 0, 40)).to_numpy(zero_copy_only=False)


def content_hashes(*, compared: pa.Array, names: list[str], profile_version: int) -> np.ndarray:
    """Identical values under identical column names, read with the same profile version, give identical records:
    the hash of the three tells unchanged rows apart. The names count: the same values under a column the profile
    now knows by another name are read differently. `compared` is RawChunk.compared_rows of columns `names`."""
    names_and_version = f"\x1e{COMPARED_JOIN.join(sorted(names))}\x1e{profile_version}"
    versioned = pc.binary_join_element_wise(
        compared, pa.scalar(names_and_version, compared.type), pa.scalar("", compared.type)
    )
    as_bytes = versioned.cast(pa.large_binary()).to_numpy(zero_copy_only=False)  # no decoding to str and back
    return pd.util.hash_array(as_bytes, categorize=False).view(np.int64)


def _objects(values: np.ndarray) -> pd.Series:
    """Python values (strings, None) as an object column, as they are: a plain array would be converted to a
    string column on assignment, at a cost that adds up over a large file."""
    return pd.Series(values, dtype=object, copy=False)


def _per_distinct(values: pd.Series, interpret: Callable[[str], object]) -> np.ndarray:
    """Apply `interpret` once per distinct value and spread the results back over the rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [interpret(value) for value in np.asarray(uniques, dtype=object)]
    return results[codes]


def _per_distinct_with_reason(
    values: pd.Series, interpret: Callable[[str], tuple[object, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Like _per_distinct for an `interpret` giving (value, problem): the values, and the problems ("" if none)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    interpreted = [interpret(value) for value in np.asarray(uniques, dtype=object)]
    results, reasons = np.empty(len(uniques), dtype=object), np.empty(len(uniques), dtype=object)
    results[:] = [result for result, _ in interpreted]
    reasons[:] = [reason for _, reason in interpreted]
    return results[codes], reasons[codes]


class ChunkNormaliser:
    def __init__(
        self, *, config: ProfileConfig, profile_version: int, layout: FileLayout, places: PlaceResolver, today: date
    ):
        self.config = config
        self.profile_version = profile_version
        self.layout = layout
        self.places = places
        self.today = today
        self.columns_in_other_forms: set[str] = set()  # noted once on the file

    def normalise(self, chunk: RawChunk) -> NormalisedChunk:
        frame = chunk.frame
        for column in frame.columns:
            frame[column] = frame[column].astype(str).str.strip()
        non_blank = (frame != "").any(axis=1).to_numpy()
        frame = frame.loc[non_blank].reset_index(drop=True)
        row_numbers = chunk.row_numbers[non_blank]
        issues: list[dict] = [
            {
                "row_number": bad.row_number,
                "column": "",
                "value": self.layout.separator.join(bad.fields)[:1000],
                "reason": bad.reason,
                "severity": "rejected",
                "record_id": "",
                "raw_row": json.dumps(bad.fields, ensure_ascii=False),
            }
            for bad in chunk.malformed
        ]
        values = self._cleaned(frame)
        rejected = np.zeros(len(frame), dtype=bool)
        out = pd.DataFrame({"row_number": row_numbers})

        id_parts = [values[column] for column in self.config.record_id_columns]
        for column, part in zip(self.config.record_id_columns, id_parts, strict=False):
            empty = (part == "").to_numpy()
            self._add_issues(issues, empty, row_numbers, column, part, _("the record id is empty"), "rejected")
            rejected |= empty
        record_id = id_parts[0].astype(str)
        for part in id_parts[1:]:
            record_id = record_id + self.config.record_id_join + part.astype(str)
        # Cut to fit, two ids differing only after the limit would be one record: such a row is refused.
        too_long = (record_id.str.len() > RECORD_ID_LENGTH).to_numpy() & ~rejected
        self._add_issues(
            issues,
            too_long,
            row_numbers,
            ", ".join(self.config.record_id_columns),
            record_id,
            _("the record id is longer than %(limit)d characters") % {"limit": RECORD_ID_LENGTH},
            "rejected",
        )
        rejected |= too_long
        out["record_id"] = _objects(record_id.to_numpy())
        issues_before_fields, ids_for_issues = len(issues), np.where(rejected, "", record_id.to_numpy())

        unmapped: dict[int, list[dict]] = {}  # row index -> its values no vocabulary maps
        for spec in self.config.fields.values():
            rejected |= self._field(spec, values, out, issues, row_numbers, unmapped)
        for name in PROFILE_FIELDS:
            if name not in out.columns:
                out[name] = None

        self._apply_femicide_and_rules(out)
        out["outcome"] = out["outcome"].fillna("unknown")
        out["sex"] = out["sex"].fillna("U")
        has_unmapped = np.zeros(len(out), dtype=bool)
        has_unmapped[list(unmapped)] = True
        out["category"] = out["category"].where(out["category"].notna() | has_unmapped, "other")
        out["status"] = _objects(np.where(has_unmapped, "unmapped", "normalised").astype(object))
        unmapped_json = np.full(len(out), "[]", dtype=object)
        for index, entries in unmapped.items():
            unmapped_json[index] = json.dumps(entries, ensure_ascii=False)
        out["unmapped"] = _objects(unmapped_json)
        full_names = out["full_name"].fillna("")
        folded_names = fold_person_names(full_names)
        placeholder = pc.match_substring_regex(folded_names, PLACEHOLDER_NAME).to_numpy(zero_copy_only=False)
        out["name_folded"] = _objects(pc.if_else(placeholder, "", folded_names).to_numpy(zero_copy_only=False))
        out["is_unidentified"] = placeholder | (full_names == "").to_numpy()
        out["is_unidentified"] |= (out["identification"] == "unidentified").to_numpy()

        places = self.places.resolve(
            department=out.pop("department_name").fillna(""),
            municipality=out.pop("municipality_name").fillna(""),
            colonia=out.pop("colonia_name").fillna(""),
            latitude=pd.to_numeric(out.pop("latitude"), errors="coerce"),
            longitude=pd.to_numeric(out.pop("longitude"), errors="coerce"),
        )
        for column in places.columns:
            out[column] = places[column] if places[column].dtype == object else places[column].to_numpy()
        out.pop("residence_municipality_name")  # kept in the raw row; a place of residence is not where it happened

        lines = self._kept(chunk.lines, non_blank, rejected)
        compared = self._kept(chunk.compared_rows, non_blank, rejected)
        if rejected.any():
            out = out.loc[~rejected].reset_index(drop=True)
        self._attach_raw_rows(issues, frame, row_numbers, rejected)
        self._attach_record_ids(issues[issues_before_fields:], row_numbers, ids_for_issues)
        out["content_hash"] = content_hashes(
            compared=compared, names=self.layout.header, profile_version=self.profile_version
        )
        return NormalisedChunk(
            staged=out[STAGED_COLUMNS],
            raw_lines=lines,
            issues=_worst_issue_per_cell(issues),
            rows_read=len(frame) + len(chunk.malformed),
            rows_rejected=int(rejected.sum()) + len(chunk.malformed),
        )

    @staticmethod
    def _kept(lines: pa.Array, non_blank: np.ndarray, rejected: np.ndarray) -> pa.Array:
        """The lines of the rows staged: not blank, then not rejected."""
        lines = lines.filter(pa.array(non_blank))
        return lines.filter(pa.array(~rejected)) if rejected.any() else lines

    def _cleaned(self, frame: pd.DataFrame) -> dict[str, pd.Series]:
        """Each mapped column with the source's "unknown" words (SE IGNORA, ND, -) made empty."""
        missing = pa.array(sorted(self.config.missing_values), type=pa.large_string())
        longest_missing = max(len(value) for value in self.config.missing_values) + 2
        # Folding keeps digits: when no missing word has one, a value with a digit (a date, an age, a coordinate:
        # most short values, and many distinct ones) is never a missing word, and is not folded to find out.
        missing_has_digits = any(character.isdigit() for value in self.config.missing_values for character in value)
        cleaned = {}
        for column in self.config.mapped_columns:
            if column not in frame.columns:
                cleaned[column] = pd.Series([""] * len(frame), dtype="str")
                continue
            series = frame[column].reset_index(drop=True)
            values = pa.array(series, type=pa.large_string())
            short = pc.less_equal(pc.utf8_length(values), longest_missing)
            if not pc.any(short).as_py():
                cleaned[column] = series
                continue
            encoded = pc.dictionary_encode(pc.if_else(short, values, None))  # each distinct short value looked at once
            candidates = np.arange(len(encoded.dictionary))
            if not missing_has_digits:
                candidates = np.flatnonzero(
                    pc.invert(pc.match_substring_regex(encoded.dictionary, "[0-9]")).to_numpy(zero_copy_only=False)
                )
            missing_distinct = np.zeros(len(encoded.dictionary), dtype=bool)
            missing_distinct[candidates] = pc.is_in(
                fold_values(encoded.dictionary.take(candidates)), value_set=missing
            ).to_numpy(zero_copy_only=False)
            if missing_distinct.any():
                is_missing = pc.fill_null(pc.take(pa.array(missing_distinct), encoded.indices), False)
                series = pd.Series(pd.array(pc.if_else(is_missing, "", values), dtype=series.dtype))
            cleaned[column] = series
        return cleaned

    @staticmethod
    def _first_filled(values: dict[str, pd.Series], columns: tuple[str, ...]) -> tuple[pd.Series, pd.Series | str]:
        """The first non-empty value among `columns`, and which column it came from."""
        result = values[columns[0]]
        if len(columns) == 1:
            return result, columns[0]
        source = pd.Series(np.full(len(result), columns[0], dtype=object))
        for column in columns[1:]:
            empty = result == ""
            result = result.where(~empty, values[column])
            source = source.where(~empty, column)
        return result, source

    def _add_issues(self, issues, mask, row_numbers, column, values, reason, severity) -> None:
        """One issue per row of `mask`; `column` and `reason` are one for all or one per row. Values are taken
        from plain arrays: a whole column can be unmapped in a new export, a million rows."""
        indices = np.flatnonzero(mask)
        if not len(indices):
            return
        for row, column_name, value, reason_text in zip(
            row_numbers[indices].tolist(),
            _at(column, indices),
            _at(values, indices),
            _at(reason, indices),
            strict=False,
        ):
            issues.append(
                {
                    "row_number": row,
                    "column": column_name,
                    "value": str(value)[:1000],
                    "reason": reason_text,
                    "severity": severity,
                    "record_id": "",
                    "raw_row": None,
                }
            )

    def _field(self, spec: FieldSpec, values, out, issues, row_numbers, unmapped) -> np.ndarray:
        if spec.type in ("date", "time"):
            return self._moment_field(spec, values, out, issues, row_numbers)
        raw, from_column = self._first_filled(values, spec.columns)
        rejected = np.zeros(len(raw), dtype=bool)
        if spec.type == "term":
            vocabulary = self.config.vocabularies.get(spec.vocabulary, {})
            terms = _per_distinct(raw, lambda value: vocabulary.get(fold_value(value)) if value else None)
            not_mapped = (raw != "").to_numpy() & pd.isna(terms)
            indices = np.flatnonzero(not_mapped)
            for index, column, value in zip(
                indices.tolist(), _at(from_column, indices), _at(raw, indices), strict=False
            ):
                unmapped.setdefault(index, []).append({"column": column, "value": value})
            self._add_issues(
                issues,
                not_mapped,
                row_numbers,
                from_column,
                raw,
                _("not in this source's vocabulary for %(vocabulary)s; kept as unmapped")
                % {"vocabulary": VOCABULARY_LABELS.get(spec.vocabulary, spec.vocabulary)},
                "unmapped",
            )
            out[spec.name] = _objects(terms)
        elif spec.type == "age":
            if spec.unit_column:
                pairs = raw.astype(str) + "|" + values[spec.unit_column].astype(str)
                ages, problems = _per_distinct_with_reason(
                    pairs, lambda pair: self._parse_age(*pair.split("|", 1), spec)
                )
            else:
                ages, problems = _per_distinct_with_reason(raw, lambda value: self._parse_age(value, "", spec))
            out[spec.name] = ages
            self._add_issues(issues, problems != "", row_numbers, from_column, raw, problems, "warning")
        elif spec.type == "number":
            numbers = _parse_numbers(raw)
            bad = (raw != "").to_numpy() & np.isnan(numbers)
            self._add_issues(issues, bad, row_numbers, from_column, raw, _("not a number"), "warning")
            out[spec.name] = numbers
        elif spec.type == "icd10":
            codes = _per_distinct(raw, lambda value: value.upper().replace(".", "").replace(" ", "") if value else "")
            valid = np.array([bool(ICD10_PATTERN.match(code)) or code == "" for code in codes], dtype=bool)
            self._add_issues(issues, ~valid, row_numbers, from_column, raw, _("not an ICD-10 code"), "warning")
            out[spec.name] = _objects(np.where(valid, codes, ""))
        elif spec.type == "id_number":
            out[spec.name] = _objects(clean_id_numbers(raw))
        else:  # text and name
            limit = TEXT_LIMITS.get(spec.name, 300)
            lengths = pc.utf8_length(pa.array(raw, type=pa.large_string()))
            if len(raw) and pc.max(lengths).as_py() > limit:
                too_long = pc.greater(lengths, limit).to_numpy(zero_copy_only=False)
                self._add_issues(
                    issues,
                    too_long,
                    row_numbers,
                    from_column,
                    raw,
                    _("longer than %(limit)d characters: kept whole in the row as sent, cut in the record")
                    % {"limit": limit},
                    "warning",
                )
                raw = raw.str.slice(0, limit)
            out[spec.name] = raw.array
        return rejected

    def _moment_field(self, spec: FieldSpec, values, out, issues, row_numbers) -> np.ndarray:
        """The first column holding a valid date (or time); an invalid value falls back to the next column."""
        result = np.full(len(row_numbers), None, dtype=object)
        any_filled = np.zeros(len(row_numbers), dtype=bool)
        problems: list[tuple[np.ndarray, str, pd.Series, np.ndarray]] = []
        for column in spec.columns:
            raw = values[column]
            parsed_values, reasons = _per_distinct_with_reason(
                raw, lambda value, column=column: self._parse_moment(value, spec, column)
            )
            take = pd.isna(result) & pd.notna(parsed_values)
            result[take] = parsed_values[take]
            any_filled |= (raw != "").to_numpy()
            problems.append((reasons != "", column, raw, reasons))
        out[spec.name] = _objects(result)
        unresolved = pd.isna(result)
        severity = "rejected" if spec.required else "warning"  # when no column gives a value
        for bad, column, raw, reasons in problems:
            self._add_issues(issues, bad & unresolved, row_numbers, column, raw, reasons, severity)
            self._add_issues(issues, bad & ~unresolved, row_numbers, column, raw, reasons, "warning")
        if not spec.required:
            return np.zeros(len(row_numbers), dtype=bool)
        empty = ~any_filled
        self._add_issues(
            issues, empty, row_numbers, spec.columns[0], values[spec.columns[0]], _("the date is empty"), "rejected"
        )
        return unresolved

    def _parse_moment(self, value: str, spec: FieldSpec, column: str) -> tuple[object, str]:
        if not value:
            return None, ""
        moment, other_form = moment_read(value, kind=spec.type, formats=spec.formats)
        if other_form and column not in self.columns_in_other_forms:
            self.columns_in_other_forms.add(column)
            note = (
                _(
                    "%(file)s: column %(column)s holds dates written in a form the profile does not list (such as "
                    "'%(value)s'); they were read, as that form cannot be misread. Add it to the profile's formats "
                    "if it is this source's usual form."
                )
                if spec.type == "date"
                else _(
                    "%(file)s: column %(column)s holds times written in a form the profile does not list (such as "
                    "'%(value)s'); they were read, as that form cannot be misread. Add it to the profile's formats "
                    "if it is this source's usual form."
                )
            )
            self.layout.notes.append(note % {"file": self.layout.display_name, "column": column, "value": value})
        if moment is None:
            expected = _formats_said(spec.formats)
            if spec.type == "date":
                return None, _("'%(value)s' is not a valid date (expected %(expected)s)") % {
                    "value": value,
                    "expected": expected,
                }
            return None, _("'%(value)s' is not a valid time (expected %(expected)s)") % {
                "value": value,
                "expected": expected,
            }
        if spec.type == "time":
            return moment.isoformat(), ""
        if moment > self.today:
            return None, _("the date %(date)s is in the future") % {"date": value}
        if moment < EARLIEST_DATE:
            return None, _("the date %(date)s is before 1900") % {"date": value}
        return moment.isoformat(), ""

    @staticmethod
    def _parse_age(value: str, unit: str, spec: FieldSpec) -> tuple[object, str]:
        if not value:
            return None, ""
        text = AGE_CONNECTORS.sub(" ", strip_accents(value).upper())
        if fold_value(text) in NEWBORN_WORDS:
            return 0.0, ""
        if not AGE_TEXT.fullmatch(text):
            return None, _("'%(value)s' is not an age") % {"value": value}
        written = AGE_PART.findall(text)
        parts = [(float(number.replace(",", ".")), AGE_WORDS.get(word)) for number, word in written]
        if any(part_unit is None for _, part_unit in parts) or (len(parts) > 1 and any(not w for _, w in written)):
            return None, _("'%(value)s' is not an age") % {"value": value}  # an unknown word, or "2 años 3"
        if len(parts) == 1:
            number, word_unit = parts[0]
            if number in UNKNOWN_AGES:
                return None, ""
            if unit and not written[0][1]:  # a bare number: the unit column says what it counts
                word_unit = spec.units.get(fold_value(unit), word_unit)
            parts = [(number, word_unit)]
        years = round(sum(number / AGE_DIVISORS[part_unit] for number, part_unit in parts), 2)
        if years > MAX_AGE_YEARS:
            return None, _("the age %(value)s is not plausible") % {"value": value}
        return years, ""

    def _apply_femicide_and_rules(self, out: pd.DataFrame) -> None:
        femicide = (out["category"] == FEMICIDE_TERM).to_numpy()
        out["is_femicide"] = femicide
        out.loc[femicide, "category"] = "homicide"
        for rule in self.config.rules:
            matches = np.ones(len(out), dtype=bool)
            for field_name, wanted in rule.when.items():
                if field_name in ("icd10_cause", "icd10_injury"):
                    matches &= _icd10_in_ranges(out[field_name], wanted)
                else:
                    matches &= out[field_name].isin(wanted).to_numpy()
            for target, term in rule.set.items():
                empty = out[target].isna().to_numpy()
                out.loc[matches & empty, target] = term

    def _attach_raw_rows(self, issues, frame, row_numbers, rejected) -> None:
        """Each rejected row as sent goes with its issues. The values are taken column by column, not row by row
        through pandas: every row of a file can be rejected (a date format nobody expected), a million of them."""
        indices = np.flatnonzero(rejected)
        if not len(indices):
            return
        columns = [frame[column].to_numpy(dtype=object)[indices] for column in self.layout.header]
        rows_by_number = {
            number: json.dumps(dict(zip(self.layout.header, values, strict=False)), ensure_ascii=False)
            for number, values in zip(row_numbers[indices].tolist(), zip(*columns, strict=False), strict=False)
        }
        for issue in issues:
            if issue["severity"] == "rejected" and issue["raw_row"] is None:
                issue["raw_row"] = rows_by_number.get(issue["row_number"])

    @staticmethod
    def _attach_record_ids(issues: list[dict], row_numbers: np.ndarray, record_ids: np.ndarray) -> None:
        """Each issue on a row's fields names the row's record id (empty where the id itself was refused), for a
        partner to find the row in its own system."""
        if not issues:
            return
        numbers = np.array([issue["row_number"] for issue in issues], dtype=np.int64)
        for issue, record_id in zip(issues, record_ids[np.searchsorted(row_numbers, numbers)].tolist(), strict=False):
            issue["record_id"] = record_id


def _formats_said(formats: tuple[str, ...]) -> str:
    """A profile's date and time formats as people write them: dd/mm/aaaa (in Spanish), HH:MM."""
    codes = {
        "%d": pgettext("date format", "dd"),
        "%m": pgettext("date format", "mm"),
        "%Y": pgettext("date format", "yyyy"),
        "%y": pgettext("date format", "yy"),
        "%H": "HH",
        "%M": "MM",
        "%S": "SS",
    }
    said = []
    for pattern in formats:
        for code, written in codes.items():
            pattern = pattern.replace(code, written)
        said.append(pattern)
    return " | ".join(said)


def _at(given: str | pd.Series | np.ndarray, indices: np.ndarray) -> list:
    """The values of a Series or an array at `indices`, as plain Python values (no per-row pandas access); a
    string is the value of every row."""
    if isinstance(given, str):
        return [given] * len(indices)
    if isinstance(given, pd.Series):
        given = given.to_numpy(dtype=object)
    return np.asarray(given, dtype=object)[indices].tolist()


def _icd10_in_ranges(codes: pd.Series, ranges: tuple[str, ...]) -> np.ndarray:
    three = codes.fillna("").str.slice(0, 3)
    matches = np.zeros(len(codes), dtype=bool)
    for code_range in ranges:
        low, _, high = code_range.partition("-")
        high = high or low
        matches |= ((three >= low[:3]) & (three <= high[:3]) & (three != "")).to_numpy()
    return matches


def _parse_number(value: str) -> float | None:
    if not value:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return None


def _parse_numbers(values: pd.Series) -> np.ndarray:
    """Each value as a float (NaN when empty or not a number); a decimal comma reads as a point."""
    texts = pa.array(values, type=pa.large_string())
    plain = pc.match_substring_regex(texts, PLAIN_NUMBER)
    numbers = pc.cast(pc.replace_substring(pc.if_else(plain, texts, "0"), ",", "."), pa.float64()).to_numpy().copy()
    others = ~plain.to_numpy(zero_copy_only=False)
    if others.any():
        parsed = _per_distinct(values[others], _parse_number)
        numbers[others] = np.array([np.nan if item is None else item for item in parsed], dtype=float)
    return numbers


SEVERITY_ORDER = {"rejected": 0, "unmapped": 1, "warning": 2}


def _worst_issue_per_cell(issues: list[dict]) -> list[dict]:
    """One issue per row and column (two fields read from the same cell report its problem once)."""
    kept: dict[tuple[int, str, str], dict] = {}
    for issue in issues:
        key = (issue["row_number"], issue["column"], issue["value"])
        current = kept.get(key)
        if current is None or SEVERITY_ORDER.get(issue["severity"], 3) < SEVERITY_ORDER.get(current["severity"], 3):
            kept[key] = issue
    return list(kept.values())
