"""Reconciliation runs and review decisions: the only code that writes victims, their records and candidate pairs."""

import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatory.accounts.models import User
from observatory.accounts.services import audit_record
from observatory.jobs.locks import LINKAGE_LOCK, advisory_xact_lock
from observatory.jobs.services import job_execute, job_progress

from .copying import ids_reserve, rows_copy, rows_update
from .linkage.attributes import victim_attributes
from .linkage.clustering import clusters_build
from .linkage.identities import ClusterPlan, IdentityPlan, identities_assign
from .linkage.vocabulary import MISSING_CATEGORIES
from .models import CandidatePair, LinkageKey, LinkageRun, Victim, VictimChange, VictimRecord
from .signals import victims_changed

if TYPE_CHECKING:
    import pandas

    from .linkage.candidates import BlocksLeftOut

_ATTRIBUTE_FIELDS = (
    "id",
    "source_id",
    "incident_id",
    "category",
    "is_femicide",
    "outcome",
    "manner",
    "icd10_cause",
    "icd10_injury",
    "weapon",
    "sex",
    "age_years",
    "event_date",
    "event_time",
    "death_date",
    "recovery_date",
    "municipality_id",
    "colonia_id",
    "point",
    "geo_method",
    "full_name",
    "name_folded",
    "is_unidentified",
    "id_number",
)


class ReconciliationError(Exception):
    pass


def linkage_run_create(*, kind: str, requested_by: User | None = None, reason: str = "") -> LinkageRun:
    """Queue a run; the worker starts it once the transaction that asked for it commits."""
    from . import tasks

    run = LinkageRun.objects.create(kind=kind, requested_by=requested_by, reason=reason[:200])
    transaction.on_commit(lambda: tasks.linkage_run_execute.delay(run.pk))
    return run


def linkage_run_execute(*, run_id: int) -> LinkageRun:
    """Run a queued linkage run to its end. Safe to call again for a run a killed worker left behind."""
    return job_execute(model=LinkageRun, job_id=run_id, lock=LINKAGE_LOCK, work=_execute)


def _execute(run: LinkageRun) -> None:
    """Its progress: the share of its four stages begun (reading, estimating, scoring, forming victims)."""
    # Imported here: pandas, DuckDB and Splink cost every process that merely starts Django most of a second.
    from .linkage.features import records_frame, records_near
    from .linkage.scoring import model_train, pairs_score

    previous = _latest_model_run()
    # Without linkage keys (the first run since they are kept), what lies within reach of new records is unknown.
    full = run.kind == LinkageRun.Kind.FULL or previous is None or not LinkageKey.objects.exists()
    if full:
        job_progress(job=run, fraction=0.0, note=_("Reading records"))
        frame = records_frame()
        job_progress(job=run, fraction=0.25, note=_("Estimating the model"))
        run.model, run.model_trained = model_train(frame=frame)
        changed, term_frequencies = set(frame["unique_id"]), None
    else:
        run.model, run.model_trained = previous.model, previous.model_trained
        changed = _records_changed()
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
    with transaction.atomic():
        _linkage_keys_store(frame=frame[frame["unique_id"].isin(changed)], replace_all=full)
        run.pairs_scored = _candidate_pairs_store(
            run=run, batches=scored.batches if scored else (), replace_all=full, changed=changed
        )
        job_progress(job=run, fraction=0.75, note=_("Forming victims"))
        edges = _pair_edges()
        scope = set(frame["unique_id"]) if full else _scope_closure(seeds=changed, edges=edges)
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


def _records_changed() -> set[int]:
    """Records never linked, or changed by a later file since they were."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT r.id FROM records_sourcerecord r
            LEFT JOIN reconciliation_victimrecord v ON v.record_id = r.id
            WHERE v.record_id IS NULL OR v.content_hash <> r.content_hash""")
        return {row[0] for row in cursor.fetchall()}


def _linkage_keys_store(*, frame: "pandas.DataFrame", replace_all: bool) -> None:
    """Keep the blocking keys of the records read (as features.py derives them), for later incremental runs.
    Every record linked has its keys: they are written with its first link, and again whenever it changes."""
    with connection.cursor() as cursor:
        if replace_all:
            cursor.execute("TRUNCATE reconciliation_linkagekey")
        else:
            cursor.execute(
                "DELETE FROM reconciliation_linkagekey WHERE record_id IN (SELECT unnest(%s::bigint[]))",
                [frame["unique_id"].tolist()],
            )
        keys = frame[["unique_id", "name_sorted", "id_number", "first_day", "last_day"]].astype(
            {"first_day": "Int64", "last_day": "Int64"}
        )
        # CSV: an unquoted empty field is NULL (an unknown day), but for the text columns, blank when unknown.
        with cursor.copy(
            "COPY reconciliation_linkagekey (record_id, name_sorted, id_number, first_day, last_day) "
            "FROM STDIN (FORMAT csv, FORCE_NOT_NULL (name_sorted, id_number))"
        ) as copy:
            copy.write(keys.to_csv(index=False, header=False))
        if replace_all:  # the next incremental run may come before autovacuum has seen the table anew
            cursor.execute("ANALYZE reconciliation_linkagekey")


