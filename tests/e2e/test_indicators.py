"""The indicator pages in headless Chromium: the chart is drawn from the published figures, and an analyst follows
a number of the discrepancy report to the cases behind it."""

from datetime import date
from pathlib import Path

import pytest

from observatory.accounts.roles import Role
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from observatory.records.models import Source, SourceCoverage
from tests.factories import UserFactory
from tests.indicators.conftest import country, record, victim  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_figures_page_draws_the_series_and_lists_its_months(page, live_server, country):  # noqa: F811
    for month in (1, 2, 3):
        for day in range(1, month + 2):
            record(source="police", on=date(2024, month, day), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.FULL)
    page.goto(f"{live_server.url}/indicators/?level=municipality&unit=0108&category=homicide&basis=police")
    rows = page.locator("table.figures tbody tr")
    assert rows.count() == 3
    assert rows.nth(2).locator("td").nth(1).inner_text() == "4"
    page.wait_for_function("() => window.Chart && Chart.getChart('figures-chart') !== undefined")
    counts = page.evaluate("() => Chart.getChart('figures-chart').data.datasets[0].data")
    assert counts == [2, 3, 4]
    with page.expect_download() as png:
        page.get_by_role("button", name="Descargar el gráfico (PNG)").click()
    assert png.value.suggested_filename == "homicide-0108.png"
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as table:
        page.get_by_role("link", name="Descargar sus datos (CSV)").click()
    assert table.value.suggested_filename == "homicide-0108.csv"
    assert "2024-03" in Path(table.value.path()).read_text(encoding="utf-8")
    api = page.get_by_role("link", name="Las mismas cifras desde la API").get_attribute("href")
    assert api == "/api/v1/indicators/monthly/?level=municipality&unit=0108&basis=police&category=homicide"


def test_an_analyst_opens_the_victims_behind_a_discrepancy(page, live_server, log_in, country):  # noqa: F811
    on = date(2024, 5, 10)
    pedro = victim(record(source="coroner", on=on, municipality=country["mixco"]), full_name="PEDRO PEREZ")
    victim(
        record(source="police", on=on, municipality=country["mixco"]),
        record(source="coroner", on=on, municipality=country["mixco"]),
        full_name="JUAN LOPEZ",
    )
    vintage_now(kind=Vintage.Kind.FULL)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(UserFactory(role=Role.ANALYST), next_path="/indicators/discrepancies/")
    headers = page.locator("table.discrepancies thead th").all_inner_texts()
    assert "Medicina forense + Policía" in headers and "Víctimas registradas exactamente por" in headers
    assert not {"coroner", "police", "coroner+police"} & set(headers)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=SCREENSHOTS / "discrepancies-1366-es.png", full_page=True)
    only_coroner = page.locator("table.discrepancies tbody tr", has_text="Mixco").locator("td[data-pattern='coroner']")
    assert only_coroner.inner_text() == "1"
    only_coroner.locator("a").click()
    page.wait_for_url("**/discrepancies/cases/**")
    assert page.locator("table.victims tbody tr").count() == 1
    assert "PEDRO PEREZ" in page.locator("table.victims").inner_text()
    assert "Medicina forense" in page.locator("table.victims").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=SCREENSHOTS / "discrepancy-cases-1366-es.png", full_page=True)
    for path, name in (("/reconciliation/victims/", "victim-list"), (f"/reconciliation/victims/{pedro.pk}/", "victim")):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path
        page.screenshot(path=SCREENSHOTS / f"{name}-1366-es.png", full_page=True)


SCREENSHOTS = Path(__file__).parent / "screenshots"


def test_the_figures_page_shows_months_without_data_and_provisional_months_in_both_languages_and_on_a_phone(
    page,
    live_server,
    country,  # noqa: F811 - the fixture imported above
):
    # A transactional test starts from an empty database, without the sources the migrations add.
    Source.objects.get_or_create(code="police", defaults={"name": "Policía Nacional"})
    for first, last in ((date(2023, 1, 1), date(2023, 6, 1)), (date(2023, 9, 1), None)):
        coverage = SourceCoverage.objects.create(source_id="police", first_month=first, last_month=last)
        coverage.units.add(country["mixco"])
    for month in range(14):
        for day in range(1, 3 + month % 4):
            record(source="police", on=date(2023 + month // 12, month % 12 + 1, day), municipality=country["mixco"])
    record(source="police", on=date(2024, 2, 14), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.FULL)
    SCREENSHOTS.mkdir(exist_ok=True)
    url = f"{live_server.url}/indicators/?level=municipality&unit=0108&category=homicide&basis=police"

    page.goto(url)
    rows = page.locator("table.figures tbody tr")
    assert rows.count() == 14
    assert [rows.nth(index).locator("td").nth(1).inner_text() for index in (6, 7)] == ["sin datos", "sin datos"]
    assert page.locator("table.figures tr.provisional").count() == 2  # January and February 2024
    assert page.locator("table.figures tr.provisional .flag.provisional").first.inner_text() == "provisional"
    assert "hasta el 14/02/2024" in page.locator("p.cutoffs").inner_text()
    page.wait_for_function("() => window.Chart && Chart.getChart('figures-chart') !== undefined")
    bars = page.evaluate("""() => { const bars = Chart.getChart('figures-chart').data.datasets[0];
        return {counts: bars.data, striped: bars.backgroundColor.map(fill => typeof fill !== 'string')}; }""")
    assert bars["counts"][6:8] == [None, None]
    assert [index for index, striped in enumerate(bars["striped"]) if striped] == [12, 13]
    page.screenshot(path=SCREENSHOTS / "figures-no-data-and-provisional-es.png", full_page=True)

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(url)
    assert page.locator("table.figures tbody tr").nth(6).locator("td").nth(1).inner_text() == "no data"
    assert "data up to 14/02/2024" in page.locator("p.cutoffs").inner_text()
    page.screenshot(path=SCREENSHOTS / "figures-no-data-and-provisional-en.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(url.replace("level=municipality&unit=0108", "level=country&unit=GT"))
    assert "partial coverage: 33% of the population" in page.locator("table.figures").inner_text()
    page.screenshot(path=SCREENSHOTS / "figures-partial-coverage-phone-en.png", full_page=True)
