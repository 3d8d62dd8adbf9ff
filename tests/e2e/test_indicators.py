"""The indicator pages in headless Chromium: the chart is drawn from the published figures, and an analyst follows
a number of the discrepancy report to the cases behind it."""
from datetime import date

import pytest

from observatory.accounts.roles import Role
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
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


def test_an_analyst_opens_the_victims_behind_a_discrepancy(page, live_server, log_in, country):  # noqa: F811
    on = date(2024, 5, 10)
    victim(record(source="coroner", on=on, municipality=country["mixco"]), full_name="PEDRO PEREZ")
    victim(record(source="police", on=on, municipality=country["mixco"]),
           record(source="coroner", on=on, municipality=country["mixco"]), full_name="JUAN LOPEZ")
    vintage_now(kind=Vintage.Kind.FULL)
    log_in(UserFactory(role=Role.ANALYST), next_path="/indicators/discrepancies/")
    row = page.locator("table.discrepancies tbody tr", has_text="Mixco")
    page.locator("table.discrepancies thead th").filter(has_text="coroner").first.wait_for()
    headers = page.locator("table.discrepancies thead th").all_inner_texts()
    only_coroner = row.locator("td").nth(headers.index("coroner", headers.index("Víctimas") + 1))
    assert only_coroner.inner_text() == "1"
    only_coroner.locator("a").click()
    page.wait_for_url("**/discrepancies/cases/**")
    assert page.locator("table.victims tbody tr").count() == 1
    assert "PEDRO PEREZ" in page.locator("table.victims").inner_text()
