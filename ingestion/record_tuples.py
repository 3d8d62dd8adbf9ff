"""A normalised chunk's rows as SourceRecord tuples in PostgreSQL's binary COPY format: which column is which
type, and the columns that are the same for a whole run (RecordLoader.constants)."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from observatory.database.binary_copy import (
    JSONB_VERSION,
    Part,
    constant_field,
    date_fields,
    field_count,
    hundredths_fields,
    point_fields,
    sized_fields,
    text_fields,
    text_within_length,
    time_fields,
    tuples_joined,
)
from observatory.records.models import SourceRecord

from .normalising import STAGED_COLUMNS

# Written as they are from a normalised chunk to SourceRecord (text columns empty rather than NULL).
COPIED_COLUMNS = [
    column for column in STAGED_COLUMNS if column not in ("row_number", "point_latitude", "point_longitude")
]
TEXT_COLUMNS = [
    "status",
    "incident_id",
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
    "reporting_unit",
    "full_name",
    "name_folded",
    "id_number",
    "address",
    "geo_method",
    "geo_note",
]
RECORD_COLUMNS = [
    "source_id",
    "first_run_id",
    "last_run_id",
    "revision",
    "created_at",
    "updated_at",
    "profile_version",
    "raw",
    "point",
    *COPIED_COLUMNS,
]
# How each column a chunk gives is encoded; the others are the same for the whole run (RecordLoader.constants).
RECORD_TYPES = {
    "raw": "text",
    "point": "point",
    "record_id": "text",
    "unmapped": "jsonb",
    "event_date": "date",
    "event_time": "time",
    "death_date": "date",
    "recovery_date": "date",
    "discharge_date": "date",
    "is_femicide": "bool",
    "age_years": "numeric",
    "is_unidentified": "bool",
    "municipality_id": "int8",
    "colonia_id": "int8",
    "jurisdiction_id": "int8",
    "content_hash": "int8",
    **dict.fromkeys(TEXT_COLUMNS, "text"),
}
TEXT_LENGTHS = {
    column: SourceRecord._meta.get_field(column).max_length for column, kind in RECORD_TYPES.items() if kind == "text"
}


def record_tuples(frame: pd.DataFrame, *, raw_lines: pa.Array, constants: dict[str, bytes]) -> pa.Array:
    """Each row as one tuple of PostgreSQL's binary COPY format, fields in the order of RECORD_COLUMNS."""
    parts: list[Part] = [field_count(len(RECORD_COLUMNS))]
    for column in RECORD_COLUMNS:
        kind = RECORD_TYPES.get(column)
        if column in constants:
            parts.append(constant_field(constants[column]))
        elif column == "raw":
            parts += text_fields(raw_lines)
        elif kind == "text":
            parts += text_fields(
                text_within_length(
                    pc.fill_null(pa.array(frame[column], type=pa.large_string(), from_pandas=True), ""),
                    TEXT_LENGTHS[column],
                )
            )
        elif kind == "jsonb":
            parts += text_fields(pa.array(frame[column], type=pa.large_string()), prefix=JSONB_VERSION)
        else:
            parts.append(_fixed_size_fields(frame, column, kind))
    return tuples_joined(parts)


def _fixed_size_fields(frame: pd.DataFrame, column: str, kind: str) -> pa.Array:
    """A column of fixed-size values (NULL or not) as complete fields."""
    if kind == "point":
        return point_fields(
            frame["point_longitude"].to_numpy(dtype=float), frame["point_latitude"].to_numpy(dtype=float)
        )
    if kind == "date":
        return date_fields(frame[column])
    if kind == "time":
        return time_fields(frame[column])
    if kind == "numeric":
        return hundredths_fields(frame[column])
    if kind == "bool":
        return sized_fields(frame[column].to_numpy(dtype=bool), "?")
    values = frame[column]  # int8, nullable
    return sized_fields(values.fillna(0).to_numpy(dtype=np.int64), ">i8", values.notna().to_numpy())
