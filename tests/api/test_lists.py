"""Every list of the API, read from the router: its CSV (`?format=csv` and `Accept: text/csv`) gives pandas the
rows and columns of its JSON pages; page_size is capped with a 400; the large tables page by cursor."""

import io
import json
from datetime import date

import pandas as pd
import pytest
from django.contrib.gis.geos import Point
from rest_framework.authtoken.models import Token

from api.pagination import PAGE_SIZE_MAX
from api.v1.urls import router
from ingestion.models import ImportRun
from ingestion.services import default_profiles_ensure, import_run_create
from observatory.accounts.models import AuditEvent
from observatory.accounts.roles import Role
from observatory.accounts.services import audit_record
from observatory.compstat.models import DataVersion
from observatory.compstat.services import data_version_build
from observatory.geography.models import PoliceJurisdiction
from observatory.hotspots.models import HotspotAnalysis
from observatory.indicators.models import Alert, TimelineEvent, UndercountEstimate
from observatory.records.models import Source
from tests.factories import square
from tests.open_data.conftest import country, open_data_root, publish, record, victim  # noqa: F401

pytestmark = pytest.mark.django_db

# Router entries whose list is not a table of rows: the map is one TopoJSON topology, linkage quality one report,
# the SDMX list is itself a CSV (SDMX-CSV), the commanders' map one viewport's cells or points, and the place search
# the suggestions of a search box.
NOT_TABLES = {"choropleth", "linkage-quality", "sdmx", "compstat-map", "place-search"}
# Reading the audit log writes an audit event: the comparison reads the fixture's own event only.
LIST_QUERIES = {"audit-event": {"action": "login"}}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def list_routes() -> list[tuple[str, str, str | None]]:
    """(basename, path, the field of an item whose every element is a CSV row, if any) of every list."""
    return sorted(
        (basename, f"/api/v1/{prefix}/", getattr(viewset, "csv_rows_per_item", None))
        for prefix, viewset, basename in router.registry
        if hasattr(viewset, "list") and basename not in NOT_TABLES
    )


def _commanders_lists_fill() -> None:
    """The incidents (copied from the police records) and a hotspot analysis the commanders' lists show."""
    data_version_build(version_id=DataVersion.objects.create().pk)
    HotspotAnalysis.objects.create(
        key="test",
        data_version="1",
        first_month=date(2024, 1, 1),
        last_month=date(2024, 2, 1),
        cell_metres=250,
        permutations=99,
        summary={"hot": 0},
    )


@pytest.fixture
def published(country, user_with_role, client):  # noqa: F811
    """A published country with victims, alerts, an estimate, an import, a jurisdiction, an event and an audit
    event, some of their texts formula-like; an administrator's client."""
    for day in (3, 9, 21):
        victim(
            record(source="police", on=date(2024, 1, day), municipality=country["mixco"], place_type="public_road"),
            record(source="coroner", on=date(2024, 1, day), municipality=country["mixco"]),
            point=Point(-90.69, 14.61, srid=4326),
            colonia=country["milagro"],
        )
    record(source="police", on=date(2024, 2, 5), municipality=country["villa_nueva"])
    PoliceJurisdiction.objects.create(code="PNC-11", name="-11 Mixco", boundary=square(-90.7, 14.6, 0.1))
    release = publish()
    UndercountEstimate.objects.create(
        vintage_id=release.vintage_id,
        level="department",
        unit_id=country["department"].pk,
        year=2024,
        series="homicide",
        status=UndercountEstimate.Status.REFUSED,
        observed=3,
        reason_code="too_few_lists",
    )
    default_profiles_ensure()
    import_run_create(
        source=Source.objects.get(pk="police"),
        stream=io.BytesIO(b"no_denuncia;fecha_hecho\nD-1;2024-01-03\n"),
        filename="+marzo.csv",
        channel=ImportRun.Channel.COMMAND,
        enqueue=False,
    )
    Alert.objects.create(
        vintage_id=release.vintage_id,
        kind=Alert.Kind.choices[0][0],
        level="municipality",
        unit_id=country["mixco"].pk,
        month=date(2024, 1, 1),
        series="homicide",
        basis="reconciled",
        observed=3,
        expected=0.5,
        p_value=0.01,
        detail={"note": "=1+1"},
    )
    truce = TimelineEvent.objects.create(
        kind=TimelineEvent.Kind.TRUCE, start_date=date(2024, 1, 10), title_es="=Tregua", description_en="+A truce"
    )
    truce.units.add(country["mixco"])
    _commanders_lists_fill()
    admin = user_with_role(Role.ADMIN)
    audit_record(actor=admin, action="login", detail={"from": "test"})
    client.force_login(admin)
    return client


