"""Stable victim ids: which existing victim each new cluster of records continues.

An existing victim survives into a cluster when all its records are in that cluster. A cluster continued by
one survivor keeps its id; by several (a merge), it keeps the oldest (smallest) id and the others are retired as
merged into it; by none, it is a new victim. A victim whose records are spread over several clusters (a split)
is retired, and each part gets a new id.
"""

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class ClusterPlan:
    records: frozenset[int]
    keep: int | None = None  # the existing victim id this cluster continues, if any
    absorbed: list[int] = field(default_factory=list)  # other victims merged into it
    split_from: list[int] = field(default_factory=list)  # retired victims some of its records came from
    added: frozenset[int] = frozenset()  # records that were not the kept victim's before

    @property
    def unchanged(self) -> bool:
        return self.keep is not None and not self.absorbed and not self.added


@dataclass
class IdentityPlan:
    clusters: list[ClusterPlan]
    split: dict[int, list[ClusterPlan]]  # retired victim -> the clusters its records went to


def identities_assign(*, clusters: list[frozenset[int]], current: dict[int, int]) -> IdentityPlan:
    """`current` maps records to the victim they belong to now (records never linked are absent)."""
    records_of: dict[int, set[int]] = defaultdict(set)
    for record, victim in current.items():
        records_of[victim].add(record)
    cluster_of = {record: index for index, cluster in enumerate(clusters) for record in cluster}
    survivors: dict[int, list[int]] = defaultdict(list)
    split: dict[int, list[int]] = {}
    for victim, records in records_of.items():
        homes = sorted({cluster_of[record] for record in records})
        if len(homes) == 1:
            survivors[homes[0]].append(victim)
        else:
            split[victim] = homes
    plans = []
    for index, cluster in enumerate(clusters):
        continuing = sorted(survivors.get(index, []))
        plan = ClusterPlan(records=cluster)
        if continuing:
            plan.keep, plan.absorbed = continuing[0], continuing[1:]
            plan.added = frozenset(cluster - records_of[plan.keep])
        else:
            plan.added = cluster
        plan.split_from = sorted({current[record] for record in cluster if current.get(record) in split})
        plans.append(plan)
    return IdentityPlan(
        clusters=plans, split={victim: [plans[home] for home in homes] for victim, homes in split.items()}
    )
