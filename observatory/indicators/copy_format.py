"""The publication's fields in PostgreSQL's binary COPY format (integer arrays and matrices, text arrays, bigints,
dates), built with struct and numpy, and the row digests a publication compares. The format's header, trailer and
NULL field are observatory.database.binary_copy's.

A field is its length (four bytes, -1 for NULL) and then its bytes; integers are big-endian; a date is days since
2000-01-01; an array is a header (dimensions, null flag, element type, then length and lower bound per
dimension) and its elements, each a field.
"""

import hashlib
import struct
from datetime import date

import numpy as np
import pandas as pd

from observatory.database.binary_copy import NULL_FIELD

INT4, INT2, VARCHAR = 23, 21, 1043
POSTGRES_EPOCH_ORDINAL = date(2000, 1, 1).toordinal()


def field(data: bytes | None) -> bytes:
    return NULL_FIELD if data is None else struct.pack(">i", len(data)) + data


def bigint(value: int) -> bytes:
    return struct.pack(">q", int(value))


def day(value: date) -> bytes:
    return struct.pack(">i", value.toordinal() - POSTGRES_EPOCH_ORDINAL)


def row_arrays(matrix: np.ndarray, *, oid: int = INT4) -> list[bytes]:
    """PostgreSQL binary array values, one per row of an integer matrix, built by numpy in one pass."""
    rows, length = matrix.shape
    size = 2 if oid == INT2 else 4
    elements = np.empty((rows, length), dtype=[("size", ">i4"), ("value", f">i{size}")])
    elements["size"], elements["value"] = size, matrix
    header = struct.pack(">iiiii", 1, 0, oid, length, 1)
    data, width = elements.tobytes(), elements.itemsize * length
    return [header + data[row * width : (row + 1) * width] for row in range(rows)]


def matrix_array(matrix: np.ndarray) -> bytes:
    """A two-dimensional int4[][] in binary form (no dimensions when the matrix has no rows)."""
    if not matrix.size:
        return struct.pack(">iii", 0, 0, INT4)
    elements = np.empty(matrix.shape, dtype=[("size", ">i4"), ("value", ">i4")])
    elements["size"], elements["value"] = 4, matrix
    return struct.pack(">iiiiiii", 2, 0, INT4, matrix.shape[0], 1, matrix.shape[1], 1) + elements.tobytes()


def text_array(values: list[str]) -> bytes:
    if not values:
        return struct.pack(">iii", 0, 0, VARCHAR)
    return struct.pack(">iiiii", 1, 0, VARCHAR, len(values), 1) + b"".join(field(value.encode()) for value in values)


def array_dtype(length: int, size: int) -> list:
    """A binary one-dimensional array field of `length` integers of `size` bytes: field length, header, elements."""
    return [
        ("length", ">i4"),
        ("header", ">i4", (5,)),
        ("elements", [("size", ">i4"), ("value", f">i{size}")], (length,)),
    ]


def array_fill(target: np.ndarray, values: np.ndarray, *, oid: int) -> None:
    """Fill the `array_dtype` fields `target`, one row of `values` each."""
    length, size = values.shape[1], 2 if oid == INT2 else 4
    target["length"] = 20 + length * (4 + size)
    target["header"] = (1, 0, oid, length, 1)
    target["elements"]["size"], target["elements"]["value"] = size, values


def digest(*parts: bytes | None) -> int:
    joined = b"\x1f".join(b"\x00" if part is None else part for part in parts)
    return int.from_bytes(hashlib.blake2b(joined, digest_size=8).digest(), "big", signed=True)


def row_digests(*parts) -> np.ndarray:
    """One 64-bit digest per row of several row-aligned parts (frames or matrices), computed in C by pandas."""
    hashes = [
        pd.util.hash_pandas_object(pd.DataFrame(part).reset_index(drop=True), index=False).to_numpy() for part in parts
    ]
    return pd.util.hash_pandas_object(pd.DataFrame(np.column_stack(hashes)), index=False).to_numpy().view(np.int64)
