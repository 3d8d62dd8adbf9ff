"""Records into victims: links applied strongest first, never joining what must stay apart.

Plain connected components chain: A~B and B~C put A with C even when A and C are plainly two people. Here a link
is applied only if the two clusters it would join hold no cannot-link pair (an analyst's "not the same person"),
no two records of a source that has one record per person (two autopsies) and no two records of one incident
(the police's victims 1 and 2 of one report are two people). Must-links (an analyst's "same
person") go first. The result does not depend on the order the links are given in.

Pairs in the review band (between the review and the match threshold) are then linked provisionally, best
first, but only between clusters that share no source: an unidentified body and a police report of the same day
and place that nothing else explains are likely one person, while a second candidate for a victim who already
has a record of that source is not. Provisional links stay in the review queue for an analyst to confirm.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass
class _Cluster:
    members: set[int]
    sources: set[str]
    exclusive_sources: set[str] = field(default_factory=set)
    incidents: set[str] = field(default_factory=set)


class ConstrainedClusters:
    def __init__(
        self,
        *,
        source_of: dict[int, str],
        exclusive_sources: Iterable[str],
        cannot_link: Iterable[tuple[int, int]],
        incident_of: Mapping[int, str] | None = None,
    ):
        self._exclusive = set(exclusive_sources)
        self._source_of = source_of
        self._incident_of = incident_of or {}
        self._root: dict[int, int] = {}
        self._clusters: dict[int, _Cluster] = {}
        self._apart: dict[int, set[int]] = {}
        for left, right in cannot_link:
            self._apart.setdefault(left, set()).add(right)
            self._apart.setdefault(right, set()).add(left)
        self.refused: list[tuple[int, int, str]] = []

    def _find(self, record: int) -> int:
        """The root of the record's cluster; a record seen for the first time is a cluster of its own."""
        if record not in self._root:
            source = self._source_of[record]
            self._root[record] = record
            incident = self._incident_of.get(record)
            self._clusters[record] = _Cluster(
                {record}, {source}, {source} & self._exclusive, {incident} if incident else set()
            )
            return record
        root = record
        while self._root[root] != root:
            root = self._root[root]
        while self._root[record] != root:
            self._root[record], record = root, self._root[record]
        return root

    def link(self, left: int, right: int, *, only_complementary: bool = False) -> bool:
        """Join the clusters of the two records unless a constraint forbids it; True when they end up together.
        With `only_complementary`, only clusters without a source in common are joined."""
        left_root, right_root = self._find(left), self._find(right)
        if left_root == right_root:
            return True
        if only_complementary and self._clusters[left_root].sources & self._clusters[right_root].sources:
            return False
        small, large = sorted((self._clusters[left_root], self._clusters[right_root]), key=lambda c: len(c.members))
        if small.exclusive_sources & large.exclusive_sources:
            self.refused.append((left, right, "one_record_per_victim"))
            return False
        if small.incidents & large.incidents:
            self.refused.append((left, right, "same_incident"))
            return False
        if any(self._apart.get(member, set()) & large.members for member in small.members):
            self.refused.append((left, right, "cannot_link"))
            return False
        keep, drop = (left_root, right_root) if self._clusters[left_root] is large else (right_root, left_root)
        self._root[drop] = keep
        large.members |= small.members
        large.sources |= small.sources
        large.exclusive_sources |= small.exclusive_sources
        large.incidents |= small.incidents
        del self._clusters[drop]
        return True

    def clusters(self) -> list[frozenset[int]]:
        """Every record's cluster, singletons included."""
        alone = (frozenset({record}) for record in self._source_of if record not in self._root)
        return sorted([*(frozenset(cluster.members) for cluster in self._clusters.values()), *alone], key=min)


def _strongest_first(links: Iterable[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    return sorted(links, key=lambda link: (-link[2], min(link[:2]), max(link[:2])))


def clusters_build(
    *,
    source_of: dict[int, str],
    links: Iterable[tuple[int, int, float]],
    provisional_links: Iterable[tuple[int, int, float]] = (),
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    exclusive_sources: Iterable[str] = (),
    incident_of: Mapping[int, str] | None = None,
) -> tuple[list[frozenset[int]], list]:
    """The victims (sets of record ids) and the links refused with the constraint that refused them.

    `source_of` maps every record to cluster to its source; `links` are (record, record, match probability) at
    or above the match threshold, `provisional_links` those in the review band; `exclusive_sources` hold one
    record per person; `incident_of` maps records to the incident they are one victim of (records of one
    incident are different people).
    """
    clusters = ConstrainedClusters(
        source_of=source_of, exclusive_sources=exclusive_sources, cannot_link=cannot_link, incident_of=incident_of
    )
    for left, right in sorted(must_link):
        clusters.link(left, right)
    for left, right, _probability in _strongest_first(links):
        clusters.link(left, right)
    for left, right, _probability in _strongest_first(provisional_links):
        clusters.link(left, right, only_complementary=True)
    return clusters.clusters(), clusters.refused
