"""The linkage quality the public sees: the latest linkage run, and precision and recall estimated from the
analysts' review decisions (linkage/review_estimate.py)."""

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .linkage.review_estimate import band_edges, review_estimate
from .models import CandidatePair, LinkageRun
from .selectors import review_queue


def linkage_quality_report() -> dict | None:
    """The latest finished linkage run, the review queue, and the estimate; None before any run. Kept in the cache
    until the next run: every decision is a run of its own, so a report read from the cache is never stale."""
    run = LinkageRun.objects.filter(status=LinkageRun.Status.DONE).order_by("-finished_at", "-pk").first()
    if run is None:
        return None
    return cache.get_or_set(
        f"reconciliation:quality-report:{run.pk}:{run.finished_at and run.finished_at.isoformat()}",
        lambda: _report(run),
        timeout=settings.RECONCILIATION_QUALITY_REPORT_CACHE_SECONDS,
    )


def _report(run: LinkageRun) -> dict:
    """Every scored pair read (a few hundred thousand rows for a million records), hence the cache."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.match_probability,
                   coalesce(low.victim_id = high.victim_id, false),
                   CASE p.decision WHEN %(match)s THEN 1 WHEN %(non_match)s THEN 0 ELSE -1 END
            FROM reconciliation_candidatepair p
            LEFT JOIN reconciliation_victimrecord low ON low.record_id = p.record_low_id
            LEFT JOIN reconciliation_victimrecord high ON high.record_id = p.record_high_id
            """,
            {"match": CandidatePair.Decision.MATCH, "non_match": CandidatePair.Decision.NON_MATCH},
        )
        rows = cursor.fetchall()
    pairs = np.array(rows, dtype=float).reshape(-1, 3)
    review, match = settings.RECONCILIATION_REVIEW_THRESHOLD, settings.RECONCILIATION_MATCH_THRESHOLD
    estimate = review_estimate(
        probability=pairs[:, 0],
        linked=pairs[:, 1].astype(bool),
        decision=pairs[:, 2].astype(np.int8),
        edges=band_edges(review=review, match=match),
    )
    decisions = pairs[:, 2]
    return {
        "run": run,
        "match_threshold": match,
        "review_threshold": review,
        "pairs_scored": len(pairs),
        "pairs_linked": int(pairs[:, 1].sum()),
        "decided_match": int((decisions == 1).sum()),
        "decided_non_match": int((decisions == 0).sum()),
        "decided_unsure": CandidatePair.objects.filter(decision=CandidatePair.Decision.UNSURE).count(),
        "pending_review": review_queue().count(),
        "estimate": estimate,
    }
