"""The commander's week in headless Chromium: log in, land on CompStat, filter robberies at night, see the map and
the counts change, and download the weekly PDF rendered by a real Celery worker. Screenshots in Spanish, English
and at phone width are saved in tests/e2e/screenshots/."""

import time
from pathlib import Path

import pytest

from observatory.accounts.roles import Role
from tests.compstat.conftest import built, city, incidents  # noqa: F401
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _map_total(page) -> int:
    page.wait_for_function("() => document.getElementById('incident-map').dataset.mode")
    return int(page.locator("#incident-map").get_attribute("data-total"))


def _month_total(page) -> str:
    return page.locator("table.compstat[data-period='28d'] tr.total td.count").inner_text()


def _log_in_without_a_destination(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/compstat/")


def _download_the_weekly_pdf(page) -> bytes:
    page.click("form.report-request button[type=submit]")
    page.wait_for_url("**/compstat/reports/")
    deadline = time.monotonic() + 90
    while page.locator("a.pdf-link").count() == 0 and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        page.reload()
    with page.expect_download() as download:
        page.click("a.pdf-link")
    return Path(download.value.path()).read_bytes()


def test_a_commander_filters_robberies_at_night_and_downloads_the_weekly_pdf(
    page,
    live_server,
    built,  # noqa: F811 - the fixture imported above
    celery_worker_process,
):
    SCREENSHOTS.mkdir(exist_ok=True)
    commander = UserFactory(role=Role.COMMANDER)
    _log_in_without_a_destination(page, live_server, commander)
    assert _month_total(page) == "16"
    assert _map_total(page) == 16

    page.select_option("select[name=category]", "robbery")
    page.select_option("select[name=hour_band]", "night")
    page.click("form.compstat-filters button[type=submit]")
    page.wait_for_url("**category=robbery**")
    assert _month_total(page) == "12"
    assert _map_total(page) == 12
    assert page.locator("table.heat tbody tr").count() == 7
    page.screenshot(path=SCREENSHOTS / "compstat-robbery-night-es.png", full_page=True)

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    assert "Counts and changes" in page.inner_text("main")
    _map_total(page)
    page.screenshot(path=SCREENSHOTS / "compstat-robbery-night-en.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _map_total(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "compstat-robbery-night-phone-en.png", full_page=True)

    assert _download_the_weekly_pdf(page).startswith(b"%PDF-")
    page.screenshot(path=SCREENSHOTS / "compstat-reports-phone-en.png", full_page=True)
