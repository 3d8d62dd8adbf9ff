"""The words of the undercount estimates, kept apart from the estimator (which loads scipy and statsmodels): an
estimate stores the codes of its assumptions and of its refusal with their figures, and every page and the API
render them in the reader's language with these."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Assumption(StrEnum):
    CLOSED = "closed"
    LINKAGE = "linkage"
    ACTIVE = "active"
    INDEPENDENT = "independent"
    DEPENDENCE = "dependence"
    HOMOGENEOUS = "homogeneous"
    SAMPLING_ONLY = "sampling_only"


class RefusalCode(StrEnum):
    TOO_FEW_LISTS = "too_few_lists"
    EMPTY_LIST = "empty_list"
    TOO_FEW_CASES = "too_few_cases"
    NO_OVERLAP = "no_overlap"
    NOT_ESTIMABLE = "not_estimable"
    UNBOUNDED_INTERVAL = "unbounded_interval"
    # A model left out of the comparison, not a refusal of the stratum.
    NO_FINITE_ESTIMATE = "no_finite_estimate"


ASSUMPTIONS = {
    Assumption.CLOSED: _(
        "The population is closed within the stratum: every victim could have been recorded by every list, "
        "and the lists cover the same period, area and definition of a case."
    ),
    Assumption.LINKAGE: _(
        "Record linkage is perfect: no two victims were merged into one and no victim was split into several."
    ),
    Assumption.ACTIVE: _("Every list was collecting records throughout the stratum."),
    Assumption.INDEPENDENT: _(
        "The two lists are independent: being recorded by one does not change the chance of being recorded by the "
        "other."
    ),
    Assumption.DEPENDENCE: _(
        "Dependence between lists is limited to the pairs in the chosen model {model}; no three or more "
        "lists depend on each other jointly."
    ),
    Assumption.HOMOGENEOUS: _(
        "Within the stratum every victim has the same chance of being recorded by each list, or the "
        "differences are captured by the dependences fitted; unmodelled differences usually make the "
        "estimate too low."
    ),
    Assumption.SAMPLING_ONLY: _(
        "The interval reflects sampling error under the chosen model only, not the uncertainty of "
        "choosing the model or of the record linkage."
    ),
}

REFUSALS = {
    RefusalCode.TOO_FEW_LISTS: _("At least two lists are needed to estimate who none recorded."),
    RefusalCode.EMPTY_LIST: _(
        "No cases in this stratum from: {lists}. A list with no cases says nothing about who the others missed."
    ),
    RefusalCode.TOO_FEW_CASES: _(
        "Only {observed} victims were observed; at least {minimum} are needed for an estimate."
    ),
    RefusalCode.NO_OVERLAP: _(
        "No victim appears in more than one list, so the lists' overlap, on which the estimate rests, is empty."
    ),
    RefusalCode.NOT_ESTIMABLE: _(
        "No model has a finite estimate for these counts; typically a list overlaps no other or contains another "
        "entirely."
    ),
    RefusalCode.UNBOUNDED_INTERVAL: _(
        "The data set no upper limit on the total below {factor} times the observed count."
    ),
    RefusalCode.NO_FINITE_ESTIMATE: _(
        "No finite estimate: the fit sends an expected count to zero, as when two lists never overlap."
    ),
}


class Statement:
    """A coded text with its figures (an assumption, a refusal), read in the language active when it is read."""

    def __init__(self, code: str, params: dict | None = None, *, texts: dict) -> None:
        self.code, self.params, self._texts = code, dict(params or {}), texts

    def __str__(self) -> str:
        return str(self._texts[self.code]).format(**self.params)


def assumption(code: str, **params) -> Statement:
    return Statement(Assumption(code), params, texts=ASSUMPTIONS)


def refusal(code: str, **params) -> Statement:
    return Statement(RefusalCode(code), params, texts=REFUSALS)


def stored_assumptions(detail: dict) -> list[str]:
    """The assumptions an estimate stored ({"code", figures...}), in the reader's language."""
    return [str(assumption(**item)) for item in detail.get("assumptions", [])]
