"""Reconciliation runs and review decisions: the only code that writes victims, their records and candidate pairs
(through storage.py, which holds their SQL)."""

from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatory.accounts.models import User
from observatory.accounts.services import audit_record
from observatory.jobs.locks import LINKAGE_LOCK, advisory_xact_lock
from observatory.jobs.services import job_execute, job_progress
from observatory.queueing import task_enqueue

from .linkage.clustering import clusters_build
from .linkage.identities import identities_assign
from .linkage.vocabulary import BLOCKING_RULE_NAMES, MISSING_CATEGORIES
from .models import CandidatePair, LinkageKey, LinkageRun
from .queueing import LINKAGE_RUN_EXECUTE
from .signals import victims_changed
from .storage import (
    Edges,
    candidate_pairs_store,
    decided_matches,
    linkage_keys_store,
    pair_edges,
    plan_write,
    record_rows,
    records_changed_since_linked,
    victim_mates,
)

if TYPE_CHECKING:
    from .linkage.candidates import BlocksLeftOut


class ReconciliationError(Exception):
    pass


def linkage_run_create(
    *, kind: str, requested_by: User | None = None, reason_code: str = "", reason_params: dict | None = None
) -> LinkageRun:
    """Queue a run; the worker starts it once the transaction that asked for it commits."""
    run = LinkageRun.objects.create(
        kind=kind, requested_by=requested_by, reason_code=reason_code, reason_params=reason_params or {}
    )
    task_enqueue(name=LINKAGE_RUN_EXECUTE, args=(run.pk,))
    return run


def linkage_run_execute(*, run_id: int) -> LinkageRun:
    """Run a queued linkage run to its end. Safe to call again for a run a killed worker left behind."""
    # Loaded before the run's clock starts (pandas, DuckDB, Splink: most of a second), as a worker has them loaded
    # after its first run; not at the module's top, which every process that merely starts Django would pay.
    from .linkage import features, scoring  # noqa: F401

    return job_execute(model=LinkageRun, job_id=run_id, lock=LINKAGE_LOCK, work=_execute)


def _execute(run: LinkageRun) -> None:
    """Its progress: the share of its four stages begun (reading, estimating, scoring, forming victims)."""
    from .linkage.features import records_frame, records_near
    from .linkage.scoring import model_train, pairs_score

    previous = _latest_model_run()
    # Without linkage keys (the first run since they are kept), what lies within reach of new records is unknown.
    full = run.kind == LinkageRun.Kind.FULL or previous is None or not LinkageKey.objects.exists()
    if full:
        job_progress(job=run, fraction=0.0, note=_("Reading records"))
        frame = records_frame()
        job_progress(job=run, fraction=0.25, note=_("Estimating the model"))
        run.model, run.model_trained = model_train(frame=frame, matches=decided_matches())
        changed, term_frequencies = set(frame["unique_id"]), None
    else:
        run.model, run.model_trained = previous.model, previous.model_trained
        changed = records_changed_since_linked()
        if not changed:
            run.review_pairs = review_queue_count()
            return
        job_progress(job=run, fraction=0.0, note=_("Reading records"))
        # Only the records within reach of the changed ones; the names' frequencies still count every record.
        frame, name_shares = records_near(records=changed)
        term_frequencies = {"name_sorted": name_shares}
    run.records_considered = len(frame)
    job_progress(job=run, fraction=0.5, note=_("Scoring candidate pairs"))
    scored = (
        pairs_score(frame=frame, model=run.model, new_ids=None if full else changed, term_frequencies=term_frequencies)
        if len(frame) > 1
        else None
    )
    run.notes = _blocks_left_out_note(scored.left_out) if scored else ""
    run.pairs_by_rule = scored.pairs_by_rule if scored else {}
    run.candidate_pairs = scored.candidate_pairs if scored else 0
    run.pairs_compared = scored.pairs_compared if scored else 0
    with transaction.atomic():
        linkage_keys_store(frame=frame[frame["unique_id"].isin(changed)], replace_all=full)
        considered = set(frame["unique_id"])
        # The records' features (a gigabyte at a million records) are not kept while the victims are formed.
        del frame
        run.pairs_scored = candidate_pairs_store(
            run=run, batches=scored.batches if scored else (), replace_all=full, changed=changed
        )
        job_progress(job=run, fraction=0.75, note=_("Forming victims"))
        edges = pair_edges()
        scope = considered if full else _scope_closure(seeds=changed, edges=edges)
        victims_recluster(run=run, scope=scope, edges=edges)
        run.review_pairs = review_queue_count()


def _latest_model_run() -> LinkageRun | None:
    return (
        LinkageRun.objects.filter(status=LinkageRun.Status.DONE, model__isnull=False)
        .order_by("-finished_at", "-pk")
        .first()
    )


def review_queue_count() -> int:
    return CandidatePair.objects.filter(
        decision="",
        match_probability__lt=settings.RECONCILIATION_MATCH_THRESHOLD,
        match_probability__gte=settings.RECONCILIATION_REVIEW_THRESHOLD,
    ).count()


