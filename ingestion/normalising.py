"""Turning a chunk of raw rows into normalised records, column by column (vectorised).

Every value a column holds is interpreted once (dates, ages, names, vocabulary terms are few distinct
values repeated many times), then spread back over the rows. Problems become issues naming the row, the
column and the value: a row is rejected only when it has no usable record id or event date.
"""

import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _

from observatory.records.models import SourceRecord

from .field_reading import FieldReader, Unmapped
from .folding import PLACEHOLDER_NAME, fold_person_names, fold_values
from .places import PlaceResolver
from .profile_config import FEMICIDE_TERM, ProfileConfig
from .reading import FileLayout, RawChunk
from .row_issues import ChunkIssues
from .row_lines import COMPARED_JOIN
from .value_parsers import icd10_in_ranges, object_column

RECORD_ID_LENGTH = SourceRecord._meta.get_field("record_id").max_length

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


class ChunkNormaliser:
    """Normalises the chunks of one file (or of stored rows read again), stage by stage: blank rows dropped,
    missing words emptied, record ids built, fields read, terms completed, names folded, places resolved."""

    def __init__(
        self, *, config: ProfileConfig, profile_version: int, layout: FileLayout, places: PlaceResolver, today: date
    ):
        self.config = config
        self.profile_version = profile_version
        self.layout = layout
        self.places = places
        self.fields = FieldReader(config=config, layout=layout, today=today)

    def normalise(self, chunk: RawChunk) -> NormalisedChunk:
        """The chunk's rows as records to stage, and the issues found on the way; the rows rejected are left out,
        their issues holding the rows as sent."""
        frame, non_blank = self._without_blank_rows(chunk)
        issues = ChunkIssues(row_numbers=chunk.row_numbers[non_blank])
        issues.malformed_rows_add(chunk.malformed, separator=self.layout.separator)
        values = self._missing_values_emptied(frame)
        out = pd.DataFrame({"row_number": issues.row_numbers})
        record_id, rejected = self._record_ids(values, issues)
        out["record_id"] = object_column(record_id.to_numpy())
        issues_before_fields, ids_for_issues = len(issues.found), np.where(rejected, "", record_id.to_numpy())
        rejected_by_fields, unmapped = self._fields_read(values, out, issues)
        rejected |= rejected_by_fields
        self._terms_completed(out, unmapped)
        self._names_folded(out)
        self._places_resolved(out)
        # The rows rejected left out; the others' rows as sent, and their content hashes.
        lines = self._kept(chunk.lines, non_blank, rejected)
        compared = self._kept(chunk.compared_rows, non_blank, rejected)
        if rejected.any():
            out = out.loc[~rejected].reset_index(drop=True)
        issues.raw_rows_attach(frame=frame, header=self.layout.header, rejected=rejected)
        issues.record_ids_attach(record_ids=ids_for_issues, start=issues_before_fields)
        out["content_hash"] = content_hashes(
            compared=compared, names=self.layout.header, profile_version=self.profile_version
        )
        return NormalisedChunk(
            staged=out[STAGED_COLUMNS],
            raw_lines=lines,
            issues=issues.worst_per_cell(),
            rows_read=len(frame) + len(chunk.malformed),
            rows_rejected=int(rejected.sum()) + len(chunk.malformed),
        )

    @staticmethod
    def _without_blank_rows(chunk: RawChunk) -> tuple[pd.DataFrame, np.ndarray]:
        """The chunk's values without their surrounding spaces, and without the rows left blank; which rows are
        kept."""
        frame = chunk.frame
        for column in frame.columns:
            frame[column] = frame[column].astype(str).str.strip()
        non_blank = (frame != "").any(axis=1).to_numpy()
        return frame.loc[non_blank].reset_index(drop=True), non_blank

    def _missing_values_emptied(self, frame: pd.DataFrame) -> dict[str, pd.Series]:
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

    def _record_ids(self, values: dict[str, pd.Series], issues: ChunkIssues) -> tuple[pd.Series, np.ndarray]:
        """Each row's record id, its columns joined; the rows it rejects: an id column empty, or an id too long."""
        rejected = np.zeros(len(issues.row_numbers), dtype=bool)
        id_parts = [values[column] for column in self.config.record_id_columns]
        for column, part in zip(self.config.record_id_columns, id_parts, strict=False):
            empty = (part == "").to_numpy()
            issues.add(empty, column=column, values=part, reason=_("the record id is empty"), severity="rejected")
            rejected |= empty
        record_id = id_parts[0].astype(str)
        for part in id_parts[1:]:
            record_id = record_id + self.config.record_id_join + part.astype(str)
        # Cut to fit, two ids differing only after the limit would be one record: such a row is refused.
        too_long = (record_id.str.len() > RECORD_ID_LENGTH).to_numpy() & ~rejected
        issues.add(
            too_long,
            column=", ".join(self.config.record_id_columns),
            values=record_id,
            reason=_("the record id is longer than %(limit)d characters") % {"limit": RECORD_ID_LENGTH},
            severity="rejected",
        )
        return record_id, rejected | too_long

    def _fields_read(
        self, values: dict[str, pd.Series], out: pd.DataFrame, issues: ChunkIssues
    ) -> tuple[np.ndarray, Unmapped]:
        """Each field the profile maps read into `out`, the others left empty: the rows a required field rejects,
        and each row's values no vocabulary maps."""
        rejected = np.zeros(len(out), dtype=bool)
        unmapped: Unmapped = {}
        for spec in self.config.fields.values():
            rejected |= self.fields.read(spec, values=values, out=out, issues=issues, unmapped=unmapped)
        for name in PROFILE_FIELDS:
            if name not in out.columns:
                out[name] = None
        return rejected, unmapped

    def _terms_completed(self, out: pd.DataFrame, unmapped: Unmapped) -> None:
        """Femicides flagged and the profile's rules applied; then the terms still empty take their defaults (a
        category stays empty where a value is unmapped), and each row its status and its unmapped values."""
        self._femicide_and_rules_applied(out)
        out["outcome"] = out["outcome"].fillna("unknown")
        out["sex"] = out["sex"].fillna("U")
        has_unmapped = np.zeros(len(out), dtype=bool)
        has_unmapped[list(unmapped)] = True
        out["category"] = out["category"].where(out["category"].notna() | has_unmapped, "other")
        out["status"] = object_column(np.where(has_unmapped, "unmapped", "normalised").astype(object))
        unmapped_json = np.full(len(out), "[]", dtype=object)
        for index, entries in unmapped.items():
            unmapped_json[index] = json.dumps(entries, ensure_ascii=False)
        out["unmapped"] = object_column(unmapped_json)

    def _femicide_and_rules_applied(self, out: pd.DataFrame) -> None:
        """A category the vocabulary says is femicide is a homicide flagged as femicide; each rule sets the terms
        still empty of the rows it matches, in the profile's order."""
        femicide = (out["category"] == FEMICIDE_TERM).to_numpy()
        out["is_femicide"] = femicide
        out.loc[femicide, "category"] = "homicide"
        for rule in self.config.rules:
            matches = np.ones(len(out), dtype=bool)
            for field_name, wanted in rule.when.items():
                if field_name in ("icd10_cause", "icd10_injury"):
                    matches &= icd10_in_ranges(out[field_name], wanted)
                else:
                    matches &= out[field_name].isin(wanted).to_numpy()
            for target, term in rule.set.items():
                empty = out[target].isna().to_numpy()
                out.loc[matches & empty, target] = term

    @staticmethod
    def _names_folded(out: pd.DataFrame) -> None:
        """Names folded for matching; a placeholder name (N.N., DESCONOCIDO) is no name, and its person is
        unidentified, as is a person without a name or whom the source says is unidentified."""
        full_names = out["full_name"].fillna("")
        folded_names = fold_person_names(full_names)
        placeholder = pc.match_substring_regex(folded_names, PLACEHOLDER_NAME).to_numpy(zero_copy_only=False)
        out["name_folded"] = object_column(pc.if_else(placeholder, "", folded_names).to_numpy(zero_copy_only=False))
        out["is_unidentified"] = placeholder | (full_names == "").to_numpy()
        out["is_unidentified"] |= (out["identification"] == "unidentified").to_numpy()

    def _places_resolved(self, out: pd.DataFrame) -> None:
        """The place names and coordinates read replaced by the places they resolve to."""
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

    @staticmethod
    def _kept(lines: pa.Array, non_blank: np.ndarray, rejected: np.ndarray) -> pa.Array:
        """The lines of the rows staged: not blank, then not rejected."""
        lines = lines.filter(pa.array(non_blank))
        return lines.filter(pa.array(~rejected)) if rejected.any() else lines
