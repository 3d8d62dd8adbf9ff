"""A hotspot analysis of a year of police records, computed as the worker would, stored, and found again."""

import json
from datetime import date

import pytest
from django.contrib.gis.geos import Point

from observatory.hotspots.models import HotspotAnalysis, HotspotArea
from observatory.hotspots.selectors import displacement_check, hotspot_list, hotspots_of_week
from observatory.hotspots.services import hotspot_analysis_execute, hotspot_analysis_request
from observatory.hotspots.terms import AreaKind, DisplacementReading, EmergingClass
from observatory.records.models import SourceRecord

from .conftest import CLUSTER, police_record

pytestmark = pytest.mark.django_db


def _computed(jurisdiction, **kwargs) -> HotspotAnalysis:
    analysis = hotspot_analysis_request(
        category=kwargs.get("category", "robbery"), jurisdiction=jurisdiction, last_month=date(2024, 12, 1), months=12
    )
    return hotspot_analysis_execute(analysis_id=analysis.pk)


def test_the_growing_cluster_is_a_hot_spot_intensifying_and_predicts_the_next_month(
    hotspot_settings, police_year, jurisdiction
):
    analysis = _computed(jurisdiction)
    assert analysis.status == HotspotAnalysis.Status.DONE, analysis.error
    assert analysis.srid == 32615 and analysis.record_count == len(police_year)
    cells = HotspotArea.objects.filter(analysis=analysis, kind=AreaKind.GRID)
    # Every cell of the jurisdiction is kept, those without incidents too (about 22 x 22 cells of 250 m).
    assert cells.count() == analysis.summary["cells"] > 400
    assert cells.filter(count=0).exists()
    hottest = hotspot_list(analysis=analysis).first()
    assert hottest.geometry.contains(hottest.geometry.centroid)
    assert hottest.geometry.distance(Point(*CLUSTER, srid=4326)) < 0.003
    assert hottest.confidence == 3 and hottest.emerging == EmergingClass.INTENSIFYING
    # Its neighbours are hot spots too (Gi* sums the neighbourhood), and nothing further than two cells away is.
    assert all(area.geometry.distance(Point(*CLUSTER, srid=4326)) < 0.006 for area in hotspot_list(analysis=analysis))
    assert len(analysis.periods) == 11
    # About 2% of the area holds about a tenth of each next month's incidents or more.
    assert all(period["pai"] > 3 for period in analysis.periods)


def test_the_colonias_get_raw_and_smoothed_rates_and_the_cluster_colonia_stands_out(
    hotspot_settings, police_year, jurisdiction
):
    analysis = _computed(jurisdiction)
    colonias = {area.code: area for area in HotspotArea.objects.filter(analysis=analysis, kind=AreaKind.COLONIA)}
    assert len(colonias) == 16 and sum(area.count for area in colonias.values()) == len(police_year)
    cluster = colonias["0108-11"]
    assert cluster.population == 5_000 and cluster.rate == pytest.approx(cluster.count / 5_000 * 100_000)
    # Empirical Bayes pulls the small colonias' rates towards the mean more than the large ones'.
    small = colonias["0108-00"]
    mean_rate = sum(area.count for area in colonias.values()) / sum(area.population for area in colonias.values()) * 1e5
    assert abs(small.eb_rate - mean_rate) < abs(small.rate - mean_rate)
    assert cluster.count == max(area.count for area in colonias.values())
    assert cluster.rate == max(area.rate for area in colonias.values())
    assert cluster.spatial_eb_rate is not None and cluster.moran_p is not None


def test_the_same_records_give_the_stored_analysis_and_a_new_record_a_new_one(
    hotspot_settings, police_year, jurisdiction
):
    first = _computed(jurisdiction)
    again = hotspot_analysis_request(
        category="robbery", jurisdiction=jurisdiction, last_month=date(2024, 12, 9), months=12
    )
    assert again.pk == first.pk and again.status == HotspotAnalysis.Status.DONE
    police_record(on=date(2024, 12, 20), longitude=CLUSTER[0], latitude=CLUSTER[1]).save()
    newer = hotspot_analysis_request(
        category="robbery", jurisdiction=jurisdiction, last_month=date(2024, 12, 1), months=12
    )
    assert newer.pk != first.pk and newer.status == HotspotAnalysis.Status.QUEUED


def test_without_records_the_analysis_ends_saying_so(hotspot_settings, db):
    analysis = hotspot_analysis_execute(
        analysis_id=hotspot_analysis_request(category="", jurisdiction=None, last_month=date(2024, 12, 1), months=6).pk
    )
    assert analysis.status == HotspotAnalysis.Status.DONE and analysis.summary == {"records": 0}
    assert not analysis.areas.exists()


def test_the_displacement_check_counts_the_area_its_ring_and_the_rest(jurisdiction):
    area = {
        "type": "Polygon",
        "coordinates": [[[-90.54, 14.63], [-90.53, 14.63], [-90.53, 14.64], [-90.54, 14.64], [-90.54, 14.63]]],
    }
    places = {"area": (-90.535, 14.635), "ring": (-90.5285, 14.635), "rest": (-90.51, 14.61)}
    before = {"area": 40, "ring": 30, "rest": 100}
    after = {"area": 20, "ring": 36, "rest": 100}
    records = []
    for counts, day in ((before, date(2024, 5, 20)), (after, date(2024, 6, 10))):
        for zone, count in counts.items():
            records += [
                police_record(on=day, longitude=places[zone][0], latitude=places[zone][1]) for _ in range(count)
            ]
    SourceRecord.objects.bulk_create(records)
    found = displacement_check(
        area_geojson=json.dumps(area),
        ring_metres=500,
        on=date(2024, 6, 1),
        days=28,
        category="robbery",
        jurisdiction_id=None,
    )
    assert (found.area, found.ring, found.rest) == ((40, 20), (30, 36), (100, 100))
    assert found.quotient == pytest.approx(-0.3) and found.reading == DisplacementReading.DISPLACEMENT_LESS


def test_a_weekly_report_finds_the_hot_spots_of_the_month_its_week_ends_in(hotspot_settings, police_year, jurisdiction):
    assert hotspots_of_week(jurisdiction_id=jurisdiction.pk, week_end=date(2024, 12, 8), category="robbery") is None
    analysis = _computed(jurisdiction)
    found = hotspots_of_week(jurisdiction_id=jurisdiction.pk, week_end=date(2024, 12, 8), category="robbery")
    assert list(found) == list(hotspot_list(analysis=analysis)) and found.exists()
    assert hotspots_of_week(jurisdiction_id=jurisdiction.pk, week_end=date(2024, 11, 30), category="robbery") is None
