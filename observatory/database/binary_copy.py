"""PostgreSQL's binary COPY format, encoded a column at a time (numpy and Arrow) for tables of many rows.

A tuple is its field count (int16), then each field as its length (int32; -1 for NULL) and its bytes in network
order. A column is encoded into fields whole; `tuples_joined` lays each row's fields end to end, and
`binary_copy_write` sends the tuples between the format's header and trailer. The caller says which column holds
which type: nothing here knows a model.
"""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# A signature, flags and header extension; a tuple count of -1 ends the data.
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
COPY_TRAILER = b"\xff\xff"
NULL_FIELD = b"\xff\xff\xff\xff"
JSONB_VERSION = b"\x01"  # before a jsonb field's text
POSTGRES_EPOCH = np.datetime64("2000-01-01", "us")
POSTGRES_EPOCH_UNIX_MICROSECONDS = 946_684_800_000_000
# A 2D point with SRID 4326 as little-endian EWKB: byte order, type with the SRID flag, SRID; then x and y.
EWKB_POINT_PREFIX = np.frombuffer(bytes.fromhex("0101000020E6100000"), dtype=np.uint8)
# numeric(5,2) as two base-10000 digits (whole units, then hundredths x 100): ndigits, weight, sign, dscale.
NUMERIC_HUNDREDTHS_HEADER = np.array([2, 0, 0, 2], dtype=">i2")

# Fields are built as parts (arrays, or bytes the same for every row) that one final join lays end to end.
Part = pa.Array | bytes


def field_count(count: int) -> bytes:
    """What starts each tuple: how many fields follow."""
    return count.to_bytes(2, "big")


def constant_field(value: bytes) -> bytes:
    """A field the same in every row (its length, then its bytes), joined once, not per row."""
    return len(value).to_bytes(4, "big") + value


def timestamp_value(unix_microseconds: int) -> bytes:
    """A timestamp (with or without time zone) given in microseconds since 1970, as PostgreSQL's binary form
    counts it: microseconds since 2000-01-01."""
    return (unix_microseconds - POSTGRES_EPOCH_UNIX_MICROSECONDS).to_bytes(8, "big", signed=True)


