"""The reconciliation pages on a real linkage: who may open them, the review queue, a pair and its decision, the
victims and the linkage runs."""

import pytest
from django.urls import reverse

from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.reconciliation.models import CandidatePair, LinkageRun, Victim, VictimChange

from .cases import ANA, ANA_AUTOPSY, JOSE, JOSE_AUTOPSY, JOSE_SECOND_REPORT, review_case_pairs, review_case_rows
from .conftest import victim_of

pytestmark = pytest.mark.django_db

QUEUE, VICTIMS, RUNS, RUN_CREATE = (
    reverse("reconciliation:review-list"),
    reverse("reconciliation:victim-list"),
    reverse("reconciliation:run-list"),
    reverse("reconciliation:run-create"),
)


@pytest.fixture
def pairs(send_rows, link):
    rows = review_case_rows()
    send_rows("police", rows["police"])
    send_rows("coroner", rows["coroner"])
    link(LinkageRun.Kind.FULL)
    return review_case_pairs()


@pytest.fixture
def analyst(client, user_with_role):
    user = user_with_role(Role.ANALYST)
    client.force_login(user)
    return user


def pair_page(pair: CandidatePair) -> str:
    return reverse("reconciliation:pair-detail", args=[pair.pk])


def victim_page(victim_id: int) -> str:
    return reverse("reconciliation:victim-detail", args=[victim_id])


def every_page(pairs) -> list[str]:
    run = LinkageRun.objects.first()
    return [
        QUEUE,
        pair_page(pairs["apart"]),
        VICTIMS,
        victim_page(victim_of(*JOSE)),
        RUNS,
        reverse("reconciliation:run-status", args=[run.pk]),
    ]


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def decision_button(page: str, value: str) -> str:
    return page.split(f'name="decision" value="{value}"', 1)[1].split(">", 1)[0]


def evidence_weights(page: str) -> tuple[list[float], float]:
    """The weights the evidence table lists (the prior first) and its total, as numbers."""
    table = page.split('id="pair-evidence"', 1)[1].split("</table>", 1)[0]
    body, total = table.split("<tfoot>", 1)
    weights = [float(cell.split("<", 1)[0].replace(",", ".")) for cell in body.split('<td class="number">')[1:]]
    return weights, float(total.split('<td class="number">', 1)[1].split("<", 1)[0].replace(",", "."))


def evidence_names(page: str) -> str:
    table = page.split('id="pair-evidence"', 1)[1].split("</table>", 1)[0]
    return " ".join(row.split("<td>", 2)[1].split("</td>", 1)[0] for row in table.split("<tr")[2:] if "<td>" in row)


def queue_rows(page: str) -> list[str]:
    return [row.split('"', 1)[0] for row in page.split('<tr data-pair="')[1:]]


# Access


def test_anonymous_visitors_are_sent_to_the_login_page(client, pairs):
    for url in every_page(pairs):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    assert client.post(pair_page(pairs["apart"]), {"decision": "match"}).status_code == 302
    assert client.post(RUN_CREATE, {"kind": "full"}).status_code == 302
    assert CandidatePair.objects.get(pk=pairs["apart"].pk).decision == ""


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.COMMANDER, Role.SOURCE_UPLOADER])
def test_other_roles_are_refused_every_page_and_action(client, pairs, user_with_role, role):
    client.force_login(user_with_role(role))

    for url in every_page(pairs):
        assert client.get(url).status_code == 403, url
    assert client.post(pair_page(pairs["apart"]), {"decision": "match"}).status_code == 403
    assert client.post(RUN_CREATE, {"kind": "full"}).status_code == 403
    assert CandidatePair.objects.get(pk=pairs["apart"].pk).decision == ""
    assert not LinkageRun.objects.filter(kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.QUEUED).exists()
    assert reverse("reconciliation:review-list") not in text(client.get(reverse("dashboards:home")))


def test_analysts_find_reconciliation_in_the_navigation_in_spanish(client, pairs, analyst):
    home = text(client.get(reverse("dashboards:home")))

    assert f'href="{QUEUE}">Reconciliación</a>' in home
    assert "Cola de revisión" in text(client.get(QUEUE))


# Review queue


def test_the_queue_lists_undecided_pairs_in_the_review_band_most_probable_first(client, pairs, analyst):
    page = text(client.get(QUEUE))

    listed = queue_rows(page)
    assert set(listed) == {str(pairs[name].pk) for name in ("apart", "reports", "provisional")}
    probabilities = [CandidatePair.objects.get(pk=pk).match_probability for pk in listed]
    assert probabilities == sorted(probabilities, reverse=True)
    assert str(pairs["sure"].pk) not in listed
    assert "DPI-2024-000233#1" in page and "AUT-GUA-2024-00530" in page


