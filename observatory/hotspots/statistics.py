"""The spatial statistics of a hotspot analysis, through PySAL: Getis-Ord Gi* with permutation inference and false
discovery rate control (esda), local Moran's I of rates, empirical Bayes rates and contiguity weights (libpysal).

esda, libpysal and scipy are imported inside the functions: the web process must not load them at start-up
(tests/test_startup.py)."""

from dataclasses import dataclass

import numpy as np

from .kernels import esda_kernels_cached
from .terms import CONFIDENCE_LEVELS, MoranCluster

# esda's quadrants of a local Moran's I: 1 high-high, 2 low-high, 3 low-low, 4 high-low.
_MORAN_QUADRANTS = {
    1: MoranCluster.HIGH_HIGH,
    2: MoranCluster.LOW_HIGH,
    3: MoranCluster.LOW_LOW,
    4: MoranCluster.HIGH_LOW,
}
PER_100K = 100_000


def _esda():
    """esda, imported when first needed (see the module's docstring), its numba kernels kept on disk."""
    import esda

    esda_kernels_cached()
    return esda


@dataclass(frozen=True)
class GiStar:
    """Per area: the Gi* z-score, its two-sided normal p-value, and the two-sided pseudo p-value of the conditional
    permutations (twice esda's folded one-sided p_sim; 1 without permutations)."""

    z: np.ndarray
    p: np.ndarray
    p_sim: np.ndarray


def gi_star(*, counts: np.ndarray, weights, permutations: int, seed: int, threads: int = -1) -> GiStar:
    """Getis-Ord Gi* (the area itself among its neighbours, binary weights). Without any incident, or with the same
    count everywhere, nothing stands out: z 0 and p 1."""
    esda = _esda()
    counts = np.asarray(counts, dtype=float)
    if counts.sum() == 0 or np.ptp(counts) == 0:
        return GiStar(z=np.zeros(len(counts)), p=np.ones(len(counts)), p_sim=np.ones(len(counts)))
    statistic = esda.G_Local(
        counts,
        weights,
        transform="B",
        star=True,
        permutations=permutations,
        keep_simulations=False,
        n_jobs=threads,
        seed=seed,
    )
    z = np.nan_to_num(statistic.Zs, nan=0.0)
    p_sim = np.minimum(1.0, 2 * statistic.p_sim) if permutations else np.ones(len(counts))
    return GiStar(z=z, p=np.minimum(1.0, 2 * np.nan_to_num(statistic.p_norm, nan=0.5)), p_sim=p_sim)


def confidence_classes(*, gi: GiStar) -> np.ndarray:
    """-3..3: a hot (z > 0) or cold spot at 99, 95 or 90% confidence, the strongest level whose Benjamini-Hochberg
    false discovery rate threshold (esda.fdr) the p-value of the area's z-score meets; 0 elsewhere.

    The z-score's moments are those of the permutation distribution of the counts over all areas (Getis and Ord derive
    them under random permutation), and its p-value is not bounded below by 1 / (permutations + 1), which no false
    discovery rate threshold over thousands of cells could meet. esda's pseudo p-value is kept beside it but does not
    decide: its conditional permutations hold the area's own count fixed, so a lone hot cell among low ones tests only
    its neighbours and comes out weaker than they do (a ring of hot spots around an empty centre)."""
    esda = _esda()

    classes = np.zeros(len(gi.z), dtype=int)
    for level, alpha in reversed(CONFIDENCE_LEVELS):
        classes[gi.p <= esda.fdr(gi.p, alpha)] = level
    return classes * np.sign(gi.z).astype(int)


def local_moran_of_rates(
    *, events: np.ndarray, population: np.ndarray, weights, permutations: int, seed: int, alpha: float = 0.05
) -> tuple[list[str], np.ndarray]:
    """Local Moran's I of rates, standardised by Assunção and Reis' empirical Bayes (esda.Moran_Local_Rate): per area
    its cluster (HH, LL, HL, LH; '' where the false-discovery-rate-controlled p is above alpha) and pseudo p-value."""
    esda = _esda()

    moran = esda.Moran_Local_Rate(
        np.asarray(events, dtype=float),
        np.asarray(population, dtype=float),
        weights,
        transformation="r",
        permutations=permutations,
        seed=seed,
        keep_simulations=False,
    )
    significant = moran.p_sim <= esda.fdr(moran.p_sim, alpha)
    clusters = [
        _MORAN_QUADRANTS[int(quadrant)] if keep else MoranCluster.NONE
        for quadrant, keep in zip(moran.q, significant, strict=True)
    ]
    return clusters, moran.p_sim


def smoothed_rates(*, events: np.ndarray, population: np.ndarray, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raw, empirical Bayes (towards the mean of all areas) and spatial empirical Bayes (towards the neighbours'
    mean) rates per 100,000 (esda.smoothing)."""
    from esda.smoothing import Empirical_Bayes, Spatial_Empirical_Bayes  # heavy: see the module's docstring

    events = np.asarray(events, dtype=float).reshape(-1, 1)
    population = np.asarray(population, dtype=float).reshape(-1, 1)
    raw = events[:, 0] / population[:, 0] * PER_100K
    empirical = Empirical_Bayes(events, population).r.ravel() * PER_100K
    spatial = Spatial_Empirical_Bayes(events, population, weights).r.ravel() * PER_100K
    return raw, empirical, spatial


def contiguity_weights(geometries: list) -> object:
    """Queen contiguity between polygons (shapely); an area touching none gets its nearest one as neighbour."""
    from libpysal.weights import KNN, Queen, attach_islands  # heavy: see the module's docstring

    weights = Queen.from_iterable(geometries, silence_warnings=True)
    if weights.islands and len(geometries) > 1:
        centres = np.array([[geometry.centroid.x, geometry.centroid.y] for geometry in geometries])
        weights = attach_islands(weights, KNN.from_array(centres, k=1, silence_warnings=True))
    weights.id_order = list(range(len(geometries)))  # the order of the counts: esda's smoothers check it
    return weights


def kernel_density(*, lattice: np.ndarray, cell_metres: float, bandwidth_metres: float) -> np.ndarray:
    """A Gaussian kernel density of the incidents binned on the full grid (rows x columns of counts), in incidents
    per km²: the binned approximation of a point KDE, linear in the cells whatever the number of points."""
    from scipy.ndimage import gaussian_filter  # heavy: see the module's docstring

    smoothed = gaussian_filter(lattice.astype(float), sigma=bandwidth_metres / cell_metres, mode="constant")
    return smoothed / (cell_metres / 1000) ** 2


def scott_bandwidth(*, x: np.ndarray, y: np.ndarray) -> float:
    """Scott's rule for a two-dimensional Gaussian kernel: n^(-1/6) times the mean standard deviation of x and y."""
    if len(x) < 2:
        return 0.0
    return float(len(x) ** (-1 / 6) * (np.std(x, ddof=1) + np.std(y, ddof=1)) / 2)
