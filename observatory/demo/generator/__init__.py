"""Demo exports of the three sources for the demo city, and the ground truth of who is who.

A population of victims is drawn first: who they are, and when, where and how it happened (`people`, `places`,
`addresses`, `events`). Each source then records the victims it would have seen (`sightings`), in its own layout
and spelling (`layouts`, docs/sources.md; `police`, `coroner`, `hospital`), with the slips of hand-kept
systems (`slips`) and, now and then, a plainly bad value (`writing`). Everything follows from the seed: the
order in which values are drawn is part of the output, so a change that reorders draws changes the files.

The entry points: `demo_files_write` (the demo's four files) and `write_police_file` (a large police file for
benchmarks).
"""

from .demo_files import DEFAULT_SEED, DEFAULT_VICTIMS_PER_YEAR, demo_files_write
from .layouts import CORONER, HOSPITAL, NOISE_LEVELS, POLICE, Noise
from .police import write_police_file
from .timeline import DEFAULT_START_YEAR, DEFAULT_YEARS

__all__ = [
    "CORONER",
    "DEFAULT_SEED",
    "DEFAULT_START_YEAR",
    "DEFAULT_VICTIMS_PER_YEAR",
    "DEFAULT_YEARS",
    "HOSPITAL",
    "NOISE_LEVELS",
    "POLICE",
    "Noise",
    "demo_files_write",
    "write_police_file",
]
