"""Signed-in sessions end when idle and after a working day; production passes Django's deployment check
(issue 21, finding 6)."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from observatory.accounts.roles import Role
from tests.test_settings import PROJECT, SAFE_KEY

pytestmark = pytest.mark.django_db


def test_every_request_renews_a_session_that_ends_after_the_idle_period(client, user_with_role, settings):
    client.force_login(user_with_role(Role.ANALYST))

    response = client.get("/methodology/")

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_ends_a_working_day_after_its_login_however_active(client, user_with_role, settings):
    user = user_with_role(Role.ANALYST)
    client.force_login(user)
    type(user).objects.filter(pk=user.pk).update(
        last_login=timezone.now() - dt.timedelta(hours=settings.SESSION_MAX_HOURS, minutes=1)
    )

    response = client.get("/reconciliation/victims/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_production_settings_pass_the_deployment_check():
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "observatory.settings.production",
            "DJANGO_SECRET_KEY": SAFE_KEY,
            "DJANGO_ALLOWED_HOSTS": "observatorio.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
