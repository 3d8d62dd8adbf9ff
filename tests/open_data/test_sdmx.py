"""SDMX-CSV of the monthly figures, read back by an SDMX library with the structure the API publishes."""

import io
from datetime import date

import pytest
import sdmx
from sdmx.reader.csv import Reader

from .conftest import publish, record

pytestmark = pytest.mark.django_db


def _read_back(client, **query):
    structure = sdmx.read_sdmx(io.BytesIO(client.get("/api/v1/indicators/sdmx/structure/").content))
    dataflow = structure.dataflow["DF_CRIME_MONTHLY"]
    response = client.get("/api/v1/indicators/sdmx/", query)
    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    message = Reader().convert(io.BytesIO(b"".join(response.streaming_content)), structure=dataflow)
    return {
        tuple(obs.dimension.values[dim].value for dim in ("REF_AREA", "SOURCE", "UNIT_MEASURE", "TIME_PERIOD")): obs
        for data_set in message.data
        for obs in data_set.obs
    }


def test_sdmx_csv_reads_back_with_the_counts_rates_and_suppression_of_the_monthly_api(client, country):
    for day in (3, 9, 21):
        record(source="police", on=date(2024, 1, day), municipality=country["mixco"])
    record(source="police", on=date(2024, 2, 2), municipality=country["palin"], category="sexual_violence")
    record(source="police", on=date(2024, 6, 30), municipality=country["villa_nueva"])  # January is final then
    publish()
    homicides = _read_back(client, level="municipality", unit="0108", category="homicide", basis="police")
    january = homicides[("MUNICIPALITY_0108", "POLICE", "NUMBER", "2024-01")]
    assert january.value == "3" and january.attached_attribute["CONF_STATUS"].value == "F"
    assert {dim.id: dim.value for dim in january.dimension} == {
        "REF_AREA": "MUNICIPALITY_0108",
        "INDICATOR": "HOMICIDE",
        "SEX": "_T",
        "AGE": "_T",
        "SOURCE": "POLICE",
        "UNIT_MEASURE": "NUMBER",
        "TIME_PERIOD": "2024-01",
    }
    monthly = client.get(
        "/api/v1/indicators/monthly/",
        {"level": "municipality", "unit": "0108", "category": "homicide", "basis": "police"},
    ).json()["results"][0]["months"][0]
    rate = homicides[("MUNICIPALITY_0108", "POLICE", "PER_100000_YEAR", "2024-01")]
    assert float(rate.value) == pytest.approx(monthly["annual_rate"], rel=1e-4)
    assert float(rate.attached_attribute["LOWER_BOUND"].value) == pytest.approx(monthly["annual_rate_low"], rel=1e-4)
    assert rate.attached_attribute["OBS_STATUS"].value == "U"  # fewer than 20 events
    protected = _read_back(client, level="municipality", unit="0503", category="sexual_violence", basis="police")
    hidden = protected[("MUNICIPALITY_0503", "POLICE", "NUMBER", "2024-02")]
    assert hidden.value in ("", None) and hidden.attached_attribute["CONF_STATUS"].value == "C"
