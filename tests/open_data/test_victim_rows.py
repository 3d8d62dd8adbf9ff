"""The victim-level open data as the public gets it: exactly the contract's columns, no person re-identifiable from
a place, the excluded cases left out, a public id that stays, and the same rows as JSON, CSV and GeoJSON."""

import io
import random
import re
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from django.contrib.gis.geos import Point

from observatory.open_data.models import OpenVictim, PublicVictimId
from observatory.open_data.services import open_victims_rebuild, public_ids_assign
from observatory.open_data.victims import VICTIM_COLUMN_NAMES
from observatory.reconciliation.models import Victim

from .conftest import cell_centre, metres_apart, publish, record, victim

pytestmark = pytest.mark.django_db
VICTIMS = "/api/v1/open-data/victims/"
FORBIDDEN = {
    "name",
    "full_name",
    "id_number",
    "address",
    "description",
    "record_id",
    "source_record",
    "incident_id",
    "event_time",
    "time",
    "birth_date",
    "point",
    "victim_id",
}


def _csv(client, **query) -> pd.DataFrame:
    response = client.get(VICTIMS, {"format": "csv", **query})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return pd.read_csv(io.BytesIO(b"".join(response.streaming_content)), dtype=str, keep_default_na=False)


def _case(country, *, on=date(2024, 3, 5), municipality="mixco", **values):
    source = values.pop("source", "police")
    person = victim(
        record(
            source=source,
            on=on,
            municipality=country[municipality],
            full_name="MARIA JOSEFA PEREZ LOPEZ",
            id_number="0801199012345",
            address="3 calle frente a la pulperia",
            place_type=values.pop("place_type", "public_road"),
        ),
        full_name="MARIA JOSEFA PEREZ LOPEZ",
        id_number="0801199012345",
        **values,
    )
    return person


def test_the_victim_level_file_has_exactly_the_contracts_columns_and_never_a_forbidden_one(client, country):
    _case(country, age_years=Decimal("31"), sex="F", weapon="firearm", point=Point(-90.69, 14.61, srid=4326))
    publish()
    frame = _csv(client)
    assert tuple(frame.columns) == VICTIM_COLUMN_NAMES
    assert not FORBIDDEN & set(frame.columns)
    row = client.get(VICTIMS).json()["results"][0]
    assert tuple(row) == VICTIM_COLUMN_NAMES
    feature = client.get(VICTIMS, {"format": "geojson"}).json()["features"][0]
    assert set(feature["properties"]) | {"id", "longitude", "latitude"} == set(VICTIM_COLUMN_NAMES)
    text = b"".join(client.get(VICTIMS, {"format": "csv"}).streaming_content).decode()
    for secret in ("PEREZ", "0801199012345", "pulperia", "police-", "V-0"):
        assert secret not in text
    assert (row["age_band"], row["sex"], row["weapon"], row["municipality"]) == ("30-34", "F", "firearm", "Mixco")


def test_sexual_violence_violence_at_home_minors_retired_and_undated_cases_are_left_out(client, country):
    kept = _case(country, age_years=None)
    _case(country, category="sexual_violence")
    _case(country, place_type="home")
    _case(country, age_years=Decimal("17.5"))
    _case(country, retired_at="2024-05-01T00:00:00Z")
    undated = _case(country)
    Victim.objects.filter(pk=undated.pk).update(event_date=None, death_date=None)
    publish()
    rows = client.get(VICTIMS).json()["results"]
    assert [row["id"] for row in rows] == [PublicVictimId.objects.get(victim=kept).public_id]
    assert rows[0]["age_band"] == "unknown"


