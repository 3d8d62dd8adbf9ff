import math

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln, xlogy

from observatory.indicators.undercount import Criterion, Method, RefusalCode, Status, estimate_population

LISTS = ("police", "coroner", "hospital")
TRUE_TOTAL = 2000


def two_lists(*, first: int, second: int, both: int) -> dict[frozenset[str], int]:
    return {
        frozenset({"police"}): first - both,
        frozenset({"coroner"}): second - both,
        frozenset({"police", "coroner"}): both,
    }


def simulated(*, rng: np.random.Generator, dependent: bool, total: int = TRUE_TOTAL) -> dict[frozenset[str], int]:
    """Capture probabilities 0.6, 0.5, 0.3. Dependent: the coroner records 75% of the police's victims and
    12.5% of the rest (still 50% overall), as when the police bring the bodies they find to forensic medicine."""
    police = rng.random(total) < 0.6
    if dependent:
        coroner = np.where(police, rng.random(total) < 0.75, rng.random(total) < 0.125)
    else:
        coroner = rng.random(total) < 0.5
    hospital = rng.random(total) < 0.3
    histories = np.bincount(police * 1 + coroner * 2 + hospital * 4, minlength=8)
    return {
        frozenset(name for bit, name in enumerate(LISTS) if code >> bit & 1): int(histories[code])
        for code in range(1, 8)
    }


def mt_interval(*, counts: dict[frozenset[str], int]) -> tuple[float, float]:
    """The 95% profile interval of model Mt, the independence model on the complete table, in closed form: each
    list catches n_j of N, so the profile log-likelihood of N is log N!/(N-n)! + sum_j n_j log(n_j/N) +
    (N-n_j) log(1-n_j/N) (Otis et al. 1978), maximised and cut by brute force."""
    observed = sum(counts.values())
    names = set().union(*counts)
    caught = [sum(count for pattern, count in counts.items() if name in pattern) for name in names]

    def loglik(total):
        return (
            gammaln(total + 1)
            - gammaln(total - observed + 1)
            + sum(xlogy(n, n / total) + xlogy(total - n, 1 - n / total) for n in caught)
        )

    peak = minimize_scalar(lambda total: -loglik(total), bounds=(observed, 3 * observed), method="bounded").x
    threshold = loglik(peak) - 3.841458820694124 / 2
    return (
        brentq(lambda total: loglik(total) - threshold, observed, peak),
        brentq(lambda total: loglik(total) - threshold, peak, 3 * observed),
    )


def test_two_lists_lincoln_petersen_and_chapman_by_hand():
    estimate = estimate_population(pattern_counts=two_lists(first=100, second=80, both=40), lists=LISTS[:2])
    assert estimate.status == Status.ESTIMATED and estimate.method == Method.CHAPMAN
    # Lincoln-Petersen 100*80/40 = 200: the independence log-linear model on the three cells, 60*40/40 = 60 unseen.
    assert estimate.chosen_model.name == "[police][coroner]" and estimate.chosen_model.df == 0
    assert estimate.chosen_model.estimated_total == pytest.approx(200, abs=1e-6)
    assert estimate.chosen_model.estimated_unobserved == pytest.approx(60, abs=1e-6)
    # Chapman 101*81/41 - 1 = 198.5366; Seber's variance 101*81*60*40/(41^2*42) = 278.10; unseen f0 = 58.537;
    # C = exp(1.96 sqrt(log(1 + 278.10/58.537^2))) = 1.3645; interval 140 + f0/C, 140 + f0*C.
    assert estimate.estimated_total == pytest.approx(101 * 81 / 41 - 1)
    assert estimate.estimated_unobserved == pytest.approx(58.5366, abs=1e-4)
    assert (estimate.interval_low, estimate.interval_high) == (
        pytest.approx(173.857, abs=1e-3),
        pytest.approx(241.207, abs=1e-3),
    )
    assert estimate.observed == 140 and estimate.coverage == pytest.approx(140 / 198.5366, abs=1e-6)


@pytest.mark.parametrize(("first", "second", "both"), [(57, 43, 12), (300, 45, 9)])
def test_two_list_independence_model_is_lincoln_petersen(first, second, both):
    estimate = estimate_population(pattern_counts=two_lists(first=first, second=second, both=both), lists=LISTS[:2])
    assert estimate.chosen_model.estimated_total == pytest.approx(first * second / both)
    assert estimate.estimated_total == pytest.approx((first + 1) * (second + 1) / (both + 1) - 1)