def test_the_queue_says_which_pairs_are_linked_provisionally(client, pairs, analyst):
    page = text(client.get(QUEUE))

    def linked_cell(pair):
        row = page.split(f'<tr data-pair="{pair.pk}">', 1)[1].split("</tr>", 1)[0]
        return row.split('<td class="linked">', 1)[1].split("</td>", 1)[0]

    assert f"V-{victim_of(*ANA):07d}" in linked_cell(pairs["provisional"])
    assert victim_of(*ANA) == victim_of(*ANA_AUTOPSY)
    assert "V-" not in linked_cell(pairs["apart"])
    assert victim_of(*JOSE_SECOND_REPORT) != victim_of(*JOSE_AUTOPSY)


def test_the_queue_filters_by_pair_of_sources(client, pairs, analyst):
    only_police = text(client.get(QUEUE, {"sources": "police+police"}))
    police_and_coroner = text(client.get(QUEUE, {"sources": "coroner+police"}))

    assert queue_rows(only_police) == [str(pairs["reports"].pk)]
    assert set(queue_rows(police_and_coroner)) == {str(pairs["apart"].pk), str(pairs["provisional"].pk)}


# A pair


def test_a_pair_page_shows_both_records_the_evidence_and_their_victims(client, pairs, analyst):
    page = text(client.get(pair_page(pairs["apart"])))

    for shown in (
        "JOSE LUIS MARTINES RIVERA",
        "JOSÉ LUIS MARTÍNEZ RIVERA",
        "0801199012345",
        "DPI-2024-000233#1",
        "AUT-GUA-2024-00412",
        "14/03/2024",
        "15/03/2024",
        "Mixco",
        "3 calle, frente a pulperia",
        "UMEP-5",
        "numero_autopsia",
    ):
        assert shown in page, shown
    assert victim_page(victim_of(*JOSE_AUTOPSY)) in page
    assert victim_page(victim_of(*JOSE_SECOND_REPORT)) in page
    assert 'class="weight-against"' in page and 'class="weight-for"' in page
    assert f"{pairs['apart'].match_probability * 100:.1f}".replace(".", ",") in page
    # The starting weight and the comparisons' weights add up to the total shown.
    weights, total = evidence_weights(page)
    assert 'id="pair-prior"' in page and weights[0] < -10
    assert sum(weights) == pytest.approx(total, abs=0.05)
    # Every comparison named in the reader's language: none by its column name.
    assert "Tipo de lugar" in page and "Place_kind" not in page and "_" not in evidence_names(page)
    assert AuditEvent.objects.filter(
        action="reconciliation.pair_read", target_id=str(pairs["apart"].pk), actor=analyst
    ).exists()


def test_same_person_puts_both_records_in_one_victim_at_once(client, pairs, analyst):
    before = victim_of(*JOSE_SECOND_REPORT)
    kept = victim_of(*JOSE_AUTOPSY)
    queue = queue_rows(text(client.get(QUEUE)))

    response = client.post(pair_page(pairs["apart"]), {"decision": "match", "note": "Misma familia denunció"})

    # On to the pair the queue lists after it, or else (the last one decided) to its first.
    position = queue.index(str(pairs["apart"].pk))
    following = CandidatePair.objects.get(pk=(queue[position + 1 :] + queue[:position])[0])
    assert response.status_code == 302 and response["Location"] == pair_page(following)
    assert victim_of(*JOSE_SECOND_REPORT) == victim_of(*JOSE_AUTOPSY) == victim_of(*JOSE) == kept
    assert Victim.objects.get(pk=before).merged_into_id == kept
    page = text(client.get(pair_page(pairs["apart"])))
    assert f"V-{kept:07d}" in page
    assert page.count(f'href="{victim_page(kept)}"') == 2
    assert analyst.username in page and "Misma familia denunció" in page
    assert str(pairs["apart"].pk) not in queue_rows(text(client.get(QUEUE)))
    assert AuditEvent.objects.filter(action="reconciliation.pair_decided", target_id=str(pairs["apart"].pk)).exists()


def test_the_message_after_a_decision_says_what_changed(client, pairs, analyst):
    before, kept = victim_of(*JOSE_SECOND_REPORT), victim_of(*JOSE_AUTOPSY)

    page = text(client.post(pair_page(pairs["apart"]), {"decision": "match"}, follow=True))

    messages = page.split('<ul class="messages">', 1)[1].split("</ul>", 1)[0]
    reasons = [change.reason for change in VictimChange.objects.filter(run__kind=LinkageRun.Kind.DECISION)]
    assert reasons and all(reason in messages for reason in reasons)
    assert f"V-{kept:07d}" in messages and f"V-{before:07d}" in messages


