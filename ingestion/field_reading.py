"""One field of a profile read from a chunk's columns, by its type: terms through the source's vocabulary, ages,
numbers, ICD-10 codes, id numbers, dates and times, text. Each distinct value is read once."""

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from observatory.records.models import SourceRecord
from observatory.records.terms import VOCABULARY_LABELS

from .moments import moment_read
from .profile_config import FieldSpec, ProfileConfig, fold_value
from .reading import FileLayout
from .row_issues import ChunkIssues, values_at
from .value_parsers import (
    ICD10_PATTERN,
    age_parse,
    clean_id_numbers,
    formats_said,
    icd10_code,
    numbers_parse,
    object_column,
    per_distinct,
    per_distinct_with_reason,
)

EARLIEST_DATE = date(1900, 1, 1)
# Text stored as written is cut to its column's length (the loader cuts every text column too; a name is cut here,
# before it is folded, so that the folded name is that of the name kept).
TEXT_LIMITS = {
    name: SourceRecord._meta.get_field(name).max_length
    for name in ("incident_id", "address", "reporting_unit", "full_name")
}

Unmapped = dict[int, list[dict]]  # row index -> its values no vocabulary maps


class FieldReader:
    """Reads the fields of one file's chunks; what it finds once for the whole file (dates written in a form the
    profile does not list) goes to the file's notes, once."""

    def __init__(self, *, config: ProfileConfig, layout: FileLayout, today: date):
        self.config = config
        self.layout = layout
        self.today = today
        self.columns_in_other_forms: set[str] = set()  # noted once on the file

    def read(
        self,
        spec: FieldSpec,
        *,
        values: dict[str, pd.Series],
        out: pd.DataFrame,
        issues: ChunkIssues,
        unmapped: Unmapped,
    ) -> np.ndarray:
        """The field into `out[spec.name]`, with its issues; which rows it rejects (a required date that none of
        its columns gives)."""
        if spec.type in ("date", "time"):
            return self._moments(spec, values, out, issues)
        raw, from_column = _first_filled(values, spec.columns)
        if spec.type == "term":
            out[spec.name] = self._terms(spec, raw, from_column, issues, unmapped)
        elif spec.type == "age":
            out[spec.name] = _ages(spec, raw, from_column, values, issues)
        elif spec.type == "number":
            out[spec.name] = _numbers(raw, from_column, issues)
        elif spec.type == "icd10":
            out[spec.name] = _icd10_codes(raw, from_column, issues)
        elif spec.type == "id_number":
            out[spec.name] = object_column(clean_id_numbers(raw))
        else:  # text and name
            out[spec.name] = _texts(spec, raw, from_column, issues)
        return np.zeros(len(raw), dtype=bool)

    def _terms(
        self, spec: FieldSpec, raw: pd.Series, from_column: pd.Series | str, issues: ChunkIssues, unmapped: Unmapped
    ) -> pd.Series:
        """The observatory's terms for the source's words; a word its vocabulary does not map is kept as unmapped."""
        vocabulary = self.config.vocabularies.get(spec.vocabulary, {})
        terms = per_distinct(raw, lambda value: vocabulary.get(fold_value(value)) if value else None)
        not_mapped = (raw != "").to_numpy() & pd.isna(terms)
        indices = np.flatnonzero(not_mapped)
        for index, column, value in zip(
            indices.tolist(), values_at(from_column, indices), values_at(raw, indices), strict=False
        ):
            unmapped.setdefault(index, []).append({"column": column, "value": value})
        issues.add(
            not_mapped,
            column=from_column,
            values=raw,
            reason=_("not in this source's vocabulary for %(vocabulary)s; kept as unmapped")
            % {"vocabulary": VOCABULARY_LABELS.get(spec.vocabulary, spec.vocabulary)},
            severity="unmapped",
        )
        return object_column(terms)

    def _moments(
        self, spec: FieldSpec, values: dict[str, pd.Series], out: pd.DataFrame, issues: ChunkIssues
    ) -> np.ndarray:
        """The first column holding a valid date (or time); an invalid value falls back to the next column."""
        rows = len(out)
        result = np.full(rows, None, dtype=object)
        any_filled = np.zeros(rows, dtype=bool)
        problems: list[tuple[np.ndarray, str, pd.Series, np.ndarray]] = []
        for column in spec.columns:
            raw = values[column]
            parsed_values, reasons = per_distinct_with_reason(
                raw, lambda value, column=column: self._moment_parse(value, spec, column)
            )
            take = pd.isna(result) & pd.notna(parsed_values)
            result[take] = parsed_values[take]
            any_filled |= (raw != "").to_numpy()
            problems.append((reasons != "", column, raw, reasons))
        out[spec.name] = object_column(result)
        unresolved = pd.isna(result)
        severity = "rejected" if spec.required else "warning"  # when no column gives a value
        for bad, column, raw, reasons in problems:
            issues.add(bad & unresolved, column=column, values=raw, reason=reasons, severity=severity)
            issues.add(bad & ~unresolved, column=column, values=raw, reason=reasons, severity="warning")
        if not spec.required:
            return np.zeros(rows, dtype=bool)
        issues.add(
            ~any_filled,
            column=spec.columns[0],
            values=values[spec.columns[0]],
            reason=_("the date is empty"),
            severity="rejected",
        )
        return unresolved

    def _moment_parse(self, value: str, spec: FieldSpec, column: str) -> tuple[object, str]:
        """A date or time as ISO text, and the problem with it ("" if none)."""
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
            expected = formats_said(spec.formats)
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


