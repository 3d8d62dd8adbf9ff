from observatory.reconciliation.linkage.clustering import clusters_build
from observatory.reconciliation.linkage.identities import identities_assign

SOURCES = {1: "police", 2: "coroner", 3: "police", 4: "coroner", 5: "hospital"}


def test_links_apply_strongest_first_and_never_join_two_autopsies():
    # 1~2 and 3~4 are strong; 2~3 chains two bodies together: refused, whatever the order given.
    links = [(2, 3, 0.97), (1, 2, 0.999), (3, 4, 0.99)]
    for ordering in (links, list(reversed(links))):
        clusters, refused = clusters_build(source_of=SOURCES, links=ordering, exclusive_sources=["coroner"])
        assert clusters == [frozenset({1, 2}), frozenset({3, 4}), frozenset({5})]
        assert refused == [(2, 3, "one_record_per_victim")]


def test_two_records_of_one_incident_are_never_joined_even_through_a_third():
    # 1 and 3 are victims 1 and 2 of one police report; the autopsy 2 resembles both.
    incidents = {1: "police#DPI-1", 3: "police#DPI-1"}
    clusters, refused = clusters_build(source_of=SOURCES, links=[(1, 2, 0.99), (2, 3, 0.98)], incident_of=incidents)
    assert clusters == [frozenset({1, 2}), frozenset({3}), frozenset({4}), frozenset({5})]
    assert refused == [(2, 3, "same_incident")]


def test_provisional_links_only_join_clusters_without_a_common_source():
    clusters, _ = clusters_build(
        source_of=SOURCES,
        links=[(1, 2, 0.99)],
        provisional_links=[(3, 2, 0.8), (5, 2, 0.7)],
        exclusive_sources=["coroner"],
    )
    # 3 is a second police record for the victim of 1+2: not joined; the hospital record is.
    assert clusters == [frozenset({1, 2, 5}), frozenset({3}), frozenset({4})]


def test_cannot_link_holds_against_a_chain_and_must_link_goes_first():
    clusters, refused = clusters_build(
        source_of=SOURCES, links=[(1, 5, 0.99), (5, 3, 0.98)], must_link=[(3, 4)], cannot_link=[(1, 3)]
    )
    assert clusters == [frozenset({1, 5}), frozenset({2}), frozenset({3, 4})]
    assert refused == [(5, 3, "cannot_link")]


def test_ids_survive_merges_keep_the_older_and_splits_get_new_ones():
    current = {1: 10, 2: 10, 3: 11, 4: 12, 5: 12}
    plan = identities_assign(clusters=[frozenset({1, 2, 3, 6}), frozenset({4}), frozenset({5})], current=current)
    merged, first_part, second_part = plan.clusters
    assert merged.keep == 10 and merged.absorbed == [11] and merged.added == frozenset({3, 6})
    assert first_part.keep is None and second_part.keep is None and first_part.split_from == [12]
    assert list(plan.split) == [12]
    unchanged = identities_assign(clusters=[frozenset({1, 2}), frozenset({3})], current={1: 10, 2: 10, 3: 11})
    assert all(cluster.unchanged for cluster in unchanged.clusters)
