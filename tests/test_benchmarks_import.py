"""Every benchmark module imports: they run only under `make bench`, so a helper renamed in one (as bench_portal and
bench_load once imported a loader bench_indicators no longer had) would otherwise go unnoticed until a bench run."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("name", sorted(path.stem for path in BENCH.glob("bench_*.py")))
def test_the_benchmark_module_imports_and_has_a_run(name):
    module = importlib.import_module(f"bench.{name}")

    assert callable(module.run)
