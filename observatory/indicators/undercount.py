"""Multiple systems estimation: how many victims no list recorded, from how the lists overlap.

Each victim found after record linkage falls in one capture pattern, the set of lists that recorded them. With
k lists there are 2^k - 1 observed cells and one unobserved cell (recorded by none). The counts are fitted with
hierarchical log-linear Poisson models on the observed cells; the unobserved count is exp(intercept), the value
the model gives the cell outside every list (Fienberg 1972; Bishop, Fienberg & Holland 1975, ch. 6; International
Working Group for Disease Monitoring and Forecasting 1995). The models compared are the independence model and
every set of pairwise interactions. Only the k-way interaction is confounded with the unobserved cell, so every
such model is identifiable; with three lists the model with all three pairs has 7 parameters for 7 cells (0 df)
and is compared too. Whether a model has a finite estimate depends on the data: a fit that drives a cell's
expected count to zero (a pair of lists that never overlap, say) has no maximum-likelihood estimate and is
excluded, with the reason. The model is chosen by AIC or BIC; BIC's sample size is the number of victims
observed, as in Rcapture (Baillargeon & Rivest 2007).

The interval is the profile-likelihood interval of Cormack (1992): for a candidate total N the model is fitted to
the complete 2^k table with N - n victims in the unobserved cell, which maximises the multinomial likelihood of
the capture histories for that N; the interval holds every N whose likelihood-ratio statistic against the best N
stays below the chi-square(1) quantile.

With two lists the only identifiable model is independence, whose estimate is the Lincoln-Petersen
n1*n2/m. The estimate published is Chapman's (1951) (n1+1)(n2+1)/(m+1) - 1, nearly unbiased where
Lincoln-Petersen is biased upwards when the overlap m is small, with Seber's (1970) variance and Chao's (1987)
log-normal interval, which keeps the lower limit above the observed count.
"""

import functools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

import numpy as np
import statsmodels.api as sm
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln, xlogy
from scipy.stats import chi2, norm

from .undercount_texts import Assumption, RefusalCode, Statement, assumption, refusal

# Below about 30 victims most of the 2^k - 1 cells hold a handful of cases: the chi-square approximations behind
# the interval and the information criteria are poor, and one linkage decision moves the estimate visibly.
MIN_OBSERVED = 30
# The pairwise models number 2^(k(k-1)/2): 1024 at five lists, too many to fit beyond that.
MAX_LISTS = 5
# An expected count below this means the fit is heading for a cell with no expected victims: no finite estimate.
_BOUNDARY = 1e-6
# The profile's upper limit is searched up to this many times the observed count; beyond it the data set no limit.
_MAX_TOTAL_FACTOR = 100


class Status(StrEnum):
    ESTIMATED = "estimated"
    REFUSED = "refused"


class Criterion(StrEnum):
    AIC = "aic"
    BIC = "bic"


class Method(StrEnum):
    LOG_LINEAR = "log_linear"
    CHAPMAN = "chapman"


@dataclass(frozen=True)
class ModelFit:
    """One log-linear model. Its name is in generating-class notation: [police,coroner][hospital]."""

    name: str
    interactions: tuple[tuple[str, str], ...]
    parameters: int
    df: int
    deviance: float
    aic: float
    bic: float
    estimated_unobserved: float
    estimated_total: float


@dataclass(frozen=True)
class ExcludedModel:
    name: str
    interactions: tuple[tuple[str, str], ...]
    reason: Statement


@dataclass(frozen=True)
class UndercountEstimate:
    """Either an estimate (status ESTIMATED) or a refusal (status REFUSED, with code and reason); a refusal
    carries no estimated number. `models` is ordered by the criterion, best first."""

    status: Status
    lists: tuple[str, ...]
    observed: int
    criterion: Criterion
    confidence: float
    code: RefusalCode | None = None
    reason: Statement | None = None
    method: Method | None = None
    chosen_model: ModelFit | None = None
    estimated_total: float | None = None
    estimated_unobserved: float | None = None
    interval_low: float | None = None
    interval_high: float | None = None
    coverage: float | None = None
    models: tuple[ModelFit, ...] = ()
    excluded_models: tuple[ExcludedModel, ...] = ()
    assumptions: tuple[Statement, ...] = ()


