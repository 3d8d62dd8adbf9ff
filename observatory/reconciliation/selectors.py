from dataclasses import dataclass

from django.db import connection

from .linkage.evaluation import LinkageQuality, linkage_quality


@dataclass(frozen=True)
class LinkageEvaluation:
    quality: LinkageQuality
    not_found: int  # truth records the observatory does not hold
    not_linked: int  # truth records held but not yet in any victim


def linkage_evaluate(*, truth: dict[tuple[str, str], str]) -> LinkageEvaluation:
    """The current victims against a ground truth {(source, record id): victim label}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT r.source_id, r.record_id, v.victim_id FROM records_sourcerecord r "
                       "LEFT JOIN reconciliation_victimrecord v ON v.record_id = r.id")
        held = {(source, record_id): victim for source, record_id, victim in cursor.fetchall()}
    predicted = {key: victim for key, victim in held.items() if key in truth and victim is not None}
    return LinkageEvaluation(quality=linkage_quality(predicted=predicted, truth=truth),
                             not_found=sum(1 for key in truth if key not in held),
                             not_linked=sum(1 for key in truth if key in held and held[key] is None))
