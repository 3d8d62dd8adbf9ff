from observatory.reconciliation.linkage.evaluation import RuleRecall, linkage_quality, true_pairs_by_rule


def test_pairwise_and_cluster_scores_against_a_hand_count():
    truth = {1: "a", 2: "a", 3: "a", 4: "b", 5: "c"}
    predicted = {1: "x", 2: "x", 3: "y", 4: "y", 5: "z", 6: "z"}  # record 6 is not in the truth: ignored
    quality = linkage_quality(predicted=predicted, truth=truth)
    # True pairs: 12 13 23. Predicted: 12 34. Correct: 12.
    assert (quality.true_pairs, quality.predicted_pairs, quality.correct_pairs) == (3, 2, 1)
    assert quality.precision == 0.5 and round(quality.recall, 4) == 0.3333 and round(quality.f1, 4) == 0.4
    # Purity: x={1,2} pure (2), y={3,4} majority 1, z={5} 1 -> 4/5. Completeness: a split 2+1 -> 2, b 1, c 1 -> 4/5.
    assert quality.purity == 0.8 and quality.completeness == 0.8


def test_true_pairs_by_blocking_rule_against_a_hand_count():
    rules = ["name", "colonia", "context", "context_reverse"]
    label_of = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: None}
    pairs = [
        (1, 2, 0b0011),  # true, name and colonia
        (1, 3, 0b0010),  # true, colonia alone
        (4, 5, 0b1000),  # true, context (its reverse) alone
        (3, 4, 0b0011),  # not true
        (5, 6, 0b0100),  # record 6 is not in the truth
    ]
    by_rule, missed = true_pairs_by_rule(pairs=pairs, rules=rules, label_of=label_of)
    assert by_rule == {
        "name": RuleRecall(found=1, only=0),
        "colonia": RuleRecall(found=2, only=1),
        "context": RuleRecall(found=1, only=1),
    }
    assert missed == 1  # 2-3: of the four true pairs, no rule found it
