"""Production settings refuse unsafe configuration; development needs none."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SAFE_KEY = "k" * 20 + "random-enough-production-key-9f3a-0c71e"


def start_django(settings_module: str, **environment: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=PROJECT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start_django("observatory.settings.production", DJANGO_ALLOWED_HOSTS="observatorio.example")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["short", "development-only-insecure-key", "a" * 60])
def test_production_refuses_a_weak_or_development_key(key):
    result = start_django(
        "observatory.settings.production", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="observatorio.example"
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = start_django(
        "observatory.settings.production",
        DJANGO_SECRET_KEY=SAFE_KEY,
        DJANGO_DEBUG="true",
        DJANGO_ALLOWED_HOSTS="observatorio.example",
    )

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off in production" in result.stderr


def test_production_needs_its_allowed_hosts():
    result = start_django("observatory.settings.production", DJANGO_SECRET_KEY=SAFE_KEY)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_safe_configuration():
    result = start_django(
        "observatory.settings.production", DJANGO_SECRET_KEY=SAFE_KEY, DJANGO_ALLOWED_HOSTS="observatorio.example"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_needs_no_configuration():
    result = start_django("observatory.settings.base")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_production_static_files_build(tmp_path):
    """The production image collects static files into a manifest: every file a stylesheet or script points to
    (a source map, a font) must be there, or collectstatic fails and the image cannot be built."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=PROJECT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "observatory.settings.production",
            "DJANGO_SECRET_KEY": SAFE_KEY,
            "DJANGO_ALLOWED_HOSTS": "observatorio.example",
            "DJANGO_STATIC_ROOT": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/chartjs/chart.umd.min.*.js"))