def _blocks_left_out_note(left_out: list["BlocksLeftOut"]) -> str:
    """What the run did not compare, for the runs page: empty when every block was paired."""
    if not left_out:
        return ""
    rule_names = {
        "id_number": _("ID number"),
        "name": _("name"),
        "names_and_days": _("name part on a day"),
        "context": _("day, for records without a name"),
    }
    rules = "; ".join(
        _("%(rule)s: %(keys)d key(s), %(comparisons)d comparisons")
        % {"rule": rule_names[blocks.rule], "keys": blocks.keys, "comparisons": blocks.comparisons}
        for blocks in left_out
    )
    return _(
        "Blocking keys shared by too many records to tell people apart were left out (more than %(limit)d "
        "comparisons each; records holding one are still compared by their other keys): %(rules)s. Are "
        "rows repeated in a file?"
    ) % {"limit": settings.RECONCILIATION_BLOCK_MAX_PAIRS, "rules": rules}


def _candidate_pairs_store(
    *, run: LinkageRun, batches: Iterable["pandas.DataFrame"], replace_all: bool, changed: set[int]
) -> int:
    """Upsert the scored pairs (decisions are kept), a batch at a time, and drop undecided pairs the new scores
    no longer support."""
    with connection.cursor() as cursor:
        if replace_all:
            cursor.execute("DELETE FROM reconciliation_candidatepair WHERE decision = ''")
        else:
            # IN (SELECT unnest(...)) is hashed; = ANY(...) would compare every row with every changed id.
            cursor.execute(
                "DELETE FROM reconciliation_candidatepair WHERE decision = '' AND "
                "(record_low_id IN (SELECT unnest(%(ids)s::bigint[])) "
                "OR record_high_id IN (SELECT unnest(%(ids)s::bigint[])))",
                {"ids": list(changed)},
            )
        cursor.execute(
            "CREATE TEMP TABLE scored_pairs (record_low bigint, record_high bigint, match_probability "
            "double precision, match_weight double precision, comparisons jsonb) ON COMMIT DROP"
        )
        stored = 0
        for pairs in batches:
            buffer = io.StringIO()
            for low, high, probability, weight, comparisons in pairs[
                ["record_low", "record_high", "match_probability", "match_weight", "comparisons"]
            ].itertuples(index=False):
                buffer.write(f"{low}\t{high}\t{probability!r}\t{weight!r}\t{json.dumps(comparisons)}\n")
            with cursor.copy("COPY scored_pairs FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            stored += len(pairs)
        cursor.execute(
            """
            INSERT INTO reconciliation_candidatepair (record_low_id, record_high_id, match_probability, match_weight,
                                                      comparisons, scored_by_run_id, decision, decision_note)
            SELECT record_low, record_high, match_probability, match_weight, comparisons, %s, '', '' FROM scored_pairs
            ON CONFLICT (record_low_id, record_high_id) DO UPDATE SET
                match_probability = EXCLUDED.match_probability, match_weight = EXCLUDED.match_weight,
                comparisons = EXCLUDED.comparisons, scored_by_run_id = EXCLUDED.scored_by_run_id""",
            [run.pk],
        )
        cursor.execute("DROP TABLE scored_pairs")
    return stored


def _pair_edges() -> tuple[list, list, list, list]:
    """(links, provisional links, must-links, cannot-links) from the stored pairs and decisions."""
    match, review = settings.RECONCILIATION_MATCH_THRESHOLD, settings.RECONCILIATION_REVIEW_THRESHOLD
    links, provisional, must, cannot = [], [], [], []
    with connection.cursor() as cursor:  # tens of thousands of rows: no model instances
        cursor.execute(
            "SELECT record_low_id, record_high_id, match_probability, decision "
            "FROM reconciliation_candidatepair WHERE match_probability >= %s OR decision IN (%s, %s)",
            [review, CandidatePair.Decision.MATCH, CandidatePair.Decision.NON_MATCH],
        )
        for low, high, probability, decision in cursor.fetchall():
            if decision == CandidatePair.Decision.MATCH:
                must.append((low, high))
            elif decision == CandidatePair.Decision.NON_MATCH:
                cannot.append((low, high))
            else:
                (links if probability >= match else provisional).append((low, high, probability))
    return links, provisional, must, cannot


def _scope_closure(*, seeds: set[int], edges: tuple[list, list, list, list] | None = None) -> set[int]:
    """The seeds, every record a link or decision connects them to, and every record of the victims they reach:
    what must be clustered again for the result to equal a full run's. `edges` as _pair_edges gives them."""
    import numpy as np

    links, provisional, must, _cannot = edges or _pair_edges()
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
        frontier = _victim_mates(reached) - scope
    return scope


def _victim_mates(records: set[int]) -> set[int]:
    """Every record of the victims these records belong to."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT mate.record_id FROM reconciliation_victimrecord mate
            WHERE mate.victim_id IN (SELECT victim_id FROM reconciliation_victimrecord
                                     WHERE record_id IN (SELECT unnest(%s::bigint[])))""",
            [list(records)],
        )
        return {row[0] for row in cursor.fetchall()}


