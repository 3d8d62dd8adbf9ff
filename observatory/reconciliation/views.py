"""The analysts' reconciliation pages: the review queue, a pair and its decision, the victims, the linkage runs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability
from observatory.accounts.services import audit_personal_data_read
from observatory.records.selectors import source_list_for

from .filters import ReviewQueueFilter, VictimFilter
from .forms import LinkageRunRequestForm, PairDecisionForm
from .models import CandidatePair, LinkageRun
from .quality import linkage_quality_report
from .selectors import (
    candidate_pair_detail_list,
    decision_outcome,
    linkage_run_list,
    review_queue,
    review_queue_next,
    source_pair_list,
    victim_candidate_pair_list,
    victim_change_list,
    victim_detail_list,
    victim_list,
    victim_record_list,
)
from .services import ReconciliationError, linkage_run_create, pair_decide, review_queue_count

PAIRS_PER_PAGE = 50
VICTIMS_PER_PAGE = 50
RUNS_PER_PAGE = 30


@require_GET
@capability_required(Capability.REVIEW_MATCHES)
def review_list(request):
    sources = source_list_for(user=request.user)
    pairs = ReviewQueueFilter(
        request.GET,
        queryset=review_queue(),
        source_pairs=source_pair_list(),
        source_names={source.code: source.label for source in sources},
    )
    page = Paginator(pairs.qs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reconciliation/review_list.html", {"filter": pairs, "page": page})


@require_http_methods(["GET", "POST"])
@capability_required(Capability.REVIEW_MATCHES)
def pair_detail(request, pair_id: int):
    pair = get_object_or_404(candidate_pair_detail_list(), pk=pair_id)
    if request.method == "POST":
        form = PairDecisionForm(request.POST)
        if form.is_valid():
            return _decide(request, pair=pair, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"])
    else:
        form = PairDecisionForm(initial={"decision": pair.decision, "note": pair.decision_note})
    # Both records' names, ID numbers and rows as sent are on the page: reading them is audited.
    audit_personal_data_read(
        request=request,
        action="reconciliation.pair_read",
        target_type="candidate_pair",
        target_id=pair.pk,
        detail={"records": [pair.record_low_id, pair.record_high_id]},
    )
    return render(
        request,
        "reconciliation/pair_detail.html",
        {
            "pair": pair,
            "form": form,
            "records": [pair.record_low, pair.record_high],
            "next_pair": review_queue_next(after=pair),
        },
    )


def _decide(request, *, pair: CandidatePair, decision: str, note: str):
    try:
        run = pair_decide(pair=pair, decision=decision, user=request.user, note=note)
    except ReconciliationError as error:
        messages.error(request, str(error))
        return redirect("reconciliation:pair-detail", pair_id=pair.pk)
    messages.success(
        request,
        _("Pair #%(pair)s: decision saved: %(decision)s.") % {"pair": pair.pk, "decision": pair.get_decision_display()},
    )
    changes = list(decision_outcome(run=run))
    for change in changes:
        messages.info(
            request, _("%(victim)s: %(reason)s") % {"victim": change.victim.public_id, "reason": change.reason}
        )
    if not changes:
        messages.info(request, _("The victims did not change."))
    pair = get_object_or_404(candidate_pair_detail_list(), pk=pair.pk)
    low, high = (_victim_of(record) for record in (pair.record_low, pair.record_high))
    if low is not None and low == high:
        messages.info(request, _("Both records are now in victim %(victim)s.") % {"victim": low.public_id})
    else:
        messages.info(
            request,
            _("The records are now in different victims: %(low)s and %(high)s.")
            % {"low": low.public_id if low else "—", "high": high.public_id if high else "—"},
        )
    # On to the next pair of the queue, as a committee works through it; the queue itself once it is empty.
    following = review_queue_next(after=pair)
    if following is None:
        messages.info(request, _("No pair is left to review."))
        return redirect("reconciliation:review-list")
    return redirect("reconciliation:pair-detail", pair_id=following.pk)


def _victim_of(record):
    link = getattr(record, "victim_link", None)
    return link.victim if link else None


@require_GET
@capability_required(Capability.VIEW_PERSONAL_DATA)
def victim_list_page(request):
    victims = VictimFilter(request.GET, queryset=victim_list(), sources=source_list_for(user=request.user))
    page = Paginator(victims.qs, VICTIMS_PER_PAGE).get_page(request.GET.get("page"))
    # The list shows the victims' names: who read which of them, and with which filters, is audited.
    audit_personal_data_read(
        request=request,
        action="reconciliation.victim_list_read",
        target_type="victim",
        detail={"victims": [victim.pk for victim in page], "query": request.GET.dict()},
    )
    return render(request, "reconciliation/victim_list.html", {"filter": victims, "page": page})


@require_GET
@capability_required(Capability.VIEW_PERSONAL_DATA)
def victim_detail(request, victim_id: int):
    victim = get_object_or_404(victim_detail_list(), pk=victim_id)
    records = list(victim_record_list(victim=victim))
    audit_personal_data_read(
        request=request,
        action="reconciliation.victim_read",
        target_type="victim",
        target_id=victim.pk,
        detail={"records": [record.pk for record in records]},
    )
    return render(
        request,
        "reconciliation/victim_detail.html",
        {
            "victim": victim,
            "records": records,
            "records_by_id": {record.pk: record for record in records},
            "pairs": victim_candidate_pair_list(victim=victim),
            "changes": victim_change_list(victim=victim),
        },
    )


@require_GET
@capability_required(Capability.REVIEW_MATCHES)
def run_list(request):
    page = Paginator(linkage_run_list(), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reconciliation/run_list.html",
        {
            "page": page,
            "form": LinkageRunRequestForm(),
            "review_count": review_queue_count(),
            "status_labels": dict(LinkageRun.Status.choices),
            "estimate": (report := linkage_quality_report()) and report["estimate"],
        },
    )


@require_POST
@capability_required(Capability.REVIEW_MATCHES)
def run_create(request):
    form = LinkageRunRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an incremental or a full run."))
        return redirect("reconciliation:run-list")
    run = linkage_run_create(
        kind=form.cleaned_data["kind"], requested_by=request.user, reason_code=LinkageRun.Reason.RUNS_PAGE
    )
    messages.success(request, _("%(run)s queued; this page follows it.") % {"run": run})
    return redirect("reconciliation:run-list")


@require_GET
@capability_required(Capability.REVIEW_MATCHES)
def run_status(request, run_id: int):
    """A run's state for the runs page to follow while it is queued or running."""
    run = get_object_or_404(linkage_run_list(), pk=run_id)
    return JsonResponse(
        {
            "id": run.pk,
            "kind": run.kind,
            "status": run.status,
            "status_label": run.get_status_display(),
            "progress": run.progress,
            "progress_note": run.progress_note,
            "records_considered": run.records_considered,
            "pairs_scored": run.pairs_scored,
            "review_pairs": run.review_pairs,
            "victims_created": run.victims_created,
            "victims_changed": run.victims_changed,
            "victims_retired": run.victims_retired,
            "seconds": run.seconds,
            "error": run.error,
            "notes": run.notes,
        }
    )
