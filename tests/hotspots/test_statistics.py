"""Gi* on synthetic lattices: a planted cluster is found, a random pattern yields nothing after the false discovery
rate correction, and the z-scores are the Getis-Ord formula's; the grid's weights are libpysal's queen lattice."""

import numpy as np
import shapely
from libpysal.weights import lat2W

from observatory.hotspots.grid import grid_build, utm_srid
from observatory.hotspots.statistics import confidence_classes, gi_star, kernel_density

SIDE = 20


def _lattice():
    grid = grid_build(area=shapely.box(0, 0, SIDE * 250, SIDE * 250), metres=250, max_cells=10_000)
    return grid, grid.queen_weights()


def _getis_ord_z(counts: np.ndarray, weights) -> np.ndarray:
    """Getis & Ord (1992, eq. 14; Ord & Getis 1995) Gi*, the cell counted among its neighbours, binary weights."""
    n, mean = len(counts), counts.mean()
    s = np.sqrt((counts**2).mean() - mean**2)
    z = np.empty(n)
    for i in range(n):
        neighbours = [i, *weights.neighbors[i]]
        w_sum = len(neighbours)
        z[i] = (counts[neighbours].sum() - mean * w_sum) / (s * np.sqrt((n * w_sum - w_sum**2) / (n - 1)))
    return z


def test_the_grid_weights_are_libpysal_queen_lattice():
    _, weights = _lattice()
    reference = lat2W(SIDE, SIDE, rook=False)
    # lat2W numbers cells row by row from the top-left; ours row by row from the bottom: same neighbour counts.
    assert sorted(weights.cardinalities.values()) == sorted(reference.cardinalities.values())
    assert weights.s0 == reference.s0


def test_a_planted_cluster_is_found_and_nothing_else():
    grid, weights = _lattice()
    rng = np.random.default_rng(7)
    counts = rng.poisson(1.0, grid.size)
    planted = (grid.rows >= 8) & (grid.rows <= 10) & (grid.cols >= 12) & (grid.cols <= 14)
    counts[planted] = rng.poisson(9.0, planted.sum())
    gi = gi_star(counts=counts, weights=weights, permutations=999, seed=1, threads=1)
    classes = confidence_classes(gi=gi)
    centre = np.flatnonzero((grid.rows == 9) & (grid.cols == 13))[0]
    assert classes[centre] == 3
    hot = classes >= 2
    assert hot[planted].sum() >= 7
    near_cluster = (grid.rows >= 7) & (grid.rows <= 11) & (grid.cols >= 11) & (grid.cols <= 15)
    assert not hot[~near_cluster].any()


def test_random_patterns_have_no_hotspot_after_the_false_discovery_rate_correction():
    """Complete spatial randomness: 2,400 uniform points on 400 cells, twenty times. Unadjusted, chance alone flags
    cells in every pattern; after the correction at most one pattern of twenty (the 5% the level allows) has any."""
    grid, weights = _lattice()
    patterns_with_spots = 0
    for seed in range(20):
        points = np.random.default_rng(100 + seed).uniform(0, SIDE * 250, size=(2400, 2))
        counts = grid.counts(grid.cells_of(x=points[:, 0], y=points[:, 1]))
        gi = gi_star(counts=counts, weights=weights, permutations=999, seed=seed, threads=1)
        assert ((gi.p <= 0.05) & (gi.p_sim <= 0.05)).sum() > 0
        patterns_with_spots += bool((np.abs(confidence_classes(gi=gi)) >= 2).any())
    assert patterns_with_spots <= 1


def test_the_z_scores_are_the_getis_ord_formula():
    grid, weights = _lattice()
    counts = np.random.default_rng(3).poisson(1.5, grid.size).astype(float)
    gi = gi_star(counts=counts, weights=weights, permutations=0, seed=1, threads=1)
    np.testing.assert_allclose(gi.z, _getis_ord_z(counts, weights), rtol=1e-9)


def test_without_incidents_nothing_is_significant():
    grid, weights = _lattice()
    gi = gi_star(counts=np.zeros(grid.size), weights=weights, permutations=99, seed=1, threads=1)
    assert (gi.z == 0).all() and (gi.p == 1).all()


def test_the_kernel_density_keeps_the_incidents():
    lattice = np.zeros((41, 41))
    lattice[20, 20] = 10
    density = kernel_density(lattice=lattice, cell_metres=250, bandwidth_metres=500)
    assert abs(density.sum() * 0.25**2 - 10) < 1e-6
    assert density.argmax() == 20 * 41 + 20


def test_the_utm_zone_of_guatemala_city_is_15_north():
    assert utm_srid(longitude=-90.51, latitude=14.63) == 32615
    assert utm_srid(longitude=-58.4, latitude=-34.6) == 32721
