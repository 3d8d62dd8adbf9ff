"""The issues found in a chunk, each naming its row, column and value, with a reason and a severity: rows
rejected (with the row as sent), values kept as unmapped, warnings."""

import json

import numpy as np
import pandas as pd

from .reading import MalformedRow

SEVERITY_ORDER = {"rejected": 0, "unmapped": 1, "warning": 2}


class ChunkIssues:
    """A chunk's issues in the order found. `row_numbers`: the line each of the chunk's rows starts on."""

    def __init__(self, *, row_numbers: np.ndarray):
        self.row_numbers = row_numbers
        self.found: list[dict] = []

    def malformed_rows_add(self, malformed: list[MalformedRow], *, separator: str) -> None:
        """Lines that are no row (a wrong number of fields), rejected with their fields as read."""
        self.found += [
            {
                "row_number": bad.row_number,
                "column": "",
                "value": separator.join(bad.fields)[:1000],
                "reason": bad.reason,
                "severity": "rejected",
                "record_id": "",
                "raw_row": json.dumps(bad.fields, ensure_ascii=False),
            }
            for bad in malformed
        ]

    def add(
        self,
        mask: np.ndarray,
        *,
        column: str | pd.Series,
        values: pd.Series | np.ndarray,
        reason: str | np.ndarray,
        severity: str,
    ) -> None:
        """One issue per row of `mask`; `column` and `reason` are one for all or one per row. Values are taken
        from plain arrays: a whole column can be unmapped in a new export, a million rows."""
        indices = np.flatnonzero(mask)
        if not len(indices):
            return
        for row, column_name, value, reason_text in zip(
            self.row_numbers[indices].tolist(),
            values_at(column, indices),
            values_at(values, indices),
            values_at(reason, indices),
            strict=False,
        ):
            self.found.append(
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

    def raw_rows_attach(self, *, frame: pd.DataFrame, header: list[str], rejected: np.ndarray) -> None:
        """Each rejected row as sent goes with its issues. The values are taken column by column, not row by row
        through pandas: every row of a file can be rejected (a date format nobody expected), a million of them."""
        indices = np.flatnonzero(rejected)
        if not len(indices):
            return
        columns = [frame[column].to_numpy(dtype=object)[indices] for column in header]
        rows_by_number = {
            number: json.dumps(dict(zip(header, values, strict=False)), ensure_ascii=False)
            for number, values in zip(self.row_numbers[indices].tolist(), zip(*columns, strict=False), strict=False)
        }
        for issue in self.found:
            if issue["severity"] == "rejected" and issue["raw_row"] is None:
                issue["raw_row"] = rows_by_number.get(issue["row_number"])

    def record_ids_attach(self, *, record_ids: np.ndarray, start: int) -> None:
        """Each issue from the `start`-th on (those on a row's fields) names the row's record id (empty where the
        id itself was refused), for a partner to find the row in its own system."""
        issues = self.found[start:]
        if not issues:
            return
        numbers = np.array([issue["row_number"] for issue in issues], dtype=np.int64)
        positions = np.searchsorted(self.row_numbers, numbers)
        for issue, record_id in zip(issues, record_ids[positions].tolist(), strict=False):
            issue["record_id"] = record_id

    def worst_per_cell(self) -> list[dict]:
        """One issue per row and column (two fields read from the same cell report its problem once)."""
        kept: dict[tuple[int, str, str], dict] = {}
        for issue in self.found:
            key = (issue["row_number"], issue["column"], issue["value"])
            current = kept.get(key)
            if current is None or SEVERITY_ORDER.get(issue["severity"], 3) < SEVERITY_ORDER.get(current["severity"], 3):
                kept[key] = issue
        return list(kept.values())


def values_at(given: str | pd.Series | np.ndarray, indices: np.ndarray) -> list:
    """The values of a Series or an array at `indices`, as plain Python values (no per-row pandas access); a
    string is the value of every row."""
    if isinstance(given, str):
        return [given] * len(indices)
    if isinstance(given, pd.Series):
        given = given.to_numpy(dtype=object)
    return np.asarray(given, dtype=object)[indices].tolist()
