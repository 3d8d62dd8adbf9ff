"""How the sources disagree, said in words in the reader's language, from the published counts only: "The
coroner recorded 16 more intentional homicide cases than the police in 2024."

A count the public cannot see ("<5", "x") is never part of a difference: subtracting it from a published one would
give it back, so the sentence says that the difference cannot be stated. A source with no data for the year is
said to have none, rather than to have recorded fewer."""

from itertools import combinations

from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .terms import RECONCILED

# How a basis is named in a table's heading, and as the subject of a sentence; a source without an entry here is
# named by its stored name.
BASIS_NAMES = {
    "police": gettext_lazy("Police"),
    "coroner": gettext_lazy("Coroner"),
    "hospital": gettext_lazy("Hospitals"),
    RECONCILED: gettext_lazy("Reconciled victims"),
}
BASIS_SUBJECTS = {
    "police": gettext_lazy("the police"),
    "coroner": gettext_lazy("the coroner"),
    "hospital": gettext_lazy("the hospitals"),
}


def basis_name(basis: str, stored_names: dict[str, str]) -> str:
    return str(BASIS_NAMES.get(basis, stored_names.get(basis, basis)))


def _subject(source: str, stored_names: dict[str, str]) -> str:
    return str(BASIS_SUBJECTS.get(source, stored_names.get(source, source)))


def _pair_sentence(*, first: tuple[str, object], second: tuple[str, object], year: int, category: str, names) -> str:
    (first_source, first_count), (second_source, second_count) = first, second
    if not isinstance(first_count, int) or not isinstance(second_count, int):
        return _(
            "The difference between %(first)s and %(second)s in %(year)s cannot be stated: one of the counts is "
            "withheld to protect a small number of victims."
        ) % {"first": _subject(first_source, names), "second": _subject(second_source, names), "year": year}
    if first_count == second_count:
        return capfirst(
            _("%(first)s and %(second)s recorded the same number of %(category)s cases in %(year)s: %(count)s.")
            % {
                "first": _subject(first_source, names),
                "second": _subject(second_source, names),
                "category": category,
                "year": year,
                "count": number_format(first_count, force_grouping=True),
            }
        )
    (more, more_count), (fewer, fewer_count) = sorted([first, second], key=lambda item: item[1], reverse=True)
    difference = more_count - fewer_count
    return capfirst(
        ngettext(
            "%(more)s recorded %(difference)s more %(category)s case than %(fewer)s in %(year)s.",
            "%(more)s recorded %(difference)s more %(category)s cases than %(fewer)s in %(year)s.",
            difference,
        )
        % {
            "more": _subject(more, names),
            "fewer": _subject(fewer, names),
            "difference": number_format(difference, force_grouping=True),
            "category": category,
            "year": year,
        }
    )


def _reconciled_sentence(*, counts: dict[str, object], year: int, names) -> str | None:
    victims = counts.get(RECONCILED)
    sources = {source: count for source, count in counts.items() if source != RECONCILED and isinstance(count, int)}
    if not isinstance(victims, int) or not sources:
        return None
    largest = max(sources, key=lambda source: (sources[source], source))
    return capfirst(
        _(
            "Linking the records of every source counts %(victims)s distinct victims in %(year)s; the largest "
            "single source, %(source)s, recorded %(count)s."
        )
        % {
            "victims": number_format(victims, force_grouping=True),
            "year": year,
            "source": _subject(largest, names),
            "count": number_format(sources[largest], force_grouping=True),
        }
    )


def discrepancy_sentences(
    *, counts: dict[str, object], year: int, category: str, stored_names: dict[str, str] | None = None
) -> list[str]:
    """The year's published counts per basis ({source or "reconciled": count, "<5", "x" or None when no source
    covered the unit all year}) compared in words: each pair of sources, then the reconciled victims against the
    largest source. `category` is the category's name as it reads inside a sentence."""
    names = stored_names or {}
    sentences = []
    missing = [source for source, count in counts.items() if count is None and source != RECONCILED]
    for source in missing:
        sentences.append(
            _("No data from %(source)s for the whole of %(year)s.") % {"source": _subject(source, names), "year": year}
        )
    present = [(source, count) for source, count in counts.items() if count is not None and source != RECONCILED]
    for first, second in combinations(present, 2):
        sentences.append(_pair_sentence(first=first, second=second, year=year, category=category, names=names))
    reconciled = _reconciled_sentence(counts=counts, year=year, names=names)
    return sentences + ([reconciled] if reconciled else [])
