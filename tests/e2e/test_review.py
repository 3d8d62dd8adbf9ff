"""An analyst works through the review queue in the browser with the keyboard: "same person" joins two records
into one victim and opens the next pair, "next" goes on without deciding, "not the same person" splits a
provisional link. Screenshots of a pair's page in Spanish, English and at phone width."""

from pathlib import Path

import pytest

from ingestion.services import default_profiles_ensure
from observatory.accounts.roles import Role
from observatory.reconciliation.models import CandidatePair, LinkageRun
from tests.factories import UserFactory
from tests.ingestion.conftest import demo_city, raw_store, run_file  # noqa: F401  (fixtures of send_rows)
from tests.reconciliation.cases import (
    ANA,
    ANA_AUTOPSY,
    JOSE_AUTOPSY,
    JOSE_SECOND_REPORT,
    review_case_pairs,
    review_case_rows,
)
from tests.reconciliation.conftest import link, send_rows, victim_of  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 30_000


@pytest.fixture
def pairs(send_rows, link):  # noqa: F811
    default_profiles_ensure()  # the sources, which a transactional test flushes
    rows = review_case_rows()
    send_rows("police", rows["police"])
    send_rows("coroner", rows["coroner"])
    link(LinkageRun.Kind.FULL)
    return review_case_pairs()


SCREENSHOTS = Path(__file__).parent / "screenshots"


def victims_shown(page) -> list[str]:
    return [cell.strip() for cell in page.locator("#pair-records td.victim-now").all_inner_texts()]


def decide_by_key(page, key: str, note: str) -> None:
    """Write the note, leave it (keys typed in it are text) and decide with the decision's key."""
    page.fill("#decision-form textarea[name=note]", note)
    page.locator("h1").click()
    with page.expect_navigation(timeout=WAIT_MS):
        page.keyboard.press(key)


def evidence_adds_up(page) -> bool:
    weights = [
        float(cell.replace(",", ".").replace("−", "-"))
        for cell in page.locator("#pair-evidence tbody td.number").all_inner_texts()
    ]
    total = float(page.locator("#pair-evidence tfoot td.number").inner_text().replace(",", "."))
    return abs(sum(weights) - total) < 0.05


def test_an_analyst_works_through_the_queue_with_the_keyboard(live_server, page, log_in, pairs):
    analyst = UserFactory(role=Role.ANALYST)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    SCREENSHOTS.mkdir(exist_ok=True)
    apart_page = f"{live_server.url}/reconciliation/review/{pairs['apart'].pk}/"

    log_in(analyst, next_path="/reconciliation/review/", wait_ms=WAIT_MS)
    assert page.locator("tr[data-pair]").count() == 3

    # A second police report of José Luis, apart from his victim: the evidence starts from the prior and adds up.
    page.click(f'tr[data-pair="{pairs["apart"].pk}"] a.button')
    page.wait_for_url(apart_page, timeout=WAIT_MS)
    assert "Peso inicial" in page.locator("#pair-prior").inner_text()
    assert evidence_adds_up(page)
    assert "Tipo de lugar" in page.locator("#pair-evidence").inner_text()
    assert "S" in page.locator("#review-shortcuts").inner_text()
    page.screenshot(path=SCREENSHOTS / "pair-review-es.png", full_page=True)
    before = victims_shown(page)
    assert len(before) == 2 and before[0] != before[1]

    # "s" in the note is text; outside it, "s" says the same person, and the next pair of the queue opens.
    decide_by_key(page, "s", "Misma víctima: la segunda denuncia es de otra unidad")
    assert page.url != apart_page and "/reconciliation/review/" in page.url
    joined = f"V-{victim_of(*JOSE_AUTOPSY):07d}"
    assert victim_of(*JOSE_SECOND_REPORT) == victim_of(*JOSE_AUTOPSY)
    assert joined in page.locator("ul.messages").inner_text()
    page.goto(apart_page)
    assert victims_shown(page) == [joined, joined]
    assert analyst.username in page.locator("#pair-decision").inner_text()
    assert CandidatePair.objects.get(pk=pairs["apart"].pk).decision_note.startswith("Misma víctima")

    # Ana María's report and autopsy, linked provisionally: "j" goes on without deciding, "n" splits them.
    page.goto(f"{live_server.url}/reconciliation/review/")
    assert page.locator("tr[data-pair]").count() == 2
    first = page.locator("tr[data-pair]").first.get_attribute("data-pair")
    page.locator("tr[data-pair] a.button").first.click()
    page.wait_for_url(f"{live_server.url}/reconciliation/review/{first}/", timeout=WAIT_MS)
    if first != str(pairs["provisional"].pk):
        with page.expect_navigation(timeout=WAIT_MS):
            page.keyboard.press("j")
    page.wait_for_url(f"{live_server.url}/reconciliation/review/{pairs['provisional'].pk}/", timeout=WAIT_MS)
    together = victims_shown(page)
    assert together[0] == together[1]
    decide_by_key(page, "n", "Edades y apellidos distintos; la familia no la reconoce")
    assert CandidatePair.objects.get(pk=pairs["provisional"].pk).decision == "non_match"
    assert victim_of(*ANA) != victim_of(*ANA_AUTOPSY)

    # The page in English, and on a phone.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(apart_page)
    assert "Starting weight (prior)" in page.locator("#pair-prior").inner_text()
    assert "Kind of place" in page.locator("#pair-evidence").inner_text()
    page.screenshot(path=SCREENSHOTS / "pair-review-en.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/reconciliation/review/{pairs['reports'].pk}/")
    page.screenshot(path=SCREENSHOTS / "pair-review-phone-en.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errors, errors
