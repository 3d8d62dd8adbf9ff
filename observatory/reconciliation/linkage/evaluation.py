"""How well the victims match a ground truth: pairwise precision, recall and F1, and cluster purity and
completeness, over the records the truth names."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from math import comb


@dataclass(frozen=True)
class LinkageQuality:
    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    purity: float
    completeness: float

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def linkage_quality(*, predicted: Mapping[object, object], truth: Mapping[object, object]) -> LinkageQuality:
    """`predicted` and `truth` map each record to its cluster label; only records in both are evaluated.

    Purity: the share of records whose predicted cluster's majority truth label is their own; completeness:
    the share of records whose truth cluster's majority predicted cluster is their own.
    """
    records = [record for record in truth if record in predicted]
    joint = Counter((predicted[record], truth[record]) for record in records)
    predicted_sizes = Counter(predicted[record] for record in records)
    truth_sizes = Counter(truth[record] for record in records)
    correct = sum(comb(size, 2) for size in joint.values())
    best_truth_share: Counter = Counter()
    best_predicted_share: Counter = Counter()
    for (cluster, label), size in joint.items():
        best_truth_share[cluster] = max(best_truth_share[cluster], size)
        best_predicted_share[label] = max(best_predicted_share[label], size)
    count = len(records) or 1
    return LinkageQuality(
        records=len(records),
        true_pairs=sum(comb(size, 2) for size in truth_sizes.values()),
        predicted_pairs=sum(comb(size, 2) for size in predicted_sizes.values()),
        correct_pairs=correct,
        purity=sum(best_truth_share.values()) / count,
        completeness=sum(best_predicted_share.values()) / count,
    )
