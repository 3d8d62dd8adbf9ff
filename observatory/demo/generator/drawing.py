"""Drawing values from weighted tables, vectorised (numpy) or one at a time (random)."""

import random
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def draw(rng: np.random.Generator, table: Mapping, size: int) -> np.ndarray:
    values = np.empty(len(table), dtype=object)
    values[:] = list(table)
    weights = np.array(list(table.values()), dtype=float)
    return values[rng.choice(len(values), size=size, p=weights / weights.sum())]


def draw_by(rng: np.random.Generator, keys: np.ndarray, tables: Mapping | Sequence) -> np.ndarray:
    """One value per key, drawn from that key's table of weighted values."""
    drawn = np.empty(len(keys), dtype=object)
    codes, distinct = pd.factorize(keys, sort=True)
    for code, key in enumerate(distinct):
        chosen = codes == code
        drawn[chosen] = draw(rng, tables[key], int(chosen.sum()))
    return drawn


def pick(r: random.Random, table: Mapping):
    return r.choices(list(table), weights=list(table.values()))[0]


def text_random(rng: np.random.Generator) -> random.Random:
    """A generator for the few per-value choices (typos, addresses), seeded from the vectorised one."""
    return random.Random(int(rng.integers(2**62)))
