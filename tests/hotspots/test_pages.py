"""The hotspot page and its API: commanders and above only; what they receive holds no name, ID number or address."""

import json
from datetime import date

import pytest
from django.urls import reverse

from observatory.accounts.roles import Role
from observatory.hotspots.models import HotspotAnalysis
from observatory.hotspots.services import hotspot_analysis_execute
from observatory.records.models import SourceRecord

from .conftest import CLUSTER, police_record

pytestmark = pytest.mark.django_db

NAME, ID_NUMBER, ADDRESS = "Juana Pérez López", "2456789010101", "5a calle 3-21 zona 7"


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.SOURCE_UPLOADER])
def test_the_hotspot_page_and_its_api_are_refused_below_the_commander(client, user_with_role, role):
    client.force_login(user_with_role(role))
    assert client.get(reverse("hotspots:map")).status_code == 403
    assert client.get(reverse("api-v1:hotspot-analysis-list")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("hotspots:map"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("api-v1:hotspot-analysis-list")).status_code in (401, 403)


def test_a_commander_sees_the_analysis_queued_then_its_results_and_never_a_name_or_id_number(
    client, user_with_role, hotspot_settings, police_year, jurisdiction
):
    SourceRecord.objects.bulk_create(
        police_record(
            on=date(2024, 12, 2),
            longitude=CLUSTER[0],
            latitude=CLUSTER[1],
            full_name=NAME,
            id_number=ID_NUMBER,
            address=ADDRESS,
        )
        for _ in range(3)
    )
    client.force_login(user_with_role(Role.COMMANDER))
    query = {"category": "robbery", "jurisdiction": jurisdiction.code, "last_month": "2024-12", "months": 12}
    queued = client.get(reverse("hotspots:map"), query)
    assert "Calculando el análisis" in queued.content.decode()
    analysis = HotspotAnalysis.objects.get()
    hotspot_analysis_execute(analysis_id=analysis.pk)
    page = client.get(reverse("hotspots:map"), query).content.decode()
    assert "Índice de precisión predictiva" in page and "Leyenda" in page and "Colonia 11" in page
    answers = [
        page,
        client.get(reverse("api-v1:hotspot-analysis-list")).content.decode(),
        client.get(reverse("api-v1:hotspot-analysis-areas", args=[analysis.pk])).content.decode(),
        client.get(reverse("api-v1:hotspot-analysis-areas", args=[analysis.pk]), {"kind": "colonia"}).content.decode(),
    ]
    areas = json.loads(answers[2])
    assert areas["type"] == "FeatureCollection" and any(f["properties"]["confidence"] == 3 for f in areas["features"])
    for answer in answers:
        assert NAME not in answer and ID_NUMBER not in answer and ADDRESS not in answer and "PNC-" not in answer


def test_the_displacement_check_on_the_page_reads_its_quotient(client, user_with_role, hotspot_settings, police_year):
    client.force_login(user_with_role(Role.COMMANDER))
    analysis = HotspotAnalysis.objects.get(pk=_analysis_id(client))
    hotspot_analysis_execute(analysis_id=analysis.pk)
    west, south, east, north = CLUSTER[0] - 0.002, CLUSTER[1] - 0.002, CLUSTER[0] + 0.002, CLUSTER[1] + 0.002
    area = {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }
    page = client.get(
        reverse("hotspots:map"), {"area": json.dumps(area), "start": "2024-07-01", "ring_metres": 300, "days": 60}
    ).content.decode()
    assert "Cociente ponderado de desplazamiento" in page
    # The cluster grows every month: after the start there are more incidents in the area, no reduction to weigh.
    assert "no bajaron en el área" in page


def _analysis_id(client) -> int:
    client.get(reverse("hotspots:map"))
    return HotspotAnalysis.objects.get().pk
