import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.pagination import OrderedPageNumberPagination
from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction, PopulationKind
from tests.factories import AdminUnitFactory, PopulationFactory, square

pytestmark = pytest.mark.django_db
UNITS = "/api/v1/geography/units/"


def test_units_are_geojson_features_with_their_latest_population(client, small_hierarchy):
    PopulationFactory(unit=small_hierarchy["mixco"], year=2019, population=470_000)
    PopulationFactory(
        unit=small_hierarchy["mixco"], year=2021, population=480_000, kind=PopulationKind.DEMO, source="demo"
    )

    body = client.get(UNITS, {"level": "municipality"}).json()

    assert body["type"] == "FeatureCollection"
    assert body["count"] == 2
    mixco = next(feature for feature in body["features"] if feature["properties"]["code"] == "0108")
    assert mixco["geometry"]["type"] in ("Polygon", "MultiPolygon")
    expected = {
        "name": "Mixco",
        "parent_code": "01",
        "population": 480_000,
        "population_year": 2021,
        "population_is_demo": True,
    }
    assert {key: mixco["properties"][key] for key in expected} == expected
    villa_nueva = next(feature for feature in body["features"] if feature["properties"]["code"] == "0115")
    assert villa_nueva["properties"]["population"] is None
    assert villa_nueva["properties"]["population_is_demo"] is None


def test_units_filter_by_parent_and_bounding_box(client, small_hierarchy):
    by_parent = client.get(UNITS, {"parent": "01"}).json()
    near_mixco = client.get(UNITS, {"level": "municipality", "in_bbox": "-90.69,14.61,-90.65,14.65"}).json()

    assert {f["properties"]["code"] for f in by_parent["features"]} == {"0108", "0115"}
    assert [f["properties"]["code"] for f in near_mixco["features"]] == ["0108"]


def test_population_of_a_month_is_interpolated_through_the_api(client, small_hierarchy):
    mixco = small_hierarchy["mixco"]
    PopulationFactory(unit=mixco, year=2018, population=465_773)
    PopulationFactory(unit=mixco, year=2020, population=477_773)

    body = client.get(f"{UNITS}{mixco.pk}/population/", {"year": 2019, "month": 1}).json()

    assert body["method"] == "interpolated"
    assert body["population"] == pytest.approx(465_773 + 12_000 * 6.5 / 24)


def test_bad_requests_answer_in_one_error_shape(client, small_hierarchy):
    unit = small_hierarchy["mixco"]

    bad_month = client.get(f"{UNITS}{unit.pk}/population/", {"year": 2019, "month": 13})
    no_figures = client.get(f"{UNITS}{unit.pk}/population/", {"year": 2019, "month": 1})
    bad_level = client.get(UNITS, {"level": "galaxy"})

    assert bad_month.status_code == 400
    assert set(bad_month.json()) == {"message", "code", "extra"}
    assert "month" in bad_month.json()["extra"]["fields"]
    assert no_figures.status_code == 404 and no_figures.json()["code"] == "no_population"
    assert bad_level.status_code == 400 and "level" in bad_level.json()["extra"]["fields"]


def test_police_jurisdictions_are_their_own_layer(client):
    PoliceJurisdiction.objects.create(code="DIST-11", name="Distrito 11", boundary=square(-90.6, 14.6, 0.2))

    body = client.get("/api/v1/geography/jurisdictions/").json()

    assert [feature["properties"]["code"] for feature in body["features"]] == ["DIST-11"]


def test_populations_list_says_which_figures_are_demo(client, small_hierarchy):
    PopulationFactory(unit=small_hierarchy["mixco"], year=2020, kind=PopulationKind.DEMO, source="demo")
    PopulationFactory(unit=small_hierarchy["villa_nueva"], year=2020, kind=PopulationKind.CENSUS, source="Censo")

    rows = client.get("/api/v1/geography/populations/", {"year": 2020}).json()["results"]

    assert {(row["unit_code"], row["is_demo"]) for row in rows} == {("0108", True), ("0115", False)}


def test_populations_list_gives_the_totals_unless_groups_by_sex_and_age_band_are_asked_for(client, small_hierarchy):
    mixco = small_hierarchy["mixco"]
    PopulationFactory(unit=mixco, year=2020, population=477_773)
    PopulationFactory(unit=mixco, year=2020, sex="M", age_band="15-19", population=24_310)
    PopulationFactory(unit=mixco, year=2020, sex="F", age_band="15-19", population=25_002)
    PopulationFactory(unit=mixco, year=2020, sex="M", age_band="", population=230_101)

    def figures(**query):
        rows = client.get("/api/v1/geography/populations/", {"code": "0108", **query}).json()["results"]
        return [(row["sex"], row["age_band"], row["population"]) for row in rows]

    assert figures() == [("", "", 477_773)]
    assert figures(groups="true") == [
        ("", "", 477_773),
        ("F", "15-19", 25_002),
        ("M", "", 230_101),
        ("M", "15-19", 24_310),
    ]
    assert figures(sex="M") == [("M", "", 230_101), ("M", "15-19", 24_310)]
    assert figures(age_band="15-19") == [("F", "15-19", 25_002), ("M", "15-19", 24_310)]
    assert client.get("/api/v1/geography/populations/", {"sex": "U"}).status_code == 400


def test_pagination_refuses_an_unordered_queryset(small_hierarchy):
    request = Request(APIRequestFactory().get("/"))

    with pytest.raises(ValueError, match="unordered"):
        OrderedPageNumberPagination().paginate_queryset(AdminUnit.objects.order_by(), request, view=object())
    page = OrderedPageNumberPagination().paginate_queryset(AdminUnit.objects.order_by("code"), request, view=object())
    assert [unit.code for unit in page][:2] == ["01", "0108"]


def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/").content.decode()

    assert schema.status_code == 200 and b"/api/v1/geography/units/" in schema.content
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_unit_levels_are_all_reachable(client, small_hierarchy):
    AdminUnitFactory(level=Level.COLONIA, code="0108-001", name="El Milagro", parent=small_hierarchy["mixco"])

    levels = {feature["properties"]["level"] for feature in client.get(UNITS, {"page_size": 50}).json()["features"]}

    assert levels == set(Level.values)