def test_not_the_same_person_splits_a_provisional_link(client, pairs, analyst):
    together = victim_of(*ANA)

    client.post(pair_page(pairs["provisional"]), {"decision": "non_match"})

    assert victim_of(*ANA) != victim_of(*ANA_AUTOPSY)
    assert Victim.objects.get(pk=together).retired_at is not None
    assert set(Victim.objects.get(pk=together).changes.values_list("kind", flat=True)) >= {VictimChange.Kind.SPLIT}


def test_a_decision_can_be_changed(client, pairs, analyst):
    client.post(pair_page(pairs["provisional"]), {"decision": "non_match"})
    page = text(client.get(pair_page(pairs["provisional"])))
    assert 'aria-pressed="true"' in decision_button(page, "non_match")
    assert 'aria-pressed="true"' not in decision_button(page, "match")
    assert analyst.username in page.split('id="pair-decision"', 1)[1].split("</dd>", 1)[0]

    client.post(pair_page(pairs["provisional"]), {"decision": "match", "note": "Fotografía confirmada"})

    pair = CandidatePair.objects.get(pk=pairs["provisional"].pk)
    assert (pair.decision, pair.decided_by, pair.decision_note) == ("match", analyst, "Fotografía confirmada")
    assert victim_of(*ANA) == victim_of(*ANA_AUTOPSY)


def test_the_last_pair_decided_leads_back_to_the_empty_queue(client, pairs, analyst):
    for pair_id in queue_rows(text(client.get(QUEUE)))[:-1]:
        client.post(reverse("reconciliation:pair-detail", args=[pair_id]), {"decision": "unsure"})
    last = queue_rows(text(client.get(QUEUE)))
    assert len(last) == 1
    page = text(client.get(reverse("reconciliation:pair-detail", args=[last[0]])))
    assert 'id="next-pair"' not in page and 'data-shortcut="s"' in page and "<kbd>S</kbd>" in page

    response = client.post(reverse("reconciliation:pair-detail", args=[last[0]]), {"decision": "non_match"})

    assert response["Location"] == QUEUE
    assert queue_rows(text(client.get(QUEUE))) == []


def test_a_post_without_a_decision_changes_nothing(client, pairs, analyst):
    response = client.post(pair_page(pairs["apart"]), {"decision": "maybe"})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert CandidatePair.objects.get(pk=pairs["apart"].pk).decision == ""
    assert not LinkageRun.objects.filter(kind=LinkageRun.Kind.DECISION).exists()


# Victims


def test_the_victim_list_filters(client, pairs, analyst):
    def listed(**query) -> set[str]:
        page = text(client.get(VICTIMS, query))
        return {
            victim.public_id
            for victim in Victim.objects.filter(retired_at__isnull=True)
            if f">{victim.public_id}<" in page
        }

    jose, second, ana = (f"V-{victim_of(*record):07d}" for record in (JOSE, JOSE_SECOND_REPORT, ANA))
    assert listed() == {jose, second, ana}
    assert listed(source="coroner") == {jose, ana}
    assert listed(month="2024-04") == {ana}
    assert listed(case_status="confirmed") == {jose, ana}
    assert listed(case_status="single_source") == {second}
    assert listed(category="homicide") == {jose, second, ana}
    assert listed(category="suicide") == set()
    assert listed(unidentified="true") == set()
    assert listed(reported_missing="false") == {jose, second, ana}


def test_a_victim_page_shows_attributes_with_their_records_records_pairs_and_history(client, pairs, analyst):
    victim = Victim.objects.get(pk=victim_of(*JOSE))

    page = text(client.get(victim_page(victim.pk)))

    assert victim.public_id in page and "JOSÉ LUIS MARTÍNEZ RIVERA" in page and "14/03/2024" in page
    assert "AUT-GUA-2024-00412" in page and "DPI-2024-000001#1" in page
    attributes = page.split('class="data attributes"', 1)[1].split("</table>", 1)[0]
    assert "AUT-GUA-2024-00412" in attributes  # the autopsy decides the category and the age
    for pair in ("sure", "apart", "reports"):
        assert pair_page(pairs[pair]) in page, pair
    assert pair_page(pairs["provisional"]) not in page
    history = page.split('class="data victim-history"', 1)[1]
    assert all(change.reason in history for change in victim.changes.all())
    assert AuditEvent.objects.filter(action="reconciliation.victim_read", target_id=str(victim.pk)).exists()


