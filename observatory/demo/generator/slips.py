"""Typing slips: names misspelt as hands and ears do, and names and ID numbers written out."""

import random

import numpy as np
import pandas as pd

from observatory.geography.folding import strip_accents

from .drawing import text_random

# Slips of the ear: Spanish spellings that sound alike.
SOUND_ALIKE = (("V", "B"), ("B", "V"), ("S", "Z"), ("Z", "S"), ("C", "S"), ("LL", "Y"), ("Y", "LL"), ("H", ""))


def name_typo(name: str, r: random.Random) -> str:
    """One slip of the hand or the ear: a character substituted, dropped or transposed, or a sound spelt another way."""
    letters = [position for position, character in enumerate(name[:-1]) if character.isalpha()]
    if len(letters) < 3:
        return name
    sound_alikes = [(heard, written) for heard, written in SOUND_ALIKE if heard in name.upper()]
    slip = r.random()
    if slip < 0.3 and sound_alikes:
        heard, written = r.choice(sound_alikes)
        position = name.upper().index(heard)
        written = written if name[position].isupper() else written.lower()
        return name[:position] + written + name[position + len(heard) :]
    position = r.choice(letters)
    if slip < 0.55:
        substitute = chr(r.randint(ord("A"), ord("Z")))
        return name[:position] + (substitute if name[position].isupper() else substitute.lower()) + name[position + 1 :]
    if slip < 0.8:
        return name[:position] + name[position + 1 :]
    return name[:position] + name[position + 1] + name[position] + name[position + 2 :]


def typos(names: np.ndarray, *, rate: float, rng: np.random.Generator) -> np.ndarray:
    text_rng = text_random(rng)
    for position in np.flatnonzero(rng.random(len(names)) < rate):
        names[position] = name_typo(names[position], text_rng)
    return names


def without_accents(values: np.ndarray) -> np.ndarray:
    codes, distinct = pd.factorize(values)
    return np.array([strip_accents(value) for value in distinct], dtype=object)[codes]


def words(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def national_id_written(national_id: str, r: random.Random) -> str:
    """Plain, or grouped as on the DPI card (4-5-4) with dashes or spaces."""
    style = r.random()
    if style < 0.55:
        return national_id
    separator = "-" if style < 0.9 else " "
    return separator.join((national_id[:4], national_id[4:9], national_id[9:]))
