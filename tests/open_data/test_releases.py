"""Bulk downloads: a release after each publication, files per year that are valid Frictionless Data Packages with
their checksums and vintage, and a public page that lists them."""

import hashlib
import io
import json
import zipfile
from datetime import date
from unittest import mock

import frictionless
import pandas as pd
import pytest
from django.contrib.gis.geos import Point

from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from observatory.open_data.models import OpenDataRelease
from observatory.open_data.services import open_data_release_now

from .conftest import publish, record, victim

pytestmark = pytest.mark.django_db
DOWNLOADS = "/api/v1/open-data/downloads/"


def _country_with_cases(country):
    for on in (date(2023, 5, 2), date(2024, 1, 3), date(2024, 1, 9), date(2024, 2, 14)):
        victim(
            record(source="police", on=on, municipality=country["mixco"], place_type="public_road"),
            record(source="coroner", on=on, municipality=country["mixco"]),
            point=Point(-90.69, 14.61, srid=4326),
            colonia=country["milagro"],
        )
    record(source="police", on=date(2024, 1, 5), municipality=country["palin"], category="sexual_violence")


def test_a_published_vintage_queues_its_release_when_the_publication_commits(
    country, django_capture_on_commit_callbacks
):
    with mock.patch("observatory.open_data.tasks.open_data_release_build.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            vintage = vintage_now(kind=Vintage.Kind.FULL)
        release = OpenDataRelease.objects.get(vintage=vintage)
        delay.assert_called_once_with(release.pk)
        with django_capture_on_commit_callbacks(execute=True):
            from observatory.open_data.services import open_data_release_create

            assert open_data_release_create(vintage_id=vintage.pk) == release
        delay.assert_called_once()


def test_every_file_is_a_data_package_that_validates_with_its_checksum_and_vintage(client, country, tmp_path):
    _country_with_cases(country)
    release = publish()
    files = client.get(DOWNLOADS).json()["results"]
    assert sorted((file["dataset"], file["year"]) for file in files) == [
        ("monthly", 2023),
        ("monthly", 2024),
        ("victims", 2023),
        ("victims", 2024),
    ]
    for file in files:
        assert file["vintage"] == release.vintage_id
        content = b"".join(client.get(file["url"]).streaming_content)
        assert hashlib.sha256(content).hexdigest() == file["sha256"] and len(content) == file["size"]
        folder = tmp_path / file["name"]
        zipfile.ZipFile(io.BytesIO(content)).extractall(folder)
        report = frictionless.validate(folder / "datapackage.json")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        descriptor = json.loads((folder / "datapackage.json").read_text())
        assert descriptor["vintage"]["id"] == release.vintage_id
        (resource,) = descriptor["resources"]
        rows = pd.read_csv(folder / resource["path"], dtype=str, keep_default_na=False)
        assert len(rows) == file["rows"] and [field["name"] for field in resource["schema"]["fields"]] == list(rows)
    victims_2024 = pd.read_csv(tmp_path / "victims-2024.zip" / "victims-2024.csv", dtype=str, keep_default_na=False)
    api = pd.read_csv(
        io.BytesIO(
            b"".join(client.get("/api/v1/open-data/victims/", {"format": "csv", "year": 2024}).streaming_content)
        ),
        dtype=str,
        keep_default_na=False,
    )
    pd.testing.assert_frame_equal(victims_2024, api)
    monthly = pd.read_csv(tmp_path / "monthly-2024.zip" / "monthly-2024.csv", dtype=str, keep_default_na=False)
    protected = monthly[(monthly["category"] == "sexual_violence") & (monthly["unit_code"] == "0503")]
    assert protected.loc[protected["month"] == "2024-01", "count"].tolist() == ["<5"]


def test_a_release_whose_vintage_a_later_one_replaced_builds_nothing(country):
    first = vintage_now(kind=Vintage.Kind.FULL)
    vintage_now(kind=Vintage.Kind.FULL)
    release = open_data_release_now(vintage_id=first.pk)
    assert release.status == OpenDataRelease.Status.DONE and release.superseded and not release.files.exists()


@pytest.mark.parametrize(("language", "title"), [("es", "Descargas masivas"), ("en", "Bulk downloads")])
def test_the_downloads_page_lists_the_files_with_their_checksums_in_both_languages(client, country, language, title):
    _country_with_cases(country)
    publish()
    client.cookies["django_language"] = language
    page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert title in page and 'href="/open-data/"' in page
    for file in client.get(DOWNLOADS).json()["results"]:
        assert file["sha256"] in page and file["name"] in page
    assert client.get("/open-data/files/1/../../settings.py").status_code == 404
    assert client.get("/open-data/files/999/victims-2024.zip").status_code == 404
