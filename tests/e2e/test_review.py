"""An analyst works through the review queue in the browser: "same person" joins two records into one victim,
"not the same person" splits a provisional link."""

import pytest

from ingestion.services import default_profiles_ensure
from observatory.accounts.roles import Role
from observatory.reconciliation.models import LinkageRun
from tests.factories import UserFactory
from tests.ingestion.conftest import demo_city, raw_store, run_file  # noqa: F401  (fixtures of send_rows)
from tests.reconciliation.cases import ANA, JOSE_AUTOPSY, JOSE_SECOND_REPORT, review_case_pairs, review_case_rows
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


def victims_shown(page) -> list[str]:
    return [cell.strip() for cell in page.locator("#pair-records td.victim-now").all_inner_texts()]


def decide(page, decision: str, note: str) -> None:
    page.check(f"#decision-form input[name=decision][value={decision}]")
    page.fill("#decision-form textarea[name=note]", note)
    with page.expect_navigation(timeout=WAIT_MS):
        page.click("#decision-form button[type=submit]")


def test_an_analyst_joins_one_pair_and_splits_another(live_server, page, log_in, pairs):
    analyst = UserFactory(role=Role.ANALYST)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(analyst, next_path="/reconciliation/review/", wait_ms=WAIT_MS)
    assert page.locator("tr[data-pair]").count() == 3

    # A second police report of José Luis, apart from his victim: the same person.
    page.click(f'tr[data-pair="{pairs["apart"].pk}"] a.button')
    page.wait_for_url(f"{live_server.url}/reconciliation/review/{pairs['apart'].pk}/", timeout=WAIT_MS)
    before = victims_shown(page)
    assert len(before) == 2 and before[0] != before[1]
    decide(page, "match", "Misma víctima: la segunda denuncia es de otra unidad")

    joined = f"V-{victim_of(*JOSE_AUTOPSY):07d}"
    assert victim_of(*JOSE_SECOND_REPORT) == victim_of(*JOSE_AUTOPSY)
    assert victims_shown(page) == [joined, joined]
    assert joined in page.locator("ul.messages").inner_text()
    assert analyst.username in page.locator("#pair-decision").inner_text()

    # Ana María's report and autopsy, linked provisionally: not the same person.
    page.goto(f"{live_server.url}/reconciliation/review/")
    assert page.locator("tr[data-pair]").count() == 2
    provisional = page.locator(f'tr[data-pair="{pairs["provisional"].pk}"]')
    assert f"V-{victim_of(*ANA):07d}" in provisional.locator("td.linked").inner_text()
    provisional.locator("a.button").click()
    page.wait_for_url(f"{live_server.url}/reconciliation/review/{pairs['provisional'].pk}/", timeout=WAIT_MS)
    together = victims_shown(page)
    assert together[0] == together[1]
    decide(page, "non_match", "Edades y apellidos distintos; la familia no la reconoce")

    apart = victims_shown(page)
    low, high = pairs["provisional"].record_low, pairs["provisional"].record_high
    assert apart == [f"V-{victim_of(record.source_id, record.record_id):07d}" for record in (low, high)]
    assert apart[0] != apart[1] and together[0] not in apart

    # The joined victim's page, one click from the first pair, lists the three records of José Luis.
    page.goto(f"{live_server.url}/reconciliation/review/{pairs['apart'].pk}/")
    page.click(f'#pair-records a:has-text("{joined}")')
    page.wait_for_url(f"{live_server.url}/reconciliation/victims/{victim_of(*JOSE_AUTOPSY)}/", timeout=WAIT_MS)
    assert page.locator("#victim-id").inner_text() == joined
    assert page.locator("#victim-records tbody tr").count() == 3
    assert not errors, errors
