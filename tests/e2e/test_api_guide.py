"""An NGO's data person opens the API guide from the site's header, in Spanish, in English and on a phone (390 px):
the quick start's examples, the limits, the rules and how to cite the vintage shown. Screenshots in
tests/e2e/screenshots/."""

from pathlib import Path

import pytest

from tests.indicators.conftest import country  # noqa: F401
from tests.indicators.portal_data import publish_homicides

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture
def published(country):  # noqa: F811
    return publish_homicides(country)


def test_the_guide_is_reached_from_the_header_and_reads_in_both_languages(page, live_server, published):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    page.click("nav.site-nav >> text=API de datos abiertos")
    page.wait_for_url(f"{live_server.url}/api/v1/")
    assert page.locator("h2#quick-start, #quick-start h2").first.inner_text() == "Inicio rápido"
    assert page.locator("pre code").filter(has_text="pd.read_csv(").count() == 2
    assert f"versión {published.pk}" in page.locator("#citing").inner_text()
    page.screenshot(path=SCREENSHOTS / "api-guide-es.png", full_page=True)

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/api/v1/")
    assert page.locator("#quick-start h2").inner_text() == "Quick start"
    assert f"vintage {published.pk}" in page.locator("#citing").inner_text()
    page.screenshot(path=SCREENSHOTS / "api-guide-en.png", full_page=True)


def test_the_guide_fits_a_phone(page, live_server, published):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/api/v1/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "api-guide-es-390.png", full_page=True)


def test_the_swagger_page_reads_in_the_site_language_and_links_back_to_the_guide(page, live_server, published):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=Cifras mensuales", timeout=30_000)
    page.screenshot(path=SCREENSHOTS / "api-swagger-es.png")
    assert page.locator(".information-container a[href='/api/v1/']").count() == 1  # the guide, in a new tab