def _cell(value) -> str:
    """A JSON value as the CSV should write it."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def _records(body, *, nested: str | None) -> list[dict]:
    """A JSON page's rows, flat: a feature's id, properties and geometry; one row per month of a series."""
    if "features" in body:
        return [{"id": f["id"], **f["properties"], "geometry": f["geometry"]} for f in body["features"]]
    if nested is None:
        return body["results"]
    return [
        {**{name: value for name, value in item.items() if name != nested}, **child}
        for item in body["results"]
        for child in item[nested]
    ]


def _every_json_row(client, path: str, *, nested: str | None, query: dict) -> pd.DataFrame:
    rows, url, query = [], path, {"page_size": 2, **query}
    while url:
        body = client.get(url, query).json()
        rows += _records(body, nested=nested)
        url, query = body.get("next"), None
    return pd.DataFrame([{name: _cell(value) for name, value in row.items()} for row in rows])


@pytest.mark.parametrize(("basename", "path", "nested"), list_routes())
def test_every_list_reads_into_pandas_with_the_rows_and_columns_of_its_json(published, basename, path, nested):
    query = LIST_QUERIES.get(basename, {})
    by_query = published.get(path, {"format": "csv", **query})
    assert by_query.status_code == 200 and by_query["Content-Type"] == "text/csv; charset=utf-8", basename
    body = b"".join(by_query.streaming_content)
    assert b"".join(published.get(path, query, HTTP_ACCEPT="text/csv").streaming_content) == body
    from_csv = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False, encoding="utf-8")
    from_json = _every_json_row(published, path, nested=nested, query=query)
    assert len(from_csv) >= 1 and len(from_csv) == len(from_json), basename
    if basename == "open-victim":  # PostgreSQL writes the coordinates; compare them as numbers
        for name in ("longitude", "latitude"):
            assert from_csv[name].astype(float).tolist() == from_json[name].astype(float).tolist()
        from_csv, from_json = (frame.drop(columns=["longitude", "latitude"]) for frame in (from_csv, from_json))
    pd.testing.assert_frame_equal(from_csv, from_json, check_dtype=False)


def test_the_lists_read_from_the_router_are_every_list_there_is():
    assert {route[0] for route in list_routes()} >= {"monthly-series", "open-victim", "audit-event", "unit"}


def test_a_restricted_list_refuses_its_csv_as_its_json(client, user_with_role):
    assert client.get("/api/v1/audit-events/", {"format": "csv"}).status_code in (401, 403)
    token = Token.objects.create(user=user_with_role(Role.COMMANDER))
    refused = client.get("/api/v1/audit-events/", {"format": "csv"}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert refused.status_code == 403 and refused["Content-Type"].startswith("text/csv")


def test_a_page_larger_than_the_maximum_is_refused_with_400_in_both_languages_and_the_csv_streams_past_it(
    published,
):
    in_spanish = published.get("/api/v1/indicators/monthly/", {"page_size": 0})
    assert in_spanish.status_code == 400
    assert in_spanish.json()["message"].startswith("page_size: Pida de 1 a 400 filas por página")
    published.cookies["django_language"] = "en"
    for path in ("/api/v1/indicators/monthly/", "/api/v1/geography/populations/", "/api/v1/geography/units/"):
        refused = published.get(path, {"page_size": PAGE_SIZE_MAX + 1})
        assert refused.status_code == 400 and refused.json()["code"] == "invalid"
        assert refused.json()["message"].startswith("page_size: Ask for 1 to 400 rows per page")
        assert published.get(path, {"page_size": PAGE_SIZE_MAX}).status_code == 200
    streamed = published.get("/api/v1/indicators/monthly/", {"format": "csv", "page_size": 1}).streaming_content
    assert len(pd.read_csv(io.BytesIO(b"".join(streamed)))) > 1


def test_the_large_tables_page_by_cursor_with_the_count_only_on_request(published):
    first = published.get("/api/v1/indicators/monthly/", {"page_size": 1}).json()
    assert "count" not in first and first["next"] and len(first["results"]) == 1
    counted = published.get("/api/v1/indicators/monthly/", {"page_size": 1, "count": "true"}).json()
    seen, url = [], "/api/v1/indicators/monthly/?page_size=1"
    while url:
        page = published.get(url).json()
        seen += [(row["level"], row["unit_code"], row["basis"]) for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == counted["count"] > 1
    assert published.get("/api/v1/indicators/monthly/", {"cursor": "bm90LWEtY3Vyc29y"}).status_code == 400


def test_the_csv_streams_every_row_past_the_largest_page_chunk_by_chunk(client, user_with_role, monkeypatch):
    monkeypatch.setattr("api.lists.CSV_CHUNK_ROWS", 7)
    AuditEvent.objects.bulk_create(
        AuditEvent(actor_label="system", action="export", target_id=str(number)) for number in range(PAGE_SIZE_MAX + 50)
    )
    client.force_login(user_with_role(Role.ANALYST))
    streamed = client.get("/api/v1/audit-events/", {"format": "csv", "action": "export"}).streaming_content
    rows = pd.read_csv(io.BytesIO(b"".join(streamed)), dtype=str)
    assert len(rows) == PAGE_SIZE_MAX + 50 and rows["target_id"].nunique() == PAGE_SIZE_MAX + 50
