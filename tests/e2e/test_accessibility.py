"""axe-core (vendored in static/vendor/axe-core) on every public page of the URL configuration, in Spanish and in
English, on a laptop and on a phone: no serious or critical violation. A screenshot of each is saved in
tests/e2e/screenshots/a11y/."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.indicators.conftest import country  # noqa: F401
from tests.portal.public_pages import published_country_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).parent / "screenshots" / "a11y"
SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# WCAG 2.1 A and AA, and axe's best practices (landmarks, one main heading, ...).
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
BLOCKING = {"serious", "critical"}


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("(rules) => axe.run(document, rules).then((result) => result.violations)", RULES)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:4]
        )
        for violation in found
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_every_public_page_has_no_serious_accessibility_violation(browser, live_server, country, language, screen):  # noqa: F811
    paths = published_country_pages(country)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # axe is injected as an inline script, which the pages' Content-Security-Policy refuses: the test's browser
    # alone lets it run (its own tests check the policy).
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone", bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    problems = {}
    for path in paths:
        page.goto(live_server.url + path, wait_until="networkidle")
        name = f"{path.strip('/').replace('/', '-') or 'home'}-{language}-{screen}.png"
        page.screenshot(path=SCREENSHOTS / name, full_page=True)
        found = _violations(page)
        if found:
            problems[path] = found
    context.close()
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())