def _ages(
    spec: FieldSpec, raw: pd.Series, from_column: pd.Series | str, values: dict[str, pd.Series], issues: ChunkIssues
) -> np.ndarray:
    """Ages in years; a bare number counts the unit its unit column names, if the profile gives one."""
    if spec.unit_column:
        pairs = raw.astype(str) + "|" + values[spec.unit_column].astype(str)
        ages, problems = per_distinct_with_reason(pairs, lambda pair: age_parse(*pair.split("|", 1), units=spec.units))
    else:
        ages, problems = per_distinct_with_reason(raw, lambda value: age_parse(value, "", units=spec.units))
    issues.add(problems != "", column=from_column, values=raw, reason=problems, severity="warning")
    return ages


def _numbers(raw: pd.Series, from_column: pd.Series | str, issues: ChunkIssues) -> np.ndarray:
    """Numbers (a decimal comma reads as a point); NaN where empty or not a number, which is a warning."""
    numbers = numbers_parse(raw)
    bad = (raw != "").to_numpy() & np.isnan(numbers)
    issues.add(bad, column=from_column, values=raw, reason=_("not a number"), severity="warning")
    return numbers


def _icd10_codes(raw: pd.Series, from_column: pd.Series | str, issues: ChunkIssues) -> pd.Series:
    """Valid ICD-10 codes; another value is a warning, and left empty."""
    codes = per_distinct(raw, icd10_code)
    valid = np.array([bool(ICD10_PATTERN.match(code)) or code == "" for code in codes], dtype=bool)
    issues.add(~valid, column=from_column, values=raw, reason=_("not an ICD-10 code"), severity="warning")
    return object_column(np.where(valid, codes, ""))


def _texts(
    spec: FieldSpec, raw: pd.Series, from_column: pd.Series | str, issues: ChunkIssues
) -> pd.api.extensions.ExtensionArray:
    """Text as written, cut to its column's length (kept whole in the row as sent)."""
    limit = TEXT_LIMITS.get(spec.name, 300)
    lengths = pc.utf8_length(pa.array(raw, type=pa.large_string()))
    if len(raw) and pc.max(lengths).as_py() > limit:
        too_long = pc.greater(lengths, limit).to_numpy(zero_copy_only=False)
        issues.add(
            too_long,
            column=from_column,
            values=raw,
            reason=_("longer than %(limit)d characters: kept whole in the row as sent, cut in the record")
            % {"limit": limit},
            severity="warning",
        )
        raw = raw.str.slice(0, limit)
    return raw.array
