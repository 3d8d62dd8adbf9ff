"""A journalist's minute on a unit's page, in headless Chromium: from the home page's search box to Mixco's page,
its 2024 homicide rate with its interval, the police, the coroner and the reconciled victims side by side, the
chart's CSV and PNG, the API call, the ranking and the methodology; in Spanish, English and on a phone.
Screenshots of each page are saved in tests/e2e/screenshots/."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from observatory.geography.models import AdminUnit, Level
from observatory.geography.services.demo import demo_geography_load
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from observatory.indicators.unit_pages import unit_of, unit_page
from tests.e2e.conftest import english_context, watch_errors
from tests.indicators.conftest import record, timeline_event, victim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
MIN_CHART_HEIGHT = 240


def _publish_demo_city() -> Vintage:
    """Guatemala's 340 municipalities; in Mixco every police homicide of 2023-2024 also in the coroner's records,
    and 16 more in 2024 that only the coroner recorded; police homicides in Guatemala City and Villa Nueva; both
    sources' data up to March 2025, so that 2024 is complete and final; a truce in the department in March 2024."""
    demo_geography_load()
    municipality = {
        code: AdminUnit.objects.get(level=Level.MUNICIPALITY, code=code) for code in ("0101", "0108", "0115")
    }
    for year, count in ((2023, 24), (2024, 36)):
        for number in range(count):
            on = date(year, number % 12 + 1, number // 12 + 1)
            victim(
                record(source="police", on=on, municipality=municipality["0108"]),
                record(source="coroner", on=on, municipality=municipality["0108"]),
            )
    for number in range(16):
        victim(
            record(
                source="coroner", on=date(2024, number % 12 + 1, 20 + number // 12), municipality=municipality["0108"]
            )
        )
    for code, counts in (("0101", (30, 36)), ("0115", (8, 6))):
        for year, count in zip((2023, 2024), counts, strict=True):
            for number in range(count):
                victim(
                    record(
                        source="police",
                        on=date(year, number % 12 + 1, 10 + number // 12),
                        municipality=municipality[code],
                    )
                )
    for source in ("police", "coroner"):
        record(source=source, on=date(2025, 3, 1), municipality=municipality["0108"], category="theft")
    department = AdminUnit.objects.get(level=Level.DEPARTMENT, code="01")
    timeline_event(units=[department], title_es="Tregua entre pandillas", title_en="Gang truce")
    return vintage_now(kind=Vintage.Kind.FULL)


def _decimal(value: float, language: str) -> str:
    written = f"{value:.1f}"
    return written.replace(".", ",") if language == "es" else written


def _charts_drawn(page) -> list[int]:
    """The number of datasets of each chart on the page, once Chart.js has drawn them."""
    return page.evaluate(
        "() => [...document.querySelectorAll('canvas')].map((canvas) => Chart.getChart(canvas).data.datasets.length)"
    )


def _download_the_monthly_charts_figures(page, live_server) -> None:
    """The monthly chart's CSV (its figures, as the API and the export write them), its PNG, and its API call."""
    monthly = page.locator("#monthly-title").locator("xpath=..")
    with page.expect_download() as download:
        monthly.get_by_role("link", name="Descargar CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert download.value.suggested_filename == "homicide-municipality-0108-monthly.csv"
    december = next(row for row in rows if row["month"] == "2024-12")
    assert (december["unit_name"], december["basis"], december["rolling_count"]) == ("Mixco", "reconciled", "52")
    with page.expect_download() as download:
        monthly.get_by_role("button", name="Descargar PNG").click()
    assert download.value.suggested_filename == "homicide-municipality-0108-monthly.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    api = page.request.get(live_server.url + monthly.locator("a.chart-api").get_attribute("href")).json()
    months = {month["month"]: month for month in api["results"][0]["months"]}
    assert api["results"][0]["basis"] == "reconciled" and months["2024-12"]["rolling_count"] == 52


def test_a_journalist_finds_mixco_reads_its_rate_compares_its_sources_and_downloads_the_figures(page, live_server):
    vintage = _publish_demo_city()
    expected = unit_page(vintage=vintage, unit=unit_of(level="municipality", code="0108"), category="homicide")
    SCREENSHOTS.mkdir(exist_ok=True)
    errors = watch_errors(page)

    page.goto(live_server.url + "/")
    page.locator("#home-search").press_sequentially("Mixco", delay=40)
    suggestion = page.locator("#home-search-suggestions li").first
    suggestion.wait_for(timeout=10_000)
    assert suggestion.inner_text().startswith("Mixco") and "Municipio · Guatemala" in suggestion.inner_text()
    page.screenshot(path=SCREENSHOTS / "units-search-suggestions-es.png")
    page.locator("#home-search").press("ArrowDown")  # the keyboard reaches the suggestions
    assert page.evaluate("document.activeElement.textContent").startswith("Mixco")
    suggestion.locator("a").click()
    page.wait_for_url("**/units/municipality/0108/")

    assert page.locator("h1").inner_text() == "Mixco"
    year = page.locator(".figure-card[data-kind='year']").inner_text()
    figures = expected.year_figures
    assert "Año 2024" in year and "52 víctimas" in year and _decimal(figures["rate"], "es") in year
    assert (
        f"intervalo del 95 %: de {_decimal(figures['rate_low'], 'es')} a {_decimal(figures['rate_high'], 'es')}" in year
    )
    headings = page.locator("table.sources-table thead th").all_inner_texts()
    assert headings == ["Año", "Policía", "Medicina forense", "Víctimas conciliadas"]
    assert page.locator("table.sources-table tbody tr").first.inner_text().split() == ["2024", "36", "52", "52"]
    assert (
        "Medicina forense registró 16 casos de homicidio intencional más que la policía en 2024."
        in page.locator(".discrepancy-words").inner_text()
    )
    assert _charts_drawn(page) == [4, 3, 1]  # the band's two bounds, the rate, the counts; three bases; homicides
    assert "Tregua entre pandillas" in page.locator("section.timeline-events").inner_text()
    marked = (
        "() => [...document.querySelectorAll('canvas')].map((c) => Chart.getChart(c).$timelineEvents.events.length)"
    )
    assert page.evaluate(marked) == [1, 1, 1]  # the truce on every chart
    neighbours = page.locator(".whiskers").inner_text()
    assert "Guatemala (Departamento)" in neighbours and "Villa Nueva" in neighbours
    page.screenshot(path=SCREENSHOTS / "units-mixco-es.png", full_page=True)

    _download_the_monthly_charts_figures(page, live_server)

    page.get_by_role("link", name="Cada municipio clasificado por su tasa").click()
    page.wait_for_url("**/units/municipality/?category=homicide&period=2024&within=01")
    ranked = page.locator(".whisker-row.kind-rated .whisker-name").all_inner_texts()
    assert [name.split()[0] for name in ranked] == ["Mixco", "Guatemala", "Villa"]
    page.screenshot(path=SCREENSHOTS / "units-ranking-es.png", full_page=True)

    page.get_by_role("link", name="Metodología").click()
    page.wait_for_url("**/methodology/")
    page.goto(live_server.url + "/units/search/?q=guatemala")
    assert page.locator(".place-results li").count() >= 3
    page.screenshot(path=SCREENSHOTS / "units-search-results-es.png", full_page=True)
    assert errors == []


def test_the_unit_pages_in_english_and_on_a_phone(browser, live_server):
    _publish_demo_city()
    SCREENSHOTS.mkdir(exist_ok=True)

    english = english_context(browser, live_server)
    page = english.new_page()
    errors = watch_errors(page)
    page.goto(live_server.url + "/units/municipality/0108/")
    assert "Year 2024" in page.locator(".figure-card[data-kind='year']").inner_text()
    assert (
        "The coroner recorded 16 more intentional homicide cases than the police in 2024."
        in page.locator(".discrepancy-words").inner_text()
    )
    assert page.evaluate("Chart.getChart(document.getElementById('monthly-chart')).options.locale") == "en"
    page.screenshot(path=SCREENSHOTS / "units-mixco-en.png", full_page=True)
    page.goto(live_server.url + "/units/municipality/?period=2024")
    assert "Intentional homicide: each municipality by rate" in page.locator("h1").inner_text()
    page.screenshot(path=SCREENSHOTS / "units-ranking-en.png", full_page=True)
    english.close()

    phone = browser.new_context(locale="es-GT", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    errors += watch_errors(page)
    for path, name in (
        ("/units/municipality/0108/", "units-mixco-phone-es.png"),
        ("/units/municipality/?period=2024", "units-ranking-phone-es.png"),
        ("/units/search/?q=guatemala", "units-search-results-phone-es.png"),
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
    page.goto(live_server.url + "/units/municipality/0108/")
    heights = page.evaluate(
        "() => [...document.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().height)"
    )
    assert len(heights) == 3 and min(heights) >= MIN_CHART_HEIGHT
    phone.close()
    assert errors == []
