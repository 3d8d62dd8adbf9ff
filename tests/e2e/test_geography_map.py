import pytest

from observatory.geography.models import AdminUnit, Level
from observatory.geography.services.demo import demo_geography_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP_LOAD_TIMEOUT_MS = 60_000


def test_the_map_page_draws_every_municipality_polygon(live_server, page):
    demo_geography_load()
    municipalities = AdminUnit.objects.filter(level=Level.MUNICIPALITY).count()
    departments = AdminUnit.objects.filter(level=Level.DEPARTMENT).count()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/geography/")
    page.wait_for_selector(f"#geography-map[data-loaded='{municipalities}']", timeout=MAP_LOAD_TIMEOUT_MS)

    # One SVG path per unit: municipalities clickable, department outlines on top.
    assert page.locator("#geography-map path.unit-municipality.leaflet-interactive").count() == municipalities == 340
    assert page.locator("#geography-map path.unit-department").count() == departments == 22
    assert errors == []

    page.locator("#geography-map path.unit-municipality").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "Código" in popup.inner_text() and "Población" in popup.inner_text()
    assert "cifra de demostración" in popup.inner_text()
