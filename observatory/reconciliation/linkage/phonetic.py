"""A phonetic key for Spanish name parts, for blocking: names that sound alike share it.

Written words of one sound are folded together (BLANCO and BLANKO, VASQUEZ and BAZQUEZ, JIMENEZ and GIMENES,
YOLANDA and LLOLANDA), silent H is dropped, doubled letters are written once, and the vowels after the first
letter are left out, so that a mistyped vowel (LOPEZ, LOPIZ) keeps the key too. jellyfish's metaphone and NYSIIS
fold English spellings, where C before E is K's sound half the time and Z is not S.
"""

import re
from functools import lru_cache

# In order: each rule rewrites what the rules before it left.
_RULES = (
    (re.compile(r"CH"), "1"),  # its own sound, written back as CH at the end
    (re.compile(r"QU(?=[EI])"), "K"),
    (re.compile(r"G(?=[EIY])"), "J"),
    (re.compile(r"GU(?=[EI])"), "G"),
    (re.compile(r"C(?=[EIY])"), "S"),
    (re.compile(r"[CQ]"), "K"),
    (re.compile(r"Z"), "S"),
    (re.compile(r"X"), "S"),
    (re.compile(r"[VW]"), "B"),
    (re.compile(r"PH"), "F"),
    (re.compile(r"LL"), "Y"),
    (re.compile(r"H"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"1"), "CH"),
)
_VOWELS_AFTER_FIRST = re.compile(r"(?<=.)[AEIOUY]")


@lru_cache(maxsize=1 << 16)
def spanish_sound(word: str) -> str:
    """The key of one name part (folded: upper case, no accents): "BLANCO" and "BLANKO" give "BLNK". Kept for the
    parts seen last: a few thousand parts make up hundreds of thousands of names."""
    key = re.sub(r"[^A-Z]", "", word.upper())
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return _VOWELS_AFTER_FIRST.sub("", key)
