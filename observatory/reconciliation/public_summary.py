"""How the reconciliation stands, in aggregate, for the public methodology page: nothing here names a person."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from .linkage.review_estimate import ReviewEstimate
from .models import CandidatePair, LinkageRun, Victim
from .quality import linkage_quality_report
from .selectors import review_queue


@dataclass(frozen=True)
class LinkageSummary:
    finished_at: datetime
    model_trained: bool
    victims: int
    # (case status label, victims, share of all victims), in the order of Victim.CaseStatus.
    by_status: list[tuple[str, int, float]]
    in_several_sources: int
    pairs_to_review: int
    pairs_decided: int
    # Precision and recall estimated from the analysts' decisions (linkage/review_estimate.py).
    estimate: ReviewEstimate


def linkage_summary() -> LinkageSummary | None:
    """The latest finished linkage run, the current victims by case status and by how many sources recorded them,
    the pairs waiting for an analyst and those analysts decided, and the precision and recall their decisions
    give; None before any run finished."""
    # A run marked done with no finishing time (written by hand, as the benchmarks did) says nothing of when the
    # victims were last linked: the page would read "Last run on : ".
    run = (
        LinkageRun.objects.filter(status=LinkageRun.Status.DONE, finished_at__isnull=False)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is None:
        return None
    active = Victim.objects.filter(retired_at__isnull=True)
    counts = dict(active.values_list("case_status").annotate(victims=Count("id")).order_by())
    total = sum(counts.values())
    return LinkageSummary(
        finished_at=run.finished_at,
        model_trained=run.model_trained,
        victims=total,
        by_status=[
            (label, counts.get(status, 0), counts.get(status, 0) / total if total else 0.0)
            for status, label in Victim.CaseStatus.choices
        ],
        in_several_sources=active.filter(sources__len__gt=1).count(),
        pairs_to_review=review_queue().count(),
        pairs_decided=CandidatePair.objects.exclude(decision="").count(),
        estimate=linkage_quality_report()["estimate"],
    )