def test_independent_lists_choose_independence_and_the_profile_interval_matches_the_closed_form():
    counts = simulated(rng=np.random.default_rng(1), dependent=False)
    estimate = estimate_population(pattern_counts=counts, lists=LISTS)
    assert estimate.method == Method.LOG_LINEAR and estimate.chosen_model.interactions == ()
    assert estimate.interval_low <= TRUE_TOTAL <= estimate.interval_high
    assert estimate.interval_low < estimate.estimated_total < estimate.interval_high
    assert len(estimate.models) == 8 and estimate.models[0] == estimate.chosen_model
    assert [model.aic for model in estimate.models] == sorted(model.aic for model in estimate.models)
    saturated = next(model for model in estimate.models if len(model.interactions) == 3)
    assert (saturated.parameters, saturated.df) == (7, 0)
    assert (estimate.interval_low, estimate.interval_high) == pytest.approx(mt_interval(counts=counts), abs=0.05)


def test_a_strong_dependence_is_chosen_and_the_interval_covers_the_truth():
    counts = simulated(rng=np.random.default_rng(2), dependent=True)
    by_aic = estimate_population(pattern_counts=counts, lists=LISTS)
    assert ("police", "coroner") in by_aic.chosen_model.interactions
    by_bic = estimate_population(pattern_counts=counts, lists=LISTS, criterion=Criterion.BIC)
    assert by_bic.chosen_model.name == "[police,coroner][hospital]"
    assert by_bic.interval_low <= TRUE_TOTAL <= by_bic.interval_high
    # Ignoring the dependence undercounts: the independence model's total falls below the interval.
    independence = next(model for model in by_bic.models if model.interactions == ())
    assert independence.estimated_total < by_bic.interval_low
    assert "[police,coroner][hospital]" in str(by_bic.assumptions[3])


@pytest.mark.parametrize("dependent", [False, True])
def test_the_interval_covers_the_truth_at_about_the_nominal_rate(dependent):
    # The profile interval of the true model covered the truth in 95% (independent) and 93% (dependent) of 400
    # replicates. After choosing the model, BIC's interval covered 94% of 1000 and AIC's only 87-89%: AIC often
    # adds a spurious interaction, and the interval ignores the choice. At 94%, 60 replicates fall below 85% with
    # probability about 0.002 (50 would fail about one seed in a hundred).
    rng = np.random.default_rng(3)
    estimates = [
        estimate_population(
            pattern_counts=simulated(rng=rng, dependent=dependent), lists=LISTS, criterion=Criterion.BIC
        )
        for _ in range(60)
    ]
    covered = sum(estimate.interval_low <= TRUE_TOTAL <= estimate.interval_high for estimate in estimates)
    assert covered >= 0.85 * 60


def test_four_lists_compare_every_set_of_pairwise_interactions():
    lists = (*LISTS, "prosecutor")
    rng = np.random.default_rng(6)
    caught = rng.random((TRUE_TOTAL, 4)) < [0.6, 0.5, 0.3, 0.4]
    histories = np.bincount(caught @ [1, 2, 4, 8], minlength=16)
    counts = {
        frozenset(name for bit, name in enumerate(lists) if code >> bit & 1): int(histories[code])
        for code in range(1, 16)
    }
    estimate = estimate_population(pattern_counts=counts, lists=lists, criterion=Criterion.BIC)
    assert len(estimate.models) + len(estimate.excluded_models) == 2**6
    assert estimate.chosen_model.interactions == ()
    assert (estimate.interval_low, estimate.interval_high) == pytest.approx(mt_interval(counts=counts), abs=0.05)


def test_bic_is_applied_and_reported():
    estimate = estimate_population(
        pattern_counts=simulated(rng=np.random.default_rng(2), dependent=True), lists=LISTS, criterion="bic"
    )
    assert estimate.criterion == Criterion.BIC
    assert estimate.chosen_model == min(estimate.models, key=lambda model: model.bic)
    observed = estimate.observed
    model = estimate.chosen_model
    assert model.bic - model.aic == pytest.approx(model.parameters * (math.log(observed) - 2))


