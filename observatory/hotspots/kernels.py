"""esda's permutation kernels are numba functions compiled at their first call: about a minute on this machine for
Gi*, in every new process. esda does not ask numba to keep them on disk; `esda_kernels_cached` does, in
HOTSPOTS_NUMBA_CACHE_DIR, so that they are compiled once per machine and installation and later processes load
them in about a second; `esda_kernels_warm` compiles (or loads) them on a tiny lattice, queued when a worker starts
so that no commander's analysis pays the compilation."""

import numpy as np
from django.conf import settings


def esda_kernels_cached() -> None:
    """Turn on numba's on-disk cache for esda's kernels (before their first call; safe to call again)."""
    try:
        import numba
        from numba.core.caching import NullCache
    except ImportError:  # esda then runs its kernels as plain Python: nothing to compile
        return
    from esda import crand, getisord, moran

    settings.HOTSPOTS_NUMBA_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    numba.config.CACHE_DIR = str(settings.HOTSPOTS_NUMBA_CACHE_DIR)
    for module in (crand, getisord, moran):  # the permutation kernels and the statistics they are given
        for kernel in vars(module).values():
            if isinstance(kernel, numba.core.registry.CPUDispatcher) and isinstance(kernel._cache, NullCache):
                kernel.enable_caching()


def esda_kernels_warm() -> None:
    """Gi* with a few permutations on a 10 x 10 lattice: the kernels an analysis runs, compiled or loaded."""
    from libpysal.weights import lat2W

    from .statistics import gi_star

    counts = np.random.default_rng(0).poisson(1.0, 100)
    gi_star(counts=counts, weights=lat2W(10, 10, rook=False), permutations=9, seed=0, threads=1)