def _blocks_left_out_note(left_out: list["BlocksLeftOut"]) -> str:
    """What the run did not compare, for the runs page: empty when every block was paired."""
    if not left_out:
        return ""
    rules = "; ".join(
        _("%(rule)s: %(keys)d key(s), %(comparisons)d comparisons")
        % {"rule": BLOCKING_RULE_NAMES[blocks.rule], "keys": blocks.keys, "comparisons": blocks.comparisons}
        for blocks in left_out
    )
    return _(
        "Blocking keys shared by too many records to tell people apart were left out (more than %(limit)d "
        "comparisons each; records holding one are still compared by their other keys): %(rules)s. Are "
        "rows repeated in a file?"
    ) % {"limit": settings.RECONCILIATION_BLOCK_MAX_PAIRS, "rules": rules}


def _scope_closure(*, seeds: set[int], edges: Edges | None = None) -> set[int]:
    """The seeds, every record a link or decision connects them to, and every record of the victims they reach:
    what must be clustered again for the result to equal a full run's. `edges` as pair_edges gives them."""
    links, provisional, must, _cannot = edges or pair_edges()
    ends = np.array([edge[:2] for edge in [*links, *provisional, *must]], dtype=np.int64).reshape(-1, 2)
    scope: set[int] = set()
    frontier = set(seeds)
    while frontier:
        reached = set()
        while frontier:  # along the links, a step from every record reached at once
            reached |= frontier
            touched = ends[np.isin(ends, np.fromiter(frontier, dtype=np.int64, count=len(frontier))).any(axis=1)]
            frontier = set(touched.ravel().tolist()) - scope - reached
        scope |= reached
        frontier = victim_mates(reached) - scope
    return scope


def victims_recluster(*, run: LinkageRun, scope: set[int], edges: Edges | None = None) -> None:
    """Cluster the records in `scope` (closed under links and victims) and write what changed, with reasons.
    `edges` as pair_edges gives them, when the caller has read them already."""
    links, provisional, must, cannot = (
        [edge for edge in kind if edge[0] in scope and edge[1] in scope] for kind in edges or pair_edges()
    )
    rows = record_rows(scope)
    clusters, _refused = clusters_build(
        source_of={record: _record_kind(row) for record, row in rows.items()},
        links=links,
        provisional_links=provisional,
        must_link=must,
        cannot_link=cannot,
        exclusive_sources=settings.RECONCILIATION_ONE_RECORD_PER_VICTIM_SOURCES,
        incident_of={
            record: f"{row['source_id']}#{row['incident_id']}" for record, row in rows.items() if row["incident_id"]
        },
    )
    current = {record: row["victim_id"] for record, row in rows.items() if row["victim_id"] is not None}
    plan = identities_assign(clusters=clusters, current=current)
    before = (run.victims_created, run.victims_changed, run.victims_retired)
    plan_write(run=run, plan=plan, rows=rows)
    if (run.victims_created, run.victims_changed, run.victims_retired) != before:
        victims_changed.send(sender=LinkageRun, run_id=run.pk)


def _record_kind(row: dict) -> str:
    """The source, for clustering; a missing-person report counts apart from the same institution's report of
    the death, so a victim may hold one of each without a provisional link being refused."""
    return f"{row['source_id']}/missing" if row["category"] in MISSING_CATEGORIES else row["source_id"]


def pair_decide(*, pair: CandidatePair, decision: str, user: User, note: str = "") -> LinkageRun:
    """Record an analyst's decision on a pair and apply it at once: the records around the pair are clustered
    again, so the victims change in the same request. Decisions bind every later run."""
    if decision not in CandidatePair.Decision.values:
        raise ReconciliationError(_("Unknown decision: %(decision)s") % {"decision": decision})
    with transaction.atomic():
        advisory_xact_lock(LINKAGE_LOCK)
        before = pair.decision
        pair.decision, pair.decided_by, pair.decided_at, pair.decision_note = decision, user, timezone.now(), note[:500]
        pair.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=user,
            action="reconciliation.pair_decided",
            target_type="candidate_pair",
            target_id=pair.pk,
            detail={
                "records": [pair.record_low_id, pair.record_high_id],
                "decision": decision,
                "previous": before,
                "note": note[:500],
            },
        )
        run = LinkageRun.objects.create(
            kind=LinkageRun.Kind.DECISION,
            requested_by=user,
            status=LinkageRun.Status.RUNNING,
            attempts=1,
            started_at=timezone.now(),
            reason_code=LinkageRun.Reason.DECISION,
            reason_params={"pair": pair.pk},
        )
        scope = _scope_closure(seeds={pair.record_low_id, pair.record_high_id})
        run.records_considered = len(scope)
        victims_recluster(run=run, scope=scope)
        run.review_pairs = review_queue_count()
        run.status, run.finished_at, run.progress, run.progress_note = (
            LinkageRun.Status.DONE,
            timezone.now(),
            1.0,
            _("Done"),
        )
        run.save()
    return run


def linkage_run_now(*, kind: str, requested_by: User | None = None, reason_code: str = "") -> LinkageRun:
    """Create a run and execute it in this process (the `reconcile` command, tests)."""
    run = LinkageRun.objects.create(kind=kind, requested_by=requested_by, reason_code=reason_code)
    return linkage_run_execute(run_id=run.pk)
