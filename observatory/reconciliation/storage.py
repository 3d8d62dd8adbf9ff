"""What a linkage run reads from and writes to the database in SQL and COPY: the records to link, their blocking
keys, the scored pairs and their edges, and the victims a clustering plan creates, changes and retires. Rows, not
model instances: an incremental run writes thousands of them, a full run a hundred thousand."""

import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils import timezone

from observatory.database.model_copy import ids_reserve, rows_copy, rows_update

from .linkage.attributes import victim_attributes
from .linkage.identities import ClusterPlan, IdentityPlan
from .models import CandidatePair, LinkageRun, Victim, VictimChange, VictimRecord

if TYPE_CHECKING:
    import pandas

# (links, provisional links, must-links, cannot-links), as pair_edges reads them.
Edges = tuple[list, list, list, list]

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


def records_changed_since_linked() -> set[int]:
    """Records never linked, or changed by a later file since they were."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT r.id FROM records_sourcerecord r
            LEFT JOIN reconciliation_victimrecord v ON v.record_id = r.id
            WHERE v.record_id IS NULL OR v.content_hash <> r.content_hash""")
        return {row[0] for row in cursor.fetchall()}


def linkage_keys_store(*, frame: "pandas.DataFrame", replace_all: bool) -> None:
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


def candidate_pairs_store(
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


def decided_matches() -> list[tuple[int, int]]:
    """The pairs of records analysts decided are the same person, (low, high)."""
    return list(
        CandidatePair.objects.filter(decision=CandidatePair.Decision.MATCH)
        .order_by("pk")
        .values_list("record_low_id", "record_high_id")
    )


def pair_edges() -> Edges:
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


def victim_mates(records: set[int]) -> set[int]:
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


def record_rows(record_ids: set[int]) -> dict[int, dict]:
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


def plan_write(*, run: LinkageRun, plan: IdentityPlan, rows: dict[int, dict]) -> None:
    """Write what a clustering plan changes: new victims, victims merged, split or given more records, their
    attributes, the records' links, and a VictimChange, with its reason, for each change. Counts them on `run`."""
    now = timezone.now()
    created, victim_of, changes = _new_victims_write(run=run, plan=plan, rows=rows)
    kept_changed = [
        cluster
        for cluster in plan.clusters
        if cluster.keep is not None
        and not (
            cluster.unchanged
            and all(rows[record]["linked_hash"] == rows[record]["content_hash"] for record in cluster.records)
        )
    ]
    for cluster in kept_changed:
        changes += _kept_victim_grow(run=run, cluster=cluster, rows=rows, now=now)
    changes += _split_victims_retire(run=run, plan=plan, victim_of=victim_of, now=now)
    _kept_victims_update(run=run, clusters=kept_changed, rows=rows, changes=changes)
    _victim_records_upsert(
        [
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
    )
    rows_copy(model=VictimChange, rows=changes)
    run.victims_created += len(created)
    run.victims_retired += sum(len(cluster.absorbed) for cluster in plan.clusters) + len(plan.split)
    run.victims_changed += len(kept_changed)


def _new_victims_write(
    *, run: LinkageRun, plan: IdentityPlan, rows: dict[int, dict]
) -> tuple[list[int], dict[int, int], list[dict]]:
    """Create the victims of the clusters that keep no id. Returns their ids, the victim of every cluster (by the
    cluster's id()), and their creation changes."""
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
    changes = [
        _change(
            run=run,
            victim_id=victim_id,
            kind=VictimChange.Kind.CREATED,
            detail={"records": sorted(cluster.records), "split_from": cluster.split_from},
        )
        for cluster, victim_id in zip(new_clusters, created, strict=False)
    ]
    return created, victim_of, changes


def _kept_victim_grow(*, run: LinkageRun, cluster: ClusterPlan, rows: dict[int, dict], now: datetime) -> list[dict]:
    """A victim that keeps its id: retire the victims it absorbed into it, and say which records it gained."""
    changes = []
    if cluster.absorbed:
        changes.append(
            _change(
                run=run,
                victim_id=cluster.keep,
                kind=VictimChange.Kind.ABSORBED,
                detail={"absorbed": cluster.absorbed},
            )
        )
        changes += [
            _change(
                run=run,
                victim_id=other,
                kind=VictimChange.Kind.MERGED,
                detail={"merged_into": cluster.keep},
            )
            for other in cluster.absorbed
        ]
        Victim.objects.filter(pk__in=cluster.absorbed).update(retired_at=now, merged_into_id=cluster.keep)
    added = sorted(record for record in cluster.added if rows[record]["victim_id"] not in cluster.absorbed)
    if added:
        changes.append(
            _change(
                run=run,
                victim_id=cluster.keep,
                kind=VictimChange.Kind.RECORDS_ADDED,
                detail={"records": added},
            )
        )
    return changes


def _split_victims_retire(
    *, run: LinkageRun, plan: IdentityPlan, victim_of: dict[int, int], now: datetime
) -> list[dict]:
    """Retire the victims whose records no longer belong together, each pointing at its parts."""
    changes = []
    for victim, parts in plan.split.items():
        part_ids = [victim_of[id(part)] for part in parts]
        Victim.objects.filter(pk=victim).update(retired_at=now)
        changes.append(
            _change(
                run=run,
                victim_id=victim,
                kind=VictimChange.Kind.SPLIT,
                detail={"parts": part_ids},
            )
        )
    return changes


def _victim_records_upsert(links: list[dict]) -> None:
    relinked = [link["record_id"] for link in links]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reconciliation_victimrecord WHERE record_id = ANY(%s)", [relinked])
    rows_copy(model=VictimRecord, rows=links, with_ids=True)


def _change(*, run: LinkageRun, victim_id: int, kind: str, detail: dict | None = None) -> dict:
    """A VictimChange row, for rows_copy: what changed and the figures of its reason (VictimChange.reason)."""
    return {"victim_id": victim_id, "run_id": run.pk, "kind": kind, "detail": detail or {}}


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
                    detail={
                        "old_status": before[0],
                        "status": victim.case_status,
                        "old_category": before[1],
                        "category": victim.category,
                    },
                )
            )
    rows_update(model=Victim, objects=list(victims.values()), fields=fields)
