"""The suppression the publication holds, for an incremental computation to keep.

A month's suppression depends on that month's counts alone: every group of a total and its parts lies within one
month, and a derived figure over a hidden month is hidden, so no published relation joins two months. An
incremental computation therefore recomputes and audits only the months it recounted and keeps the marks of the
others as they were published, unless the suppression rules changed since (then every month is done again).
"""

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Q

from .counting import KEY
from .figures import month_number
from .models import MonthlySeries, Vintage
from .table import CountTable


def suppression_rules() -> dict:
    """The settings a suppression pattern follows from (kept with each vintage's audit)."""
    return {
        "suppress_below": settings.INDICATORS_SUPPRESS_BELOW,
        "series": sorted(settings.INDICATORS_SUPPRESSED_SERIES),
        "minor_age": settings.INDICATORS_MINOR_AGE,
    }


def kept_marks(*, table: CountTable) -> np.ndarray | None:
    """The published marks aligned with the rows and months of `table` (none where nothing was hidden), or None
    when they cannot be kept: the last vintage that suppressed followed other rules, or predates the audit."""
    last_audited = (
        Vintage.objects.filter(status=Vintage.Status.DONE)
        .exclude(disclosure_audit={})
        .order_by("-pk")
        .values_list("disclosure_audit", flat=True)
        .first()
    )
    if (last_audited or {}).get("rules") != suppression_rules():
        return None
    marks = np.zeros(table.counts.shape, dtype=np.int8)
    hiding = [MonthlySeries.Suppression.PRIMARY, MonthlySeries.Suppression.COMPLEMENTARY]
    # Only series with a hidden month (their array overlaps the marks that hide).
    stored = MonthlySeries.objects.filter(Q(valid_to__isnull=True), suppression__overlap=hiding).values_list(
        *KEY, "first_month", "suppression"
    )
    rows = list(stored)
    if not rows or not len(table.keys):
        return marks
    found = pd.DataFrame([row[:6] for row in rows], columns=KEY).astype({"unit_id": np.int64})
    position = (
        table.keys.astype({"unit_id": np.int64})
        .reset_index(drop=True)
        .reset_index()
        .merge(found.reset_index(names="stored"), on=KEY)
    )
    for row, index in zip(position["index"].tolist(), position["stored"].tolist(), strict=True):
        first, values = rows[index][6], np.asarray(rows[index][7], dtype=np.int8)
        start = month_number(first) - table.first_month
        lo, hi = max(start, 0), min(start + len(values), table.counts.shape[1])
        if lo < hi:
            marks[row, lo:hi] = values[lo - start : hi - start]
    return marks