def estimate_population(
    *,
    pattern_counts: Mapping[frozenset[str], int],
    lists: Sequence[str],
    criterion: Criterion | str = Criterion.AIC,
    confidence: float = 0.95,
    min_observed: int = MIN_OBSERVED,
) -> UndercountEstimate:
    """The estimated number of victims in one stratum, from the count of victims in each capture pattern (the
    frozenset of lists that recorded them; absent patterns count 0), or a refusal saying why the data cannot
    support one. Malformed input (unknown list, negative count) raises ValueError."""
    lists = tuple(lists)
    criterion = Criterion(criterion)
    _validate(pattern_counts=pattern_counts, lists=lists, confidence=confidence)
    patterns = _patterns(lists=lists)
    counts = np.array([pattern_counts.get(pattern, 0) for pattern in patterns], dtype=float)
    observed = int(counts.sum())
    refuse = functools.partial(
        UndercountEstimate,
        status=Status.REFUSED,
        lists=lists,
        observed=observed,
        criterion=criterion,
        confidence=confidence,
    )
    problem = _data_problem(lists=lists, patterns=patterns, counts=counts, observed=observed, min_observed=min_observed)
    if problem is not None:
        return refuse(code=problem.code, reason=problem)
    fits, excluded = _models_fitted(lists=lists, patterns=patterns, counts=counts, observed=observed)
    if not fits:
        return refuse(code=RefusalCode.NOT_ESTIMABLE, reason=refusal(RefusalCode.NOT_ESTIMABLE))
    fits.sort(key=lambda fit: getattr(fit[0], criterion.value))
    chosen, design, result = fits[0]
    method, estimated_total, interval, dependence = _total_and_interval(
        lists=lists, counts=counts, chosen=chosen, design=design, result=result, confidence=confidence
    )
    if interval is None:
        return refuse(
            code=RefusalCode.UNBOUNDED_INTERVAL,
            reason=refusal(RefusalCode.UNBOUNDED_INTERVAL, factor=_MAX_TOTAL_FACTOR),
        )
    return UndercountEstimate(
        status=Status.ESTIMATED,
        lists=lists,
        observed=observed,
        criterion=criterion,
        confidence=confidence,
        method=method,
        chosen_model=chosen,
        estimated_total=estimated_total,
        estimated_unobserved=estimated_total - observed,
        interval_low=interval[0],
        interval_high=interval[1],
        coverage=observed / estimated_total,
        models=tuple(fit[0] for fit in fits),
        excluded_models=tuple(excluded),
        assumptions=_assumptions(dependence=dependence),
    )


def _assumptions(*, dependence) -> tuple:
    """What every estimate holds under, the chosen model's dependence between the lists among them."""
    return (
        assumption(Assumption.CLOSED),
        assumption(Assumption.LINKAGE),
        assumption(Assumption.ACTIVE),
        dependence,
        assumption(Assumption.HOMOGENEOUS),
        assumption(Assumption.SAMPLING_ONLY),
    )


def _data_problem(
    *, lists: tuple[str, ...], patterns: list[frozenset[str]], counts: np.ndarray, observed: int, min_observed: int
) -> Statement | None:
    """Why these counts cannot support an estimate whatever the model, or None."""
    if len(lists) < 2:
        return refusal(RefusalCode.TOO_FEW_LISTS)
    empty = [name for name in lists if not sum(c for p, c in zip(patterns, counts, strict=False) if name in p)]
    if empty:
        return refusal(RefusalCode.EMPTY_LIST, lists=", ".join(empty))
    if observed < min_observed:
        return refusal(RefusalCode.TOO_FEW_CASES, observed=observed, minimum=min_observed)
    if not sum(c for p, c in zip(patterns, counts, strict=False) if len(p) > 1):
        return refusal(RefusalCode.NO_OVERLAP)
    return None


