"""Getis-Ord Gi* with 999 permutations on a grid of 100,000 cells (BENCH_HOTSPOT_CELLS to change it), through the
analysis' own functions (the grid's queen weights, esda's G_Local with its numba kernel on HOTSPOTS_THREADS, the
false discovery rate classes), against the same Gi* without permutations (the analytical z alone) in the same run.
Target (issue 19): within 60 s on this machine. The first call also compiles esda's numba kernel in every process
that runs it (a worker pays it once in its life): both the first and a second call are reported."""

import importlib.util
import os
import time

import numpy as np
import shapely
from django.conf import settings

from observatory.hotspots.grid import grid_build
from observatory.hotspots.statistics import confidence_classes, gi_star

CELLS = int(os.environ.get("BENCH_HOTSPOT_CELLS", "100000"))
METRES = 250
PERMUTATIONS = 999


def _counts(size: int) -> np.ndarray:
    """Background incidents with a few dense patches, as a city's year of robberies would look."""
    rng = np.random.default_rng(19)
    counts = rng.poisson(0.4, size)
    counts[rng.choice(size, size // 200, replace=False)] += rng.poisson(6.0, size // 200)
    return counts


def _timed(counts, weights, permutations: int) -> tuple[float, np.ndarray]:
    started = time.perf_counter()
    gi = gi_star(counts=counts, weights=weights, permutations=permutations, seed=1, threads=settings.HOTSPOTS_THREADS)
    classes = confidence_classes(gi=gi)
    return time.perf_counter() - started, classes


def run() -> dict:
    side = int(np.ceil(np.sqrt(CELLS))) * METRES
    started = time.perf_counter()
    grid = grid_build(area=shapely.box(0, 0, side, side), metres=METRES, max_cells=2 * CELLS)
    weights = grid.queen_weights()
    weights_seconds = time.perf_counter() - started
    counts = _counts(grid.size)
    analytical_seconds, _ = _timed(counts, weights, 0)
    first_seconds, classes = _timed(counts, weights, PERMUTATIONS)
    second_seconds, _ = _timed(counts, weights, PERMUTATIONS)
    return {
        "cells": grid.size,
        "permutations": PERMUTATIONS,
        "threads_setting": settings.HOTSPOTS_THREADS,
        "cpu_count": os.cpu_count(),
        "numba_installed": importlib.util.find_spec("numba") is not None,
        "grid_and_weights_seconds": round(weights_seconds, 2),
        "gi_star_analytical_seconds": round(analytical_seconds, 2),
        "gi_star_999_first_call_seconds": round(first_seconds, 2),
        "gi_star_999_second_call_seconds": round(second_seconds, 2),
        "second_call_over_analytical": round(second_seconds / analytical_seconds, 1),
        "target_seconds": 60,
        "target_met_first_call": first_seconds <= 60,
        "target_met_second_call": second_seconds <= 60,
        "hot_spots_95": int((classes >= 2).sum()),
        "cold_spots_95": int((classes <= -2).sum()),
    }
