"""What every process pays before it does anything: Django's start and the URL configuration, which every
management command's system checks load. The heavy libraries of the pipeline (pandas, scipy, DuckDB, Splink,
statsmodels) must load only where they are used: re-sending a file, a command and a web worker stay quick."""

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ["pandas", "scipy", "duckdb", "splink", "statsmodels", "pyarrow"]


def test_django_and_the_urls_load_none_of_the_heavy_libraries():
    script = (
        "import json, sys, django; django.setup(); from django.urls import get_resolver; "
        f"get_resolver().url_patterns; print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "observatory.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
