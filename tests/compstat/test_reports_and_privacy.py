from datetime import timedelta

import pytest
from django.urls import reverse

from observatory.accounts.roles import Role
from observatory.compstat.models import WeeklyReport
from observatory.compstat.reports import weekly_report_render
from observatory.compstat.selectors import incident_list

from .conftest import CUTOFF, SECRET_ADDRESS, SECRET_ID, SECRET_NAME

pytestmark = pytest.mark.django_db
SECRETS = (SECRET_NAME, SECRET_ID, SECRET_ADDRESS, SECRET_NAME.split()[0])


@pytest.fixture
def commander(user_with_role, built):
    user = user_with_role(Role.COMMANDER)
    user.jurisdictions.add(built["norte"])
    return user


def test_a_commander_asks_for_the_weekly_report_and_downloads_its_pdf(
    client, commander, built, django_capture_on_commit_callbacks
):
    client.force_login(commander)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("compstat:reports"), {"jurisdiction": built["norte"].pk, "week_ending": CUTOFF.isoformat()}
        )
    assert response.status_code == 302
    assert len(queued) == 1  # the rendering task, after the commit
    report = WeeklyReport.objects.get()
    assert (report.requested_by, report.jurisdiction, report.week_ending) == (commander, built["norte"], CUTOFF)
    assert weekly_report_render(report_id=report.pk).status == WeeklyReport.Status.DONE
    listing = client.get(reverse("compstat:reports")).content.decode()
    assert reverse("compstat:report-download", args=[report.pk]) in listing
    pdf = b"".join(client.get(reverse("compstat:report-download", args=[report.pk])).streaming_content)
    assert pdf.startswith(b"%PDF-")
    report.refresh_from_db()
    assert weekly_report_render(report_id=report.pk).file.name == report.file.name  # done once, kept


def test_the_printable_report_shows_the_tables_and_the_map(client, commander, built):
    client.force_login(commander)
    response = client.get(
        reverse("compstat:report-print"), {"jurisdiction": built["norte"].pk, "week_ending": CUTOFF.isoformat()}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Norte" in page
    assert page.count("<rect ") >= 1  # cells of the week's incidents on the map snapshot
    assert "@media print" in page


def test_the_commander_never_receives_a_name_or_an_id_number(client, commander, built, settings):
    client.force_login(commander)
    norte = built["norte"].pk
    week = {"jurisdiction": norte, "week_ending": CUTOFF.isoformat()}
    period = {"first": (CUTOFF - timedelta(days=27)).isoformat(), "last": CUTOFF.isoformat()}
    first_incident = incident_list().first().pk
    requests = [
        (reverse("compstat:page"), {}),
        (reverse("compstat:page"), {"jurisdiction": "", "category": "robbery", "hour_band": "night"}),
        (reverse("compstat:reports"), {}),
        (reverse("compstat:report-print"), week),
        (reverse("indicators:alerts"), {}),
        (reverse("api-v1:compstat-map-list"), {"bbox": "-91,14,-90,15", "zoom": 8, **period}),
        (reverse("api-v1:compstat-map-list"), {"bbox": "-90.6,14.6,-90.5,14.7", "zoom": 16, **period}),
        (reverse("api-v1:compstat-incident-list"), {}),
        (reverse("api-v1:compstat-incident-detail", args=[first_incident]), {}),
    ]
    client.post(reverse("compstat:reports"), week)
    weekly_report_render(report_id=WeeklyReport.objects.get().pk)
    requests.append((reverse("compstat:report-download", args=[WeeklyReport.objects.get().pk]), {}))
    for url, query in requests:
        response = client.get(url, query)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for secret in SECRETS:
            assert secret.encode() not in body, (url, secret)
            assert secret.encode("utf-16-be") not in body, (url, secret)
