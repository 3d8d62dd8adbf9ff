"""A journalist's first minute on the portal, in headless Chromium: the home page's headline figures and map of
rates in Spanish, English and on a phone; a municipality's figure on hover, its page on click; the
methodology. Screenshots of each page are saved in tests/e2e/screenshots/."""

from datetime import date
from pathlib import Path

import pytest

from observatory.geography.models import AdminUnit, Level
from observatory.geography.services.demo import demo_geography_load
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from observatory.records.models import Source
from tests.e2e.conftest import english_context, watch_errors
from tests.indicators.conftest import record, victim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"
MAP_LOAD_TIMEOUT_MS = 60_000
NO_DATA_GREY = "#c4c8cf"
# A point of an SVG path that the path itself receives (not a neighbour drawn over it), in page coordinates.
POINT_INSIDE = """(selector) => {
  const path = document.querySelector(selector);
  const box = path.getBBox(), matrix = path.getScreenCTM();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const point = new DOMPoint(box.x + box.width * i / 24, box.y + box.height * j / 24);
    if (!path.isPointInFill(point)) continue;
    const screen = point.matrixTransform(matrix);
    if (document.elementFromPoint(screen.x, screen.y) === path) return [screen.x, screen.y];
  }
  return null;
}"""


def _publish_demo_city() -> None:
    """Guatemala's 340 municipalities, with homicides in three of them in 2023-2024 (Villa Nueva's few enough to be
    unstable), and police data up to March 2025, so that 2024 is complete."""
    demo_geography_load()
    Source.objects.get_or_create(code="police", defaults={"name": "Policía Nacional"})
    per_year = {"0101": (30, 36), "0108": (24, 24), "0115": (8, 6)}
    for code, homicides in per_year.items():
        municipality = AdminUnit.objects.get(level=Level.MUNICIPALITY, code=code)
        for year, count in zip((2023, 2024), homicides, strict=True):
            for number in range(count):
                on = date(year, number % 12 + 1, number // 12 + 1)
                victim(record(source="police", on=on, municipality=municipality))
    mixco = AdminUnit.objects.get(level=Level.MUNICIPALITY, code="0108")
    record(source="police", on=date(2025, 3, 1), municipality=mixco, category="theft")
    vintage_now(kind=Vintage.Kind.FULL)


def _open_map(page, url: str, period: str) -> None:
    page.goto(url)
    page.wait_for_selector(f"#rate-map[data-loaded='{period}']", timeout=MAP_LOAD_TIMEOUT_MS)


def test_a_journalist_reads_the_map_of_rates_hovers_a_municipality_and_opens_its_figures_and_the_methodology(
    page, live_server
):
    _publish_demo_city()
    SCREENSHOTS.mkdir(exist_ok=True)
    errors = watch_errors(page)

    _open_map(page, live_server.url + "/", "2024")
    assert page.locator(".figure-card[data-kind='year'] h2").inner_text() == "Año 2024"
    year = page.locator(".figure-card[data-kind='year']").inner_text()
    assert "66 homicidios" in year and "+6 % respecto a 2023 (62)" in year
    legend = page.locator(".map-legend")
    assert legend.locator("#legend-classes li").count() == 3
    assert "cuantiles" in legend.locator("#legend-method").inner_text()
    assert "Sin datos" in legend.inner_text() and "Rayado: tasa inestable" in legend.inner_text()
    no_data = page.locator("#rate-map path.unit.no-data")
    assert no_data.count() == 337
    assert no_data.first.get_attribute("fill") == NO_DATA_GREY
    assert page.locator("#rate-map path.unstable-hatch").count() == 1  # Villa Nueva: 6 homicides
    assert page.locator("#rate-map path.unit-0115").get_attribute("class").split()[:2] == ["unit", "rated"]

    page.locator("#rate-map").evaluate("(map) => map.scrollIntoView()")  # below the search box and the figures
    x, y = page.evaluate(POINT_INSIDE, "#rate-map path.unit-0108")
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip.unit-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert "Mixco" in tooltip.inner_text() and "Tasa por 100.000 al año" in tooltip.inner_text()
    assert "Homicidios: 24" in tooltip.inner_text()
    page.screenshot(path=SCREENSHOTS / "portal-home-es.png", full_page=True)

    page.mouse.click(x, y)
    page.wait_for_url("**/units/municipality/0108/?year=2024")
    assert page.locator("h1").inner_text() == "Mixco"
    assert page.locator("table.annual tbody tr").count() == 2
    page.screenshot(path=SCREENSHOTS / "portal-unit-mixco-from-map-es.png", full_page=True)

    page.get_by_role("link", name="Metodología").click()
    page.wait_for_url("**/methodology/")
    assert page.locator("h1").inner_text() == "Cómo se elaboran las cifras"
    page.screenshot(path=SCREENSHOTS / "portal-methodology-es.png", full_page=True)

    page.goto(live_server.url + "/")
    page.select_option("#period", "2023")
    page.wait_for_selector("#rate-map[data-loaded='2023']", timeout=MAP_LOAD_TIMEOUT_MS)
    assert page.url.endswith("/?period=2023")
    assert errors == []


def test_the_portal_in_english_and_on_a_phone(browser, live_server):
    _publish_demo_city()
    SCREENSHOTS.mkdir(exist_ok=True)

    english = english_context(browser, live_server)
    page = english.new_page()
    errors = watch_errors(page)
    _open_map(page, live_server.url + "/", "2024")
    assert page.locator(".figure-card[data-kind='year'] h2").inner_text() == "Year 2024"
    assert "66 homicides" in page.locator(".figure-card[data-kind='year']").inner_text()
    assert "No data: no source covers the municipality" in page.locator(".map-legend").inner_text()
    assert "quantiles" in page.locator("#legend-method").inner_text()
    page.locator("#rate-map").evaluate("(map) => map.scrollIntoView()")
    x, y = page.evaluate(POINT_INSIDE, "#rate-map path.unit-0101")
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip.unit-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert "Rate per 100,000 a year" in tooltip.inner_text() and "Homicides: 36" in tooltip.inner_text()
    page.screenshot(path=SCREENSHOTS / "portal-home-en.png", full_page=True)
    page.goto(live_server.url + "/methodology/")
    assert page.locator("h1").inner_text() == "How the figures are made"
    page.screenshot(path=SCREENSHOTS / "portal-methodology-en.png", full_page=True)
    english.close()

    phone = browser.new_context(
        locale="es-GT", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = phone.new_page()
    errors += watch_errors(page)
    _open_map(page, live_server.url + "/", "2024")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#rate-map").scroll_into_view_if_needed()
    x, y = page.evaluate(POINT_INSIDE, "#rate-map path.unit-0108")
    page.touchscreen.tap(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "Mixco" in popup.inner_text() and popup.get_by_role("link", name="Su página").count() == 1
    page.wait_for_timeout(500)  # the popup fades in while the map pans to hold it
    page.screenshot(path=SCREENSHOTS / "portal-home-phone-es.png", full_page=True)
    page.goto(live_server.url + "/methodology/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "portal-methodology-phone-es.png", full_page=True)
    phone.close()
    assert errors == []
