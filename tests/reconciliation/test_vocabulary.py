"""The linkage's words: the phonetic key its blocking uses, and the reader's names for every comparison."""

import pytest

from observatory.reconciliation.linkage.model import COMPARISONS
from observatory.reconciliation.linkage.phonetic import spanish_sound
from observatory.reconciliation.templatetags.reconciliation_tags import COMPARISON_NAMES, LEVEL_LABELS


@pytest.mark.parametrize(
    ("written", "as_heard"),
    [
        ("BLANKO", "BLANCO"),
        ("LOPES", "LOPEZ"),
        ("BAZQUEZ", "VASQUEZ"),
        ("GIMENES", "JIMENEZ"),
        ("ERNANDES", "HERNANDEZ"),
        ("LLOLANDA", "YOLANDA"),
        ("KESADA", "QUESADA"),
        ("LOPIZ", "LOPEZ"),
    ],
)
def test_spellings_of_one_sound_share_a_key(written, as_heard):
    assert spanish_sound(written) == spanish_sound(as_heard)


@pytest.mark.parametrize(("one", "other"), [("CHAVEZ", "SAVEZ"), ("GUERRA", "JUERRA"), ("MORALES", "ROSALES")])
def test_different_sounds_keep_different_keys(one, other):
    assert spanish_sound(one) != spanish_sound(other)


def test_every_comparison_and_level_of_the_model_has_a_name_for_the_reader():
    assert [comparison["output_column_name"] for comparison in COMPARISONS] == list(COMPARISON_NAMES)
    levels = {level["label_for_charts"] for comparison in COMPARISONS for level in comparison["comparison_levels"]}
    assert levels <= set(LEVEL_LABELS), levels - set(LEVEL_LABELS)