def victims_recluster(*, run: LinkageRun, scope: set[int], edges: tuple[list, list, list, list] | None = None) -> None:
    """Cluster the records in `scope` (closed under links and victims) and write what changed, with reasons.
    `edges` as _pair_edges gives them, when the caller has read them already."""
    links, provisional, must, cannot = (
        [edge for edge in kind if edge[0] in scope and edge[1] in scope] for kind in edges or _pair_edges()
    )
    rows = _record_rows(scope)
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
    _plan_write(run=run, plan=plan, rows=rows)
    if (run.victims_created, run.victims_changed, run.victims_retired) != before:
        victims_changed.send(sender=LinkageRun, run_id=run.pk)


def _record_kind(row: dict) -> str:
    """The source, for clustering; a missing-person report counts apart from the same institution's report of
    the death, so a victim may hold one of each without a provisional link being refused."""
    return f"{row['source_id']}/missing" if row["category"] in MISSING_CATEGORIES else row["source_id"]


def _record_rows(record_ids: set[int]) -> dict[int, dict]:
    """What the victims' attributes are computed from, with each record's current victim and linked content."""
    fields = [name for name in _ATTRIBUTE_FIELDS if name != "point"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {", ".join(f"r.{name}" for name in fields)}, r.point::text, r.content_hash, v.victim_id,
                   v.content_hash
            FROM records_sourcerecord r LEFT JOIN reconciliation_victimrecord v ON v.record_id = r.id
            WHERE r.id = ANY(%s)""",
            [list(record_ids)],
        )
        names = [*fields, "point", "content_hash", "victim_id", "linked_hash"]
        rows = {row[0]: dict(zip(names, row, strict=False)) for row in cursor.fetchall()}
    for row in rows.values():
        row["point"] = GEOSGeometry(row["point"]) if row["point"] else None
    return rows


def _plan_write(*, run: LinkageRun, plan: IdentityPlan, rows: dict[int, dict]) -> None:
    # Rows, not model instances: an incremental run writes thousands of them, a full run a hundred thousand.
    now = timezone.now()
    changes: list[dict] = []
    new_clusters = [cluster for cluster in plan.clusters if cluster.keep is None]
    created = ids_reserve(model=Victim, count=len(new_clusters))
    rows_copy(
        model=Victim,
        rows=(
            {"id": victim_id, "created_by_run_id": run.pk, **_attributes_of(cluster, rows)}
            for cluster, victim_id in zip(new_clusters, created, strict=False)
        ),
        with_ids=True,
    )
    victim_of = {id(cluster): victim_id for cluster, victim_id in zip(new_clusters, created, strict=False)}
    victim_of.update({id(cluster): cluster.keep for cluster in plan.clusters if cluster.keep is not None})

    for cluster, victim_id in zip(new_clusters, created, strict=False):
        reason = (
            _("Part of split victims %(ids)s") % {"ids": _ids(cluster.split_from)}
            if cluster.split_from
            else _("New records")
        )
        changes.append(
            _change(
                run=run,
                victim_id=victim_id,
                kind=VictimChange.Kind.CREATED,
                reason=reason,
                detail={"records": sorted(cluster.records), "split_from": cluster.split_from},
            )
        )
    kept_changed: list[ClusterPlan] = []
    for cluster in plan.clusters:
        if cluster.keep is None:
            continue
        content_changed = any(rows[record]["linked_hash"] != rows[record]["content_hash"] for record in cluster.records)
        if cluster.unchanged and not content_changed:
            continue
        kept_changed.append(cluster)
        if cluster.absorbed:
            changes.append(
                _change(
                    run=run,
                    victim_id=cluster.keep,
                    kind=VictimChange.Kind.ABSORBED,
                    reason=_("Merged with %(ids)s, which now share its id") % {"ids": _ids(cluster.absorbed)},
                    detail={"absorbed": cluster.absorbed},
                )
            )
            changes += [
                _change(
                    run=run,
                    victim_id=other,
                    kind=VictimChange.Kind.MERGED,
                    reason=_("Merged into %(id)s (the older id is kept)") % {"id": _ids([cluster.keep])},
                    detail={"merged_into": cluster.keep},
                )
                for other in cluster.absorbed
            ]
            Victim.objects.filter(pk__in=cluster.absorbed).update(
                retired_at=now,
                merged_into_id=cluster.keep,
                retired_reason=_("Merged into %(id)s") % {"id": _ids([cluster.keep])},
            )
        added = sorted(record for record in cluster.added if rows[record]["victim_id"] not in cluster.absorbed)
        if added:
            changes.append(
                _change(
                    run=run,
                    victim_id=cluster.keep,
                    kind=VictimChange.Kind.RECORDS_ADDED,
                    reason=_("Linked %(count)d more record(s)") % {"count": len(added)},
                    detail={"records": added},
                )
            )
    for victim, parts in plan.split.items():
        part_ids = [victim_of[id(part)] for part in parts]
        Victim.objects.filter(pk=victim).update(
            retired_at=now, retired_reason=_("Split into %(ids)s") % {"ids": _ids(part_ids)}
        )
        changes.append(
            _change(
                run=run,
                victim_id=victim,
                kind=VictimChange.Kind.SPLIT,
                reason=_("Its records no longer belong together: split into %(ids)s") % {"ids": _ids(part_ids)},
                detail={"parts": part_ids},
            )
        )
    _kept_victims_update(run=run, clusters=kept_changed, rows=rows, changes=changes)

    links = [
        {
            "record_id": record,
            "victim_id": victim_of[id(cluster)],
            "linked_by_run_id": run.pk,
            "content_hash": rows[record]["content_hash"],
        }
        for cluster in plan.clusters
        for record in cluster.records
        if rows[record]["victim_id"] != victim_of[id(cluster)]
        or rows[record]["linked_hash"] != rows[record]["content_hash"]
    ]
    _victim_records_upsert(links)
    rows_copy(model=VictimChange, rows=changes)
    run.victims_created += len(created)
    run.victims_retired += sum(len(cluster.absorbed) for cluster in plan.clusters) + len(plan.split)
    run.victims_changed += len(kept_changed)


def _victim_records_upsert(links: list[dict]) -> None:
    relinked = [link["record_id"] for link in links]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reconciliation_victimrecord WHERE record_id = ANY(%s)", [relinked])
    rows_copy(model=VictimRecord, rows=links, with_ids=True)


def _change(*, run: LinkageRun, victim_id: int, kind: str, reason: str, detail: dict | None = None) -> dict:
    """A VictimChange row, for rows_copy."""
    return {"victim_id": victim_id, "run_id": run.pk, "kind": kind, "reason": reason, "detail": detail or {}}


def _attributes_of(cluster: ClusterPlan, rows: dict[int, dict]) -> dict:
    return victim_attributes([rows[record] for record in sorted(cluster.records)])


def _kept_victims_update(
    *, run: LinkageRun, clusters: list[ClusterPlan], rows: dict[int, dict], changes: list[dict]
) -> None:
    """Recompute the attributes of victims that keep their id but changed; log status and category changes."""
    kept = [cluster.keep for cluster in clusters]
    victims = {}
    for start in range(0, len(kept), 10_000):  # under PostgreSQL's limit of parameters per query
        victims.update(Victim.objects.in_bulk(kept[start : start + 10_000]))
    fields: list[str] = []
    for cluster in clusters:
        victim = victims[cluster.keep]
        before = (victim.case_status, victim.category)
        values = _attributes_of(cluster, rows)
        for name, value in values.items():
            setattr(victim, name, value)
        fields = list(values)
        if before != (victim.case_status, victim.category):
            changes.append(
                _change(
                    run=run,
                    victim_id=victim.pk,
                    kind=VictimChange.Kind.ATTRIBUTES,
                    reason=_("Case status %(old_status)s → %(status)s, category %(old)s → %(new)s")
                    % {
                        "old_status": before[0],
                        "status": victim.case_status,
                        "old": before[1] or "-",
                        "new": victim.category or "-",
                    },
                )
            )
    rows_update(model=Victim, objects=list(victims.values()), fields=fields)


def _ids(victim_ids) -> str:
    return ", ".join(f"V-{victim:07d}" for victim in victim_ids)


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
            reason=_("Decision on pair %(pair)s: %(decision)s")
            % {"pair": pair.pk, "decision": pair.get_decision_display()},
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


def linkage_run_now(*, kind: str, requested_by: User | None = None, reason: str = "") -> LinkageRun:
    """Create a run and execute it in this process (the `reconcile` command, tests)."""
    run = LinkageRun.objects.create(kind=kind, requested_by=requested_by, reason=reason[:200])
    return linkage_run_execute(run_id=run.pk)