def _models_fitted(
    *, lists: tuple[str, ...], patterns: list[frozenset[str]], counts: np.ndarray, observed: int
) -> tuple[list[tuple], list[ExcludedModel]]:
    """Every candidate model fitted, as (ModelFit, design, statsmodels result), and those with no finite estimate."""
    fits, excluded = [], []
    for interactions in _candidate_models(lists=lists, cells=len(patterns)):
        name = _model_name(lists=lists, interactions=interactions)
        design = _design(patterns=patterns, lists=lists, interactions=interactions)
        result = _poisson_fit(counts=counts, design=design)
        if result is None:
            excluded.append(
                ExcludedModel(
                    name=name,
                    interactions=interactions,
                    reason=refusal(RefusalCode.NO_FINITE_ESTIMATE),
                )
            )
            continue
        fits.append(
            (_model_fit(name=name, interactions=interactions, result=result, observed=observed), design, result)
        )
    return fits, excluded


def _total_and_interval(
    *, lists: tuple[str, ...], counts: np.ndarray, chosen: ModelFit, design: np.ndarray, result, confidence: float
) -> tuple[Method, float, tuple[float, float] | None, Statement]:
    """The method, the estimated total, its interval (None when the data set no upper limit) and the assumption
    about dependence between lists: Chapman's with two lists, the chosen log-linear model's with more."""
    if len(lists) == 2:
        estimated_total, interval = _chapman(counts=counts, confidence=confidence)
        return Method.CHAPMAN, estimated_total, interval, assumption(Assumption.INDEPENDENT)
    interval = _profile_interval(
        counts=counts,
        design=design,
        start=result.params,
        estimated_total=chosen.estimated_total,
        confidence=confidence,
    )
    return Method.LOG_LINEAR, chosen.estimated_total, interval, assumption(Assumption.DEPENDENCE, model=chosen.name)


def _validate(*, pattern_counts: Mapping[frozenset[str], int], lists: tuple[str, ...], confidence: float) -> None:
    if len(set(lists)) != len(lists):
        raise ValueError(f"Lists are named more than once: {lists}")
    if len(lists) > MAX_LISTS:
        raise ValueError(f"At most {MAX_LISTS} lists are supported, got {len(lists)}")
    if not 0 < confidence < 1:
        raise ValueError(f"The confidence must be between 0 and 1, got {confidence}")
    for pattern, count in pattern_counts.items():
        if not pattern or not pattern <= set(lists):
            raise ValueError(f"A pattern must be a non-empty set of the lists {lists}, got {set(pattern)}")
        if count < 0 or count != int(count):
            raise ValueError(f"Counts must be whole numbers of victims, got {count} for {set(pattern)}")


def _patterns(*, lists: tuple[str, ...]) -> list[frozenset[str]]:
    """The 2^k - 1 observable capture patterns."""
    return [frozenset(subset) for size in range(1, len(lists) + 1) for subset in combinations(lists, size)]


def _candidate_models(*, lists: tuple[str, ...], cells: int) -> list[tuple[tuple[str, str], ...]]:
    """Each set of pairwise interactions, simplest first, with no more parameters than observed cells."""
    pairs = list(combinations(lists, 2))
    return [
        interactions
        for size in range(len(pairs) + 1)
        for interactions in combinations(pairs, size)
        if 1 + len(lists) + size <= cells
    ]


def _model_name(*, lists: tuple[str, ...], interactions: tuple[tuple[str, str], ...]) -> str:
    in_pairs = {name for pair in interactions for name in pair}
    terms = [",".join(pair) for pair in interactions] + [name for name in lists if name not in in_pairs]
    return "".join(f"[{term}]" for term in terms)


def _design(
    *, patterns: list[frozenset[str]], lists: tuple[str, ...], interactions: tuple[tuple[str, str], ...]
) -> np.ndarray:
    """Intercept, one column per list and one per interaction; a row per pattern (the unobserved row is all 0
    but the intercept, which is why exp(intercept) is its expected count)."""
    return np.array(
        [
            [1.0]
            + [float(name in pattern) for name in lists]
            + [float(a in pattern and b in pattern) for a, b in interactions]
            for pattern in patterns
        ]
    )