def test_no_snapped_point_lies_within_50_m_of_a_true_location_unless_3_cases_share_its_cell(client, country):
    crowded = cell_centre(-90.6905, 14.6105)  # three cases of 2024 at the very centre of one cell
    for day in (1, 2, 3):
        _case(country, on=date(2024, 4, day), point=Point(*crowded, srid=4326), colonia=country["milagro"])
    lonely = cell_centre(-90.6805, 14.6205)  # two cases of 2023 and one of 2024: fewer than 3 in either year
    for on in (date(2023, 6, 1), date(2023, 7, 1), date(2024, 6, 1)):
        _case(country, on=on, point=Point(*lonely, srid=4326), colonia=country["milagro"])
    scatter = random.Random(18)
    for _ in range(40):
        point = Point(-90.695 + scatter.random() * 0.006, 14.605 + scatter.random() * 0.006, srid=4326)
        _case(country, on=date(scatter.choice([2023, 2024]), 2, 1), point=point, colonia=country["milagro"])
    _case(country, on=date(2024, 2, 1), municipality="villa_nueva", point=Point(-90.55, 14.55, srid=4326))
    publish()
    rows = list(OpenVictim.objects.all())
    truth = {
        public.public_id: (public.victim.point.x, public.victim.point.y, public.victim.event_date.year)
        for public in PublicVictimId.objects.select_related("victim")
    }
    cases_in = {}
    for x, y, year in truth.values():
        key = (cell_centre(x, y), year)
        cases_in[key] = cases_in.get(key, 0) + 1
    centroid = country["milagro"].boundary.centroid
    near_misses = 0
    for row in rows:
        x, y, year = truth[row.id]
        if row.location is None:
            assert row.municipality == "Villa Nueva" and row.colonia == ""  # no cell to share, no colonia
            continue
        snapped = (row.longitude, row.latitude)
        sharing = cases_in.get((cell_centre(x, y), year), 0)
        if sharing >= 3:
            assert metres_apart(snapped, cell_centre(x, y)) < 1
        else:
            assert metres_apart(snapped, (centroid.x, centroid.y)) < 1
        for tx, ty, _year in truth.values():
            if metres_apart(snapped, (tx, ty)) < 50:
                near_misses += 1
                assert cases_in.get((cell_centre(*snapped), year), 0) >= 3
    assert near_misses >= 3  # the crowded cell's three cases, published at their true place: three share it


def test_a_victim_keeps_its_random_public_id_from_one_release_to_the_next(country):
    first = _case(country)
    public_ids_assign()
    open_victims_rebuild()
    kept = PublicVictimId.objects.get(victim=first).public_id
    second = _case(country)
    assert public_ids_assign() == 1 and public_ids_assign() == 0
    open_victims_rebuild()
    assert PublicVictimId.objects.get(victim=first).public_id == kept
    ids = set(OpenVictim.objects.values_list("id", flat=True))
    assert ids == {kept, PublicVictimId.objects.get(victim=second).public_id}
    assert all(re.fullmatch(r"ov-[0-9a-f]{16}", public) for public in ids) and len(ids) == 2


def test_csv_json_and_geojson_give_the_same_rows_and_the_csv_streams_past_any_page_size(client, country):
    for day in range(1, 8):
        _case(country, on=date(2024, 1, day), point=Point(-90.69, 14.61, srid=4326), colonia=country["milagro"])
    _case(country, on=date(2023, 1, 1), municipality="villa_nueva")
    publish()
    rows, page = [], client.get(VICTIMS, {"page_size": 3}).json()
    while True:
        rows += page["results"]
        if page["next"] is None:
            break
        page = client.get(page["next"]).json()
    from_json = pd.DataFrame(rows).astype(str).replace({"None": ""})
    from_csv = _csv(client)
    assert len(from_csv) == 8 > 3
    pd.testing.assert_frame_equal(
        from_csv.drop(columns=["longitude", "latitude"]), from_json.drop(columns=["longitude", "latitude"])
    )
    assert list(_csv(client, year=2023)["municipality"]) == ["Villa Nueva"]
    inside = client.get(VICTIMS, {"format": "geojson", "in_bbox": "-90.7,14.6,-90.6,14.7"}).json()
    assert inside["type"] == "FeatureCollection" and inside["count"] == 7
    assert client.get(VICTIMS, {"format": "geojson", "in_bbox": "-80,10,-79,11"}).json()["count"] == 0


def test_a_place_name_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_the_csv(client, country):
    country["milagro"].name = "=HYPERLINK(1)"
    country["milagro"].save()
    _case(country, colonia=country["milagro"])
    publish()
    assert _csv(client)["colonia"].tolist() == ["'=HYPERLINK(1)"]
    assert client.get(VICTIMS).json()["results"][0]["colonia"] == "=HYPERLINK(1)"
