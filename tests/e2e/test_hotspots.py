"""A commander asks for the hotspots of a jurisdiction: the page follows the real worker's progress, then shows the
map with its hot spots and the legend, in Spanish, in English and on a phone. Screenshots in tests/e2e/screenshots/."""

from pathlib import Path

import pytest

from observatory.accounts.roles import Role
from observatory.hotspots.models import HotspotAnalysis
from tests.hotspots.conftest import jurisdiction, police_year  # noqa: F401 - fixtures shared with tests/hotspots

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"
COMPUTE_TIMEOUT_MS = 400_000  # the worker compiles esda's permutation kernel (numba) on its first analysis


@pytest.fixture
def worker_settings(settings, monkeypatch):
    """As in tests/hotspots: fewer permutations (asked by the page, so a setting of this process, the live server's)
    and one thread (read by the worker from its environment)."""
    settings.HOTSPOTS_PERMUTATIONS = 199
    monkeypatch.setenv("HOTSPOTS_THREADS", "1")


def test_a_commander_opens_the_hotspots_and_sees_them_with_the_legend(
    worker_settings,
    celery_worker_process,
    live_server,
    page,
    log_in,
    user_with_role,
    jurisdiction,  # noqa: F811
    police_year,  # noqa: F811
):
    SCREENSHOTS.mkdir(exist_ok=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    path = f"/hotspots/?category=robbery&jurisdiction={jurisdiction.code}&last_month=2024-12&months=12"
    log_in(user_with_role(Role.COMMANDER), next_path="/")
    page.goto(live_server.url + path)
    page.wait_for_selector("#hotspot-map[data-loaded]", timeout=COMPUTE_TIMEOUT_MS)
    analysis = HotspotAnalysis.objects.get()
    assert analysis.status == HotspotAnalysis.Status.DONE and analysis.permutations == 199
    assert page.locator("#hotspot-map path.leaflet-interactive, #hotspot-map canvas").count() > 0
    legend = page.locator("#hotspot-legend")
    assert "Punto caliente (99%)" in legend.inner_text() and "Leyenda" in legend.inner_text()
    assert "Índice de precisión predictiva" in page.content()
    page.screenshot(path=SCREENSHOTS / "hotspots-es.png", full_page=True)

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    page.wait_for_selector("#hotspot-map[data-loaded]", timeout=60_000)
    assert "Hot spot (99%)" in page.locator("#hotspot-legend").inner_text()
    page.locator(".leaflet-control-layers-base label", has_text="Emerging hotspots").click()
    assert page.locator("#hotspot-legend ul[data-layer=emerging]").is_visible()
    assert "Intensifying" in page.locator("#hotspot-legend").inner_text()
    page.screenshot(path=SCREENSHOTS / "hotspots-emerging-en.png", full_page=True)

    page.context.clear_cookies(name="django_language")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#hotspot-map[data-loaded]", timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "hotspots-phone-es.png", full_page=True)
    assert errors == []
