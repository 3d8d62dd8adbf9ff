from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone

from observatory.accounts.roles import Role
from observatory.compstat.models import WeeklyReport
from observatory.compstat.reports import weekly_report_render
from observatory.compstat.selectors import incident_list
from observatory.hotspots.models import HotspotAnalysis, HotspotArea

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


def test_the_report_lists_the_hot_spots_of_the_weeks_analysis_or_says_none_was_computed(client, commander, built):
    client.force_login(commander)
    client.cookies["django_language"] = "en"
    week = {"jurisdiction": built["norte"].pk, "week_ending": CUTOFF.isoformat()}
    before = client.get(reverse("compstat:report-print"), week).content.decode()
    analysis = HotspotAnalysis.objects.create(
        key="week",
        data_version="1",
        jurisdiction=built["norte"],
        first_month=CUTOFF.replace(day=1),
        last_month=CUTOFF.replace(day=1),
        cell_metres=250,
        permutations=99,
        status=HotspotAnalysis.Status.DONE,
        finished_at=timezone.now(),
    )
    for code, confidence in (("12-7", 99), ("3-4", 0)):
        HotspotArea.objects.create(
            analysis=analysis,
            kind="grid",
            code=code,
            geometry=Point(-90.5, 14.6, srid=4326),
            count=9,
            gi_z=3.1,
            gi_p=0.002,
            gi_p_sim=0.01,
            confidence=confidence,
        )

    after = client.get(reverse("compstat:report-print"), week).content.decode()

    assert "No hotspot analysis of this jurisdiction has been computed" in before
    assert "12-7" in after and "3-4" not in after


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
