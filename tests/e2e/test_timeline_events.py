"""An analyst records a truce for a municipality; the public figures page of that municipality marks it on the chart
and lists it under it, in Spanish and in English, on a wide screen and on a phone."""

from datetime import date
from pathlib import Path

import pytest

from observatory.accounts.roles import Role
from observatory.indicators.models import TimelineEvent, Vintage
from observatory.indicators.services import vintage_now
from observatory.records.models import Source
from tests.factories import UserFactory
from tests.indicators.conftest import country, record  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
MARKERS = "() => { const state = Chart.getChart('figures-chart').$timelineEvents; return state && state.markers; }"


def _record_the_truce_on_a_phone(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto(page.url.replace("/indicators/events/", "/indicators/events/new/"))
    page.select_option("#id_kind", "truce")
    page.fill("#id_start_date", "2024-03-01")
    page.fill("#id_end_date", "2024-04-15")
    page.fill("#unit-filter", "mixco")
    visible = page.locator("#id_units label:visible")
    assert [text.strip() for text in visible.all_inner_texts()] == [
        "Mixco · Municipio 0108, Guatemala",
        "El Milagro · Colonia 0108-001, Mixco",
    ]
    visible.first.locator("input").check()
    assert page.locator("#units-chosen").inner_text() == "Elegidas: Mixco"
    page.fill("#id_title_es", "Tregua entre pandillas en Mixco")
    page.fill("#id_description_es", "Dos pandillas anuncian una tregua en el municipio.")
    page.fill("#id_title_en", "Gang truce in Mixco")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / "timeline-event-form-phone-es.png", full_page=True)
    page.click("form.event-form button[type=submit]")
    page.wait_for_url("**/indicators/events/")


def _wait_for_markers(page) -> list[dict]:
    page.wait_for_function(f"() => window.Chart && Chart.getChart('figures-chart') && ({MARKERS})().length > 0")
    return page.evaluate(MARKERS)


def test_an_analyst_records_a_truce_and_the_public_chart_of_the_municipality_marks_and_lists_it(
    page,
    browser,
    live_server,
    log_in,
    country,  # noqa: F811 - the fixture imported above
):
    Source.objects.get_or_create(code="police", defaults={"name": "Policía Nacional"})
    for month in range(1, 7):
        for day in range(1, 8 - month):
            record(source="police", on=date(2024, month, day), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.FULL)
    SCREENSHOTS.mkdir(exist_ok=True)

    log_in(UserFactory(role=Role.ANALYST), next_path="/indicators/events/")
    _record_the_truce_on_a_phone(page)
    assert "Tregua entre pandillas en Mixco" in page.locator("table.timeline-events-table").inner_text()
    assert list(TimelineEvent.objects.get().units.values_list("code", flat=True)) == ["0108"]

    public = browser.new_context(locale="es-GT", viewport={"width": 1366, "height": 900}).new_page()
    url = f"{live_server.url}/indicators/?level=municipality&unit=0108&category=homicide&basis=police"
    public.goto(url)
    markers = _wait_for_markers(public)
    assert [marker["number"] for marker in markers] == [1] and markers[0]["end"] > markers[0]["x"]
    listed = public.locator("section.timeline-events li")
    assert listed.count() == 1
    assert "Tregua entre pandillas en Mixco" in listed.inner_text()
    assert "Tregua entre pandillas" in listed.locator(".event-kind").inner_text()
    label = public.get_attribute("#figures-chart", "aria-label")
    assert "Eventos marcados en el gráfico" in label and "Tregua entre pandillas en Mixco" in label
    box = public.locator("#figures-chart").bounding_box()
    public.mouse.move(box["x"] + markers[0]["x"], box["y"] + box["height"] / 2)
    public.wait_for_function("() => Chart.getChart('figures-chart').$timelineEvents.active === 0")
    public.screenshot(path=SCREENSHOTS / "timeline-event-figures-es.png", full_page=True)

    public.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    public.goto(url)
    _wait_for_markers(public)
    assert "Gang truce in Mixco" in listed.inner_text() and "Truce between gangs" in listed.inner_text()
    assert listed.locator(".event-description").get_attribute("lang") == "es"
    public.screenshot(path=SCREENSHOTS / "timeline-event-figures-en.png", full_page=True)

    public.context.clear_cookies()
    public.set_viewport_size(PHONE)
    public.goto(url)
    assert len(_wait_for_markers(public)) == 1
    assert listed.is_visible() and "Tregua entre pandillas en Mixco" in listed.inner_text()
    assert public.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    public.screenshot(path=SCREENSHOTS / "timeline-event-figures-phone-es.png", full_page=True)
    public.context.close()