def test_a_retired_victim_says_why_and_links_to_the_one_it_became(client, pairs, analyst):
    absorbed = victim_of(*JOSE_SECOND_REPORT)
    client.post(pair_page(pairs["apart"]), {"decision": "match"})
    kept = victim_of(*JOSE_AUTOPSY)

    page = text(client.get(victim_page(absorbed)))

    retired = page.split('id="victim-retired"', 1)[1].split("</p>", 1)[0]
    assert Victim.objects.get(pk=absorbed).retired_reason in retired
    assert f'href="{victim_page(kept)}"' in retired
    assert f"V-{absorbed:07d}" not in text(client.get(VICTIMS)).split("<tbody>", 1)[1]


# Runs


def test_the_runs_page_lists_runs_with_their_counts(client, pairs, analyst):
    run = LinkageRun.objects.get(kind=LinkageRun.Kind.FULL)

    page = text(client.get(RUNS))

    row = page.split(f'<tr data-run="{run.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "data-status-url" not in row  # a finished run is not followed
    assert f'data-field="pairs_scored">{run.pairs_scored}<' in row
    assert f'data-field="review_pairs">{run.review_pairs}<' in row
    # How many candidate pairs each blocking rule found, named in Spanish.
    assert run.pairs_by_rule["names_and_days"] >= 1
    assert f"dos partes del nombre en días cercanos: {run.pairs_by_rule['names_and_days']}" in row
    # How many of them the model scored: those that could reach the review threshold.
    assert run.pairs_scored <= run.pairs_compared <= run.candidate_pairs
    assert run.candidate_pairs >= max(run.pairs_by_rule.values())
    assert f"El modelo puntuó {run.pairs_compared} de los {run.candidate_pairs} pares candidatos" in row


def test_the_runs_page_estimates_precision_and_recall_from_the_decisions(client, pairs, analyst):
    _precision, recall = page_estimate(text(client.get(RUNS)))
    client.post(pair_page(pairs["apart"]), {"decision": "match"})

    # A pair the linkage had left apart is the same person, and is joined: the estimated recall rises.
    assert page_estimate(text(client.get(RUNS)))[1] > recall


def page_estimate(page: str) -> tuple[float, float]:
    """The precision and recall the page states, in percent."""
    paragraph = page.split('id="linkage-quality-estimate">', 1)[1].split("</p>", 1)[0]
    precision = paragraph.split("se estima en ", 2)[1].split(" %", 1)[0]
    recall = paragraph.split("se estima en ", 2)[2].split(" %", 1)[0]
    return float(precision.replace(",", ".")), float(recall.replace(",", "."))


def test_an_analyst_queues_a_run_and_the_page_follows_it(client, pairs, analyst):
    response = client.post(RUN_CREATE, {"kind": "incremental"})

    assert response.status_code == 302 and response["Location"] == RUNS
    run = LinkageRun.objects.get(status=LinkageRun.Status.QUEUED, requested_by=analyst)
    assert run.kind == LinkageRun.Kind.INCREMENTAL
    status_url = reverse("reconciliation:run-status", args=[run.pk])
    assert f'data-status-url="{status_url}"' in text(client.get(RUNS))
    answer = client.get(status_url).json()
    assert (answer["id"], answer["status"], answer["kind"]) == (run.pk, "queued", "incremental")


def test_an_unknown_kind_of_run_is_refused(client, pairs, analyst):
    client.post(RUN_CREATE, {"kind": "decision"})

    assert not LinkageRun.objects.filter(requested_by=analyst).exists()


# Admin


def test_the_admin_shows_reconciliation_read_only(client, pairs, analyst):
    victim = victim_of(*JOSE)

    assert client.get(reverse("admin:reconciliation_victim_changelist")).status_code == 200
    assert client.get(reverse("admin:reconciliation_candidatepair_changelist")).status_code == 200
    assert client.get(reverse("admin:reconciliation_linkagerun_changelist")).status_code == 200
    assert client.get(reverse("admin:reconciliation_victimchange_changelist")).status_code == 200
    assert client.get(reverse("admin:reconciliation_victim_add")).status_code == 403
    change = client.get(reverse("admin:reconciliation_victim_change", args=[victim]))
    assert change.status_code == 200 and 'name="full_name"' not in change.content.decode()
    assert client.post(reverse("admin:reconciliation_victim_delete", args=[victim]), {"post": "yes"}).status_code == 403
    assert Victim.objects.filter(pk=victim).exists()
