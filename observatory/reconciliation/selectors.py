from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from observatory.records.models import SourceRecord

from .linkage.evaluation import LinkageQuality, RuleRecall, linkage_quality, true_pairs_by_rule
from .models import CandidatePair, LinkageRun, Victim, VictimChange, VictimRecord


@dataclass(frozen=True)
class LinkageEvaluation:
    quality: LinkageQuality
    not_found: int  # truth records the observatory does not hold
    not_linked: int  # truth records held but not yet in any victim


def linkage_evaluate(*, truth: dict[tuple[str, str], str]) -> LinkageEvaluation:
    """The current victims against a ground truth {(source, record id): victim label}."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.source_id, r.record_id, v.victim_id FROM records_sourcerecord r "
            "LEFT JOIN reconciliation_victimrecord v ON v.record_id = r.id"
        )
        held = {(source, record_id): victim for source, record_id, victim in cursor.fetchall()}
    predicted = {key: victim for key, victim in held.items() if key in truth and victim is not None}
    return LinkageEvaluation(
        quality=linkage_quality(predicted=predicted, truth=truth),
        not_found=sum(1 for key in truth if key not in held),
        not_linked=sum(1 for key in truth if key in held and held[key] is None),
    )


def blocking_rules_evaluate(*, truth: dict[tuple[str, str], str]) -> tuple[dict[str, RuleRecall], int]:
    """How many of the true pairs of a ground truth {(source, record id): victim label} each blocking rule finds
    among the records held now, alone or with other rules, and how many no rule finds."""
    # Imported here: pandas, DuckDB and Splink cost every process that merely starts Django most of a second.
    from .linkage.features import records_frame
    from .linkage.scoring import candidate_pairs_found

    pairs, rules = candidate_pairs_found(frame=records_frame())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, source_id, record_id FROM records_sourcerecord")
        label_of = {record: truth.get((source, record_id)) for record, source, record_id in cursor.fetchall()}
    return true_pairs_by_rule(pairs=pairs.itertuples(index=False), rules=rules, label_of=label_of)


def review_queue() -> QuerySet[CandidatePair]:
    """Undecided pairs in the review band, most probable first, each with whether its two records are already
    in one victim (a provisional link)."""
    return (
        candidate_pair_list()
        .filter(
            decision="",
            match_probability__lt=settings.RECONCILIATION_MATCH_THRESHOLD,
            match_probability__gte=settings.RECONCILIATION_REVIEW_THRESHOLD,
        )
        .order_by("-match_probability", "pk")
    )


def review_queue_next(*, after: CandidatePair) -> CandidatePair | None:
    """The pair the review queue lists after `after` (whether or not `after` is still in it), or else its first
    pair other than `after`: where an analyst goes on to."""
    queue = review_queue().exclude(pk=after.pk)
    later = queue.filter(
        Q(match_probability__lt=after.match_probability) | Q(match_probability=after.match_probability, pk__gt=after.pk)
    )
    return later.first() or queue.first()


def candidate_pair_list() -> QuerySet[CandidatePair]:
    """Every scored pair with both records, their sources and current victims, and whether they share one."""
    same_victim = Q(record_low__victim_link__victim_id=F("record_high__victim_link__victim_id"))
    return (
        CandidatePair.objects.select_related(
            "record_low__source",
            "record_high__source",
            "record_low__victim_link",
            "record_high__victim_link",
            "decided_by",
        )
        .annotate(linked=ExpressionWrapper(same_victim, output_field=BooleanField()))
        .order_by("-match_probability", "pk")
    )


def candidate_pair_detail_list() -> QuerySet[CandidatePair]:
    """The pairs with everything a pair's review page shows of both records."""
    related = [
        f"{record}__{name}"
        for record in ("record_low", "record_high")
        for name in ("source", "municipality", "colonia", "victim_link__victim")
    ]
    return candidate_pair_list().select_related(*related)


def source_pair_list() -> list[tuple[str, str]]:
    """The (source, source) pairs the review queue holds, each once and in alphabetical order."""
    pairs = review_queue().order_by().values_list("record_low__source_id", "record_high__source_id").distinct()
    return sorted({tuple(sorted(pair)) for pair in pairs})


def decision_outcome(*, run: LinkageRun) -> QuerySet[VictimChange]:
    """What a decision run did to the victims, in the order it happened."""
    return run.victim_changes.select_related("victim").order_by("pk")


def victim_list() -> QuerySet[Victim]:
    """The victims the observatory counts now (retired ids are reached from their successors' pages)."""
    return (
        Victim.objects.filter(retired_at__isnull=True)
        .select_related("municipality", "colonia")
        .order_by("-event_date", "-pk")
    )


def victim_detail_list() -> QuerySet[Victim]:
    """Every victim, retired ones included, with what a victim's page shows beside its attributes."""
    return Victim.objects.select_related("municipality", "colonia", "merged_into", "created_by_run")


def victim_record_list(*, victim: Victim) -> QuerySet[SourceRecord]:
    return (
        SourceRecord.objects.filter(victim_link__victim=victim)
        .select_related("source", "municipality", "colonia", "victim_link__linked_by_run")
        .order_by("source_id", "record_id")
    )


def victim_candidate_pair_list(*, victim: Victim) -> QuerySet[CandidatePair]:
    """Every scored pair with at least one record of the victim, decided or not."""
    records = VictimRecord.objects.filter(victim=victim).values("record_id")
    return candidate_pair_list().filter(Q(record_low__in=records) | Q(record_high__in=records))


def victim_change_list(*, victim: Victim) -> QuerySet[VictimChange]:
    return victim.changes.select_related("run__requested_by").order_by("-at", "-pk")


def linkage_run_list() -> QuerySet[LinkageRun]:
    return LinkageRun.objects.select_related("requested_by").order_by("-queued_at", "-pk")
