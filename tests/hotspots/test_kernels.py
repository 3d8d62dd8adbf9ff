"""esda's numba kernels are kept on disk, and a worker that starts queues their compilation, so that a commander's
first analysis does not pay a minute of compiling."""

import pytest
from django.conf import settings
from esda import crand, getisord
from numba.core.caching import NullCache

from observatory.hotspots.kernels import esda_kernels_cached
from observatory.hotspots.queueing import HOTSPOT_KERNELS_WARM
from observatory.hotspots.tasks import kernels_warm_when_a_worker_starts
from tests.broker import latest_task_drop, queued_task_names


def test_the_permutation_kernels_and_the_gi_star_statistic_are_cached_in_the_configured_directory():
    esda_kernels_cached()

    for kernel in (crand.vec_permutations, crand.compute_chunk, getisord._g_local_star_crand):
        assert not isinstance(kernel._cache, NullCache), kernel
        assert kernel._cache._cache_path.startswith(str(settings.HOTSPOTS_NUMBA_CACHE_DIR)), kernel


@pytest.mark.parametrize("warm_at_start", [True, False])
def test_a_worker_that_starts_queues_the_kernels_compilation_unless_told_not_to(
    db, django_capture_on_commit_callbacks, settings, warm_at_start
):
    settings.HOTSPOTS_WARM_KERNELS_AT_START = warm_at_start
    before = queued_task_names().count(HOTSPOT_KERNELS_WARM)

    with django_capture_on_commit_callbacks(execute=True):
        kernels_warm_when_a_worker_starts()

    assert queued_task_names().count(HOTSPOT_KERNELS_WARM) == before + int(warm_at_start)
    if warm_at_start:
        latest_task_drop()