def fixed_fields(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Fields of one fixed size from a structured or plain numpy array (its bytes as they are), NULL where not
    valid."""
    width = values.dtype.itemsize
    fields = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), len(values), [None, pa.py_buffer(np.ascontiguousarray(values).tobytes())]
    )
    fields = fields.cast(pa.large_binary())
    if valid is None or valid.all():
        return fields
    return pc.if_else(pa.array(valid), fields, pa.scalar(NULL_FIELD, pa.large_binary()))


def sized_fields(values: np.ndarray, kind: str, valid: np.ndarray | None = None) -> pa.Array:
    """Fixed-size values in network byte order (`kind`, a numpy type such as ">i8"), each after its length."""
    encoded = np.empty(len(values), dtype=[("length", ">i4"), ("value", kind)])
    encoded["length"] = np.dtype(kind).itemsize
    encoded["value"] = values
    return fixed_fields(encoded, valid)


def text_within_length(values: pa.Array, length: int | None) -> pa.Array:
    """Values cut to the column's length: a value the caller let through longer (a municipality name of a
    thousand characters in a place note) must not fail the whole COPY."""
    if length is None or not len(values) or pc.max(pc.utf8_length(values)).as_py() <= length:
        return values
    return pc.utf8_slice_codeunits(values, 0, length)


def text_fields(values: pa.Array, *, prefix: bytes = b"") -> list[Part]:
    """Strings (never NULL) as their UTF-8 bytes after their length; `prefix` goes before the bytes."""
    data = values.cast(pa.large_binary())
    lengths = (pc.binary_length(data).to_numpy() + len(prefix)).astype(">i4")
    return [fixed_fields(lengths), prefix, data] if prefix else [fixed_fields(lengths), data]


def point_fields(longitudes: np.ndarray, latitudes: np.ndarray) -> pa.Array:
    """EWKB points in SRID 4326 (exact doubles), NULL where there is no point."""
    wkb = np.empty((len(longitudes), 29), dtype=np.uint8)
    wkb[:, :4] = np.frombuffer(np.array([25], dtype=">i4").tobytes(), dtype=np.uint8)
    wkb[:, 4:13] = EWKB_POINT_PREFIX
    wkb[:, 13:21] = longitudes.astype("<f8").view(np.uint8).reshape(-1, 8)
    wkb[:, 21:] = latitudes.astype("<f8").view(np.uint8).reshape(-1, 8)
    return fixed_fields(wkb.view("V29").reshape(-1), ~(np.isnan(longitudes) | np.isnan(latitudes)))


def date_fields(values: pd.Series) -> pa.Array:
    """ISO dates (or None) as days since 2000-01-01; each distinct date is read once."""
    codes, distinct = pd.factorize(values)
    distinct_days = pd.to_datetime(distinct, format="%Y-%m-%d").to_numpy(dtype="datetime64[us]")
    days = np.append(distinct_days, np.datetime64("NaT", "us"))[codes]  # code -1 (no date) takes the NaT
    valid = ~np.isnat(days)
    since_epoch = np.where(valid, days, POSTGRES_EPOCH) - POSTGRES_EPOCH
    return sized_fields(since_epoch // np.timedelta64(1, "D"), ">i4", valid)


def time_fields(values: pd.Series) -> pa.Array:
    """ISO times of day (or None) as microseconds since midnight; each distinct time is read once."""
    codes, distinct = pd.factorize(values)
    since_midnight = pd.to_timedelta(distinct).to_numpy(dtype="timedelta64[us]").astype(np.int64)
    return sized_fields(np.append(since_midnight, 0)[codes], ">i8", codes >= 0)  # code -1 (no time) takes the 0


def hundredths_fields(values: pd.Series) -> pa.Array:
    """Numbers from 0 to 9999.99 (or not numbers: NULL), rounded to hundredths, as a numeric of scale 2 such
    as numeric(5,2)."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    valid = ~np.isnan(numbers)
    hundredths = np.rint(np.where(valid, numbers, 0) * 100).astype(np.int64)
    encoded = np.empty(len(numbers), dtype=[("length", ">i4"), ("header", ">i2", 4), ("digits", ">i2", 2)])
    encoded["length"] = 12
    encoded["header"] = NUMERIC_HUNDREDTHS_HEADER
    encoded["digits"][:, 0] = hundredths // 100
    encoded["digits"][:, 1] = hundredths % 100 * 100
    return fixed_fields(encoded, valid)


def tuples_joined(parts: list[Part]) -> pa.Array:
    """The parts laid end to end in each row; bytes next to each other are joined once, not per row."""
    merged: list = []
    for part in parts:
        if isinstance(part, bytes) and merged and isinstance(merged[-1], bytes):
            merged[-1] += part
        else:
            merged.append(part)
    merged = [pa.scalar(part, pa.large_binary()) if isinstance(part, bytes) else part for part in merged]
    return pc.binary_join_element_wise(*merged, pa.scalar(b"", pa.large_binary()))


def tuples_data(tuples: pa.Array) -> pa.Buffer:
    """The tuples' bytes as they lie, one after the other, in the Arrow array's data buffer."""
    offsets = np.frombuffer(tuples.buffers()[1], dtype=np.int64)[tuples.offset : tuples.offset + len(tuples) + 1]
    return tuples.buffers()[2][offsets[0] : offsets[-1]]


def binary_copy_write(cursor, *, table: str, columns: str, tuples: pa.Array) -> None:
    """COPY in binary format on a psycopg cursor; each of `tuples` is one row's field count and fields, in the
    order of `columns`."""
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT binary)") as copy:
        copy.write(COPY_HEADER)
        copy.write(tuples_data(tuples))
        copy.write(COPY_TRAILER)