def _glm(*, counts: np.ndarray, design: np.ndarray, start: np.ndarray | None = None):
    with warnings.catch_warnings():
        # Zero cells make IRLS warn of perfect prediction and divide by zero; callers test for the boundary.
        warnings.simplefilter("ignore")
        return sm.GLM(counts, design, family=sm.families.Poisson()).fit(start_params=start)


def _poisson_fit(*, counts: np.ndarray, design: np.ndarray):
    """The Poisson log-linear fit, or None when it has no finite maximum-likelihood estimate."""
    result = _glm(counts=counts, design=design)
    finite = np.all(np.isfinite(result.params))
    if not (result.converged and finite and result.fittedvalues.min() >= _BOUNDARY):
        return None
    return result


def _model_fit(*, name: str, interactions: tuple[tuple[str, str], ...], result, observed: int) -> ModelFit:
    parameters = len(result.params)
    unobserved = float(np.exp(result.params[0]))
    return ModelFit(
        name=name,
        interactions=interactions,
        parameters=parameters,
        df=int(result.df_resid),
        deviance=max(float(result.deviance), 0.0),
        aic=float(-2 * result.llf + 2 * parameters),
        bic=float(-2 * result.llf + parameters * math.log(observed)),
        estimated_unobserved=unobserved,
        estimated_total=observed + unobserved,
    )


def _profile_interval(
    *, counts: np.ndarray, design: np.ndarray, start: np.ndarray, estimated_total: float, confidence: float
) -> tuple[float, float] | None:
    """Cormack's (1992) profile-likelihood interval for the total, or None when it has no upper limit.

    For a total N the profile log-likelihood is log N!/(N-n)! + sum over all 2^k cells of y log(mu/N), mu the
    fit to the complete table with y = N - n in the unobserved cell (N is treated as continuous)."""
    observed = counts.sum()
    full_design = np.vstack([np.eye(1, design.shape[1]), design])

    def loglik(total: float) -> float:
        table = np.concatenate([[total - observed], counts])
        try:
            result = _glm(counts=table, design=full_design, start=start)
        except ValueError:  # IRLS overflows when the total is far from the one the start was fitted at
            result = None
        if result is None or not result.converged:
            result = _glm(counts=table, design=full_design)
        fitted = result.fittedvalues
        return float(gammaln(total + 1) - gammaln(total - observed + 1) + xlogy(table, fitted / total).sum())

    unobserved = estimated_total - observed
    best = minimize_scalar(
        lambda total: -loglik(total),
        bounds=(observed, estimated_total + 4 * unobserved + 10),
        method="bounded",
        options={"xatol": 0.05},
    )
    peak, threshold = best.x, -best.fun - chi2.ppf(confidence, 1) / 2

    def excess(total: float) -> float:
        return loglik(total) - threshold

    low = observed if excess(observed) >= 0 else brentq(excess, observed, peak, xtol=0.05)
    inside, step = peak, max(unobserved, 1.0)
    while excess(inside + step) >= 0:
        inside, step = inside + step, 2 * step
        if inside > _MAX_TOTAL_FACTOR * observed:
            return None
    return float(low), float(brentq(excess, inside, inside + step, xtol=0.05))


def _chapman(*, counts: np.ndarray, confidence: float) -> tuple[float, tuple[float, float]]:
    """Chapman's estimate of the total with Chao's (1987) log-normal interval on Seber's (1970) variance.

    `counts` are (only first, only second, both). Positive by the caller's checks: both lists have cases outside
    the overlap, or the independence model would have had no finite estimate."""
    only_first, only_second, both = counts
    first, second, observed = only_first + both, only_second + both, counts.sum()
    unobserved = only_first * only_second / (both + 1)
    variance = (first + 1) * (second + 1) * only_first * only_second / ((both + 1) ** 2 * (both + 2))
    spread = math.exp(norm.ppf((1 + confidence) / 2) * math.sqrt(math.log(1 + variance / unobserved**2)))
    return float(observed + unobserved), (float(observed + unobserved / spread), float(observed + unobserved * spread))