def test_a_pair_of_lists_that_never_overlap_excludes_the_models_with_that_pair():
    counts = simulated(rng=np.random.default_rng(4), dependent=False)
    for pattern in [frozenset({"police", "hospital"}), frozenset(LISTS)]:
        del counts[pattern]
    estimate = estimate_population(pattern_counts=counts, lists=LISTS)
    assert estimate.status == Status.ESTIMATED
    # [police,coroner][coroner,hospital] too: outside the coroner's list it leaves police and hospital a 2x2 table
    # of which it sees three cells, so the unseen cell is police-only * hospital-only / both, divided by zero.
    assert {model.name for model in estimate.excluded_models} == {
        "[police,hospital][coroner]",
        "[police,coroner][police,hospital]",
        "[police,hospital][coroner,hospital]",
        "[police,coroner][coroner,hospital]",
        "[police,coroner][police,hospital][coroner,hospital]",
    }
    assert all(("police", "hospital") not in model.interactions for model in estimate.models)


def test_a_wide_interval_is_still_found():
    # 216 victims and an estimated 626 unseen: the search for the upper limit fits totals near 13,000, far from
    # the fit it starts from.
    counts = {
        frozenset({"police"}): 40,
        frozenset({"coroner"}): 8,
        frozenset({"hospital"}): 32,
        frozenset({"police", "coroner"}): 85,
        frozenset({"police", "hospital"}): 7,
        frozenset({"coroner", "hospital"}): 1,
        frozenset(LISTS): 43,
    }
    estimate = estimate_population(pattern_counts=counts, lists=LISTS)
    assert estimate.status == Status.ESTIMATED
    assert estimate.interval_low < estimate.estimated_total < estimate.interval_high < 100 * estimate.observed


@pytest.mark.parametrize(
    ("counts", "lists", "code"),
    [
        ({frozenset({"police"}): 120, frozenset({"coroner"}): 90}, LISTS[:2], RefusalCode.NO_OVERLAP),
        (
            {frozenset({"police"}): 80, frozenset({"coroner"}): 70, frozenset({"hospital"}): 30},
            LISTS,
            RefusalCode.NO_OVERLAP,
        ),
        (two_lists(first=15, second=12, both=5), LISTS[:2], RefusalCode.TOO_FEW_CASES),
        (
            {frozenset({"police"}): 60, frozenset({"coroner"}): 40, frozenset({"police", "coroner"}): 40},
            LISTS,
            RefusalCode.EMPTY_LIST,
        ),
        ({frozenset({"police"}): 100}, LISTS[:1], RefusalCode.TOO_FEW_LISTS),
        # Every coroner case is also a police case: independence says nobody is missing, which the data cannot show.
        (two_lists(first=100, second=40, both=40), LISTS[:2], RefusalCode.NOT_ESTIMABLE),
        # One victim links two lists and the hospital overlaps neither: no total is implausible enough to exclude.
        (
            {
                frozenset({"police"}): 50,
                frozenset({"coroner"}): 40,
                frozenset({"hospital"}): 30,
                frozenset({"police", "coroner"}): 1,
            },
            LISTS,
            RefusalCode.UNBOUNDED_INTERVAL,
        ),
    ],
)
def test_refusals_carry_a_code_and_a_reason_and_no_number(counts, lists, code):
    estimate = estimate_population(pattern_counts=counts, lists=lists)
    assert (estimate.status, estimate.code) == (Status.REFUSED, code)
    assert len(str(estimate.reason)) > 20
    assert estimate.estimated_total is None and estimate.estimated_unobserved is None
    assert estimate.interval_low is None and estimate.interval_high is None and estimate.coverage is None
    assert estimate.chosen_model is None and estimate.models == ()


def test_the_minimum_observed_is_a_parameter():
    counts = two_lists(first=15, second=12, both=5)
    assert estimate_population(pattern_counts=counts, lists=LISTS[:2], min_observed=20).status == Status.ESTIMATED


@pytest.mark.parametrize(
    ("counts", "lists"),
    [
        ({frozenset({"police", "prosecutor"}): 3}, LISTS),
        ({frozenset({"police"}): -1}, LISTS),
        ({frozenset({"police"}): 2.5}, LISTS),
        ({frozenset(): 5}, LISTS),
        ({}, ("police", "police")),
    ],
)
def test_malformed_input_is_an_error(counts, lists):
    with pytest.raises(ValueError):
        estimate_population(pattern_counts=counts, lists=lists)
