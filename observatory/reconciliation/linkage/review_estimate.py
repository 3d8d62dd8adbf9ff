"""Precision and recall of the linkage as it stands, estimated from the analysts' review decisions.

Over the scored pairs (those at or above the review threshold), split in bands of match probability: a decided pair
is known (match or not); an undecided pair is a true match with the share of its band that the analysts found to
be matches, shrunk towards the model's own mean probability in the band (a Beta prior worth PRIOR_PAIRS decisions),
so that a band nobody reviewed is estimated by the model alone. Precision is the estimated share of true matches
among the pairs the victims link; recall the share of the estimated true matches that they link. The 95% interval
comes from drawing each band's share from its Beta posterior. Pairs the model scored below the review threshold are
not kept, so recall is over the scored pairs.
"""

from dataclasses import dataclass

import numpy as np

PRIOR_PAIRS = 2.0
DRAWS = 4000


@dataclass(frozen=True)
class BandEstimate:
    low: float
    high: float
    pairs: int
    linked: int
    decided_match: int
    decided_non_match: int
    match_share: float  # the posterior mean of the band's share of true matches


@dataclass(frozen=True)
class ReviewEstimate:
    precision: float | None
    precision_low: float | None
    precision_high: float | None
    recall: float | None
    recall_low: float | None
    recall_high: float | None
    bands: list[BandEstimate]


def band_edges(*, review: float, match: float) -> np.ndarray:
    """Five bands from the review threshold to the match threshold, then up to 0.99 and up to 1."""
    edges = np.r_[np.linspace(review, match, 6), 0.99, 1.0]
    return np.unique(np.round(edges[edges >= review], 6))


def review_estimate(
    *, probability: np.ndarray, linked: np.ndarray, decision: np.ndarray, edges: np.ndarray, seed: int = 0
) -> ReviewEstimate:
    """`decision` per pair: 1 match, 0 not a match, -1 undecided (or unsure)."""
    band = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, len(edges) - 2)
    n_bands = len(edges) - 1
    decided = decision >= 0
    matches = np.bincount(band[decision == 1], minlength=n_bands)
    non_matches = np.bincount(band[decision == 0], minlength=n_bands)
    pairs = np.bincount(band, minlength=n_bands)
    mean_probability = np.bincount(band, weights=probability, minlength=n_bands) / np.maximum(pairs, 1)
    # A band without pairs weighs nothing; its prior is only there for the draws to be defined.
    mean_probability = np.where(pairs > 0, mean_probability, 0.5)
    alpha = matches + PRIOR_PAIRS * mean_probability
    beta = non_matches + PRIOR_PAIRS * (1 - mean_probability)
    undecided_linked = np.bincount(band[~decided & linked], minlength=n_bands)
    undecided = np.bincount(band[~decided], minlength=n_bands)
    known_linked_matches = int(np.sum(decided & linked & (decision == 1)))
    known_matches = int(np.sum(decision == 1))
    linked_pairs = int(linked.sum())

    def measures(share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        true_linked = known_linked_matches + share @ undecided_linked
        true_all = known_matches + share @ undecided
        with np.errstate(divide="ignore", invalid="ignore"):
            return true_linked / linked_pairs, true_linked / true_all

    shares = np.random.default_rng(seed).beta(alpha, beta, size=(DRAWS, n_bands))
    precision_draws, recall_draws = measures(shares)
    precision, recall = measures(alpha / (alpha + beta))
    bands = [
        BandEstimate(
            low=float(edges[index]),
            high=float(edges[index + 1]),
            pairs=int(pairs[index]),
            linked=int(np.sum((band == index) & linked)),
            decided_match=int(matches[index]),
            decided_non_match=int(non_matches[index]),
            match_share=float(alpha[index] / (alpha[index] + beta[index])),
        )
        for index in range(n_bands)
        if pairs[index]
    ]

    def interval(draws: np.ndarray, value) -> tuple[float | None, float | None, float | None]:
        if not np.isfinite(value):
            return None, None, None
        low, high = np.percentile(draws, [2.5, 97.5])
        return float(value), float(low), float(high)

    precision_value = interval(precision_draws, precision) if linked_pairs else (None, None, None)
    recall_value = interval(recall_draws, recall) if len(probability) else (None, None, None)
    return ReviewEstimate(*precision_value, *recall_value, bands=bands)
