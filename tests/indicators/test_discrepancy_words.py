"""The sources' discrepancy in words, in the reader's language, from published counts only."""

import pytest
from django.utils import translation

from observatory.indicators.discrepancy_words import discrepancy_sentences


def _say(counts: dict, *, language: str) -> list[str]:
    with translation.override(language):
        return discrepancy_sentences(counts=counts, year=2024, category={"en": "homicide", "es": "homicidio"}[language])


def test_the_source_that_recorded_more_is_named_first_with_the_difference():
    counts = {"police": 121, "coroner": 137, "reconciled": 149}

    assert _say(counts, language="en") == [
        "The coroner recorded 16 more homicide cases than the police in 2024.",
        "Linking the records of every source counts 149 distinct victims in 2024; the largest single source, the "
        "coroner, recorded 137.",
    ]
    assert _say(counts, language="es")[0] == (
        "Medicina forense registró 16 casos de homicidio más que la policía en 2024."
    )


def test_one_case_more_is_singular_and_large_differences_are_grouped_as_the_language_writes_them():
    assert _say({"police": 10, "hospital": 11}, language="en") == [
        "The hospitals recorded 1 more homicide case than the police in 2024."
    ]
    assert _say({"police": 10, "hospital": 11}, language="es") == [
        "La red hospitalaria registró 1 caso de homicidio más que la policía en 2024."
    ]
    assert "1,200 more" in _say({"police": 200, "coroner": 1400}, language="en")[0]
    assert "1.200 casos" in _say({"police": 200, "coroner": 1400}, language="es")[0]


def test_equal_counts_are_said_to_be_equal():
    assert _say({"police": 7, "coroner": 7}, language="en") == [
        "The police and the coroner recorded the same number of homicide cases in 2024: 7."
    ]


@pytest.mark.parametrize("withheld", ["<5", "x"])
def test_no_difference_is_stated_with_a_withheld_count(withheld):
    sentences = _say({"police": 12, "coroner": withheld, "reconciled": withheld}, language="en")

    assert sentences == [
        "The difference between the police and the coroner in 2024 cannot be stated: one of the counts is withheld "
        "to protect a small number of victims."
    ]
    assert not any(character.isdigit() for sentence in sentences for character in sentence.replace("2024", ""))


def test_a_source_without_data_for_the_year_is_said_to_have_none_not_fewer():
    assert _say({"police": 12, "hospital": None, "reconciled": 12}, language="en") == [
        "No data from the hospitals for the whole of 2024.",
        "Linking the records of every source counts 12 distinct victims in 2024; the largest single source, the "
        "police, recorded 12.",
    ]
