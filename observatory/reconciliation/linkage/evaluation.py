"""How well the victims match a ground truth: pairwise precision, recall and F1, and cluster purity and
completeness, over the records the truth names."""

from collections import Counter
from collections.abc import Iterable, Mapping
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


@dataclass(frozen=True)
class RuleRecall:
    """The true pairs one blocking rule finds: with or without other rules, and those only it finds."""

    found: int
    only: int


def true_pairs_by_rule(
    *, pairs: Iterable[tuple[object, object, int]], rules: list[str], label_of: Mapping[object, object]
) -> tuple[dict[str, RuleRecall], int]:
    """Of the candidate `pairs` (record, record, the bits of the rules that found it, in the order of `rules`),
    the true pairs (both records with one label in `label_of`) each rule finds, a rule and its reverse
    (context_reverse) counted as one; and the true pairs no rule finds."""
    found: Counter = Counter()
    only: Counter = Counter()
    true_found = 0
    for low, high, bits in pairs:
        label = label_of.get(low)
        if label is None or label != label_of.get(high):
            continue
        true_found += 1
        for index, rule in enumerate(rules):
            if bits >> index & 1:
                name = rule.removesuffix("_reverse")
                found[name] += 1
                only[name] += bits == 1 << index
    sizes = Counter(label for label in label_of.values() if label is not None)
    by_rule = {
        rule: RuleRecall(found=found[rule], only=only[rule])
        for rule in dict.fromkeys(rule.removesuffix("_reverse") for rule in rules)
    }
    return by_rule, sum(comb(size, 2) for size in sizes.values()) - true_found
