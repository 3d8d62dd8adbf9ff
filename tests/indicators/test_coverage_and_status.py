"""Truthful figures: no data where no source looked (not a zero), the share of an aggregate covered, and the
months a source has not finished sending marked provisional, on every page, in the API and in the CSV."""

from datetime import date

import pytest

from observatory.accounts.roles import Role
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from observatory.records.models import SourceCoverage
from tests.factories import UserFactory

from .conftest import export, record, row_of, victim

pytestmark = pytest.mark.django_db
MONTHLY = "/api/v1/indicators/monthly/"


def full() -> Vintage:
    vintage = vintage_now(kind=Vintage.Kind.FULL)
    assert vintage.status == Vintage.Status.DONE, vintage.error
    return vintage


def api_months(client, **query) -> dict[str, dict]:
    series = client.get(MONTHLY, {"category": "homicide", **query}).json()["results"]
    assert len(series) == 1
    return {month["month"]: month for month in series[0]["months"]}


def declare(source: str, *units, first: date, last: date | None = None) -> SourceCoverage:
    coverage = SourceCoverage.objects.create(source_id=source, first_month=first, last_month=last)
    coverage.units.add(*units)
    return coverage


def test_an_uncovered_municipality_is_no_data_on_the_page_in_the_api_and_the_csv_and_a_covered_one_keeps_its_zeros(
    client, country
):
    record(source="police", on=date(2024, 1, 3), municipality=country["mixco"])
    record(source="police", on=date(2024, 3, 3), municipality=country["mixco"])
    full()

    rows = export(level="municipality", basis="police", category="homicide")
    assert row_of(rows, unit="0108", month="2024-02")["count"] == "0"
    assert row_of(rows, unit="0108", month="2024-02")["coverage"] == "1"
    palin = row_of(rows, unit="0503", month="2024-02")
    assert (palin["count"], palin["rate"], palin["rate_low"], palin["coverage"], palin["status"]) == (
        "",
        "",
        "",
        "0",
        "",
    )
    months = api_months(client, level="municipality", unit="0503", basis="police")
    assert months["2024-02"]["count"] is None and months["2024-02"]["rate"] is None
    assert months["2024-02"]["annual_rate_high"] is None and months["2024-02"]["coverage"] == 0
    assert api_months(client, level="municipality", unit="0108", basis="police")["2024-02"]["count"] == 0
    page = client.get("/indicators/", {"level": "municipality", "unit": "0503", "basis": "police"}).content.decode()
    assert page.count('<span class="no-data">sin datos</span>') == 3
    csv_download = (
        client.get("/indicators/", {"level": "municipality", "unit": "0503", "basis": "police", "format": "csv"})
        .content.decode()
        .splitlines()
    )
    assert csv_download[2].startswith("0503,Palín,municipality,2024-02,homicide,police,,,,")


def test_declared_coverage_overrides_what_the_records_suggest(client, country):
    record(source="police", on=date(2024, 1, 3), municipality=country["mixco"])
    declare("police", country["villa_nueva"], first=date(2023, 1, 1))
    full()

    rows = export(level="municipality", basis="police", category="homicide")
    assert row_of(rows, unit="0115", month="2024-01")["count"] == "0"  # declared, silent: a true zero
    assert row_of(rows, unit="0108", month="2024-01")["count"] == ""  # not declared: no data, record or not
    assert Vintage.objects.get().coverage_notes["police"]["kind"] == "declared"


def test_a_department_partly_covered_says_what_share_of_its_population_is_covered(client, country):
    record(source="coroner", on=date(2024, 1, 3), municipality=country["mixco"])
    full()

    departments = export(level="department", basis="coroner", category="homicide")
    # Mixco's 126,500 of the 189,750 people of department 01 in mid-January 2024.
    assert row_of(departments, unit="01", month="2024-01")["coverage"] == "0.667"
    assert row_of(departments, unit="01", month="2024-01")["count"] == "1"
    # Its rate is over the people the coroner looked at (to the permille of the share), not the whole department.
    assert row_of(departments, unit="01", month="2024-01")["population"] == "189750"
    assert float(row_of(departments, unit="01", month="2024-01")["rate"]) == pytest.approx(
        1 / 126_500 * 100_000, rel=1e-3
    )
    assert row_of(departments, unit="05", month="2024-01")["count"] == ""  # Escuintla: no data
    # Palín has no population: the country is weighed by municipalities, one of three.
    assert (
        row_of(export(level="country", basis="coroner", category="homicide"), unit="GT", month="2024-01")["coverage"]
        == "0.333"
    )
    page = client.get("/indicators/", {"level": "department", "unit": "01", "basis": "coroner"}).content.decode()
    assert "cobertura parcial: 67% de la población" in page


def test_rolling_and_year_to_date_figures_over_a_month_with_no_data_are_null(client, country):
    declare("police", country["mixco"], first=date(2023, 1, 1), last=date(2023, 6, 1))
    declare("police", country["mixco"], first=date(2023, 9, 1))
    for month in range(1, 13):
        record(source="police", on=date(2023, month, 5), municipality=country["mixco"])
        record(source="police", on=date(2024, month, 5), municipality=country["mixco"])
    full()

    rows = export(level="municipality", basis="police", category="homicide")
    assert row_of(rows, unit="0108", month="2023-07")["count"] == ""
    assert row_of(rows, unit="0108", month="2024-06")["rolling_count"] == ""  # holds July and August 2023
    assert row_of(rows, unit="0108", month="2024-09")["rolling_count"] == "12"
    assert row_of(rows, unit="0108", month="2023-12")["ytd_count"] == ""
    assert row_of(rows, unit="0108", month="2024-03")["ytd_count"] == "3"
    assert row_of(rows, unit="0108", month="2024-07")["count_year_before"] == ""
    assert row_of(rows, unit="0108", month="2024-08")["ytd_count_year_before"] == ""
    assert row_of(rows, unit="0108", month="2024-05")["ytd_count_year_before"] == "5"


def test_a_month_a_source_has_not_finished_sending_is_provisional_and_has_no_change_figure(client, country):
    for day in (date(2023, 1, 5), date(2023, 2, 5), date(2024, 1, 5), date(2024, 2, 5), date(2024, 3, 20)):
        record(source="police", on=day, municipality=country["mixco"])
    full()

    rows = export(level="municipality", basis="police", category="homicide")
    january, february = row_of(rows, unit="0108", month="2024-01"), row_of(rows, unit="0108", month="2024-02")
    # The police's data reach 20 March: January ended 49 days before, February 20.
    assert (january["status"], january["change_year_before"], january["change_ytd"]) == ("final", "0", "0")
    assert (
        february["status"],
        february["count_year_before"],
        february["change_year_before"],
        february["change_ytd"],
    ) == ("provisional", "1", "", "")
    months = api_months(client, level="municipality", unit="0108", basis="police")
    assert months["2024-02"]["status"] == "provisional" and months["2024-02"]["change_year_before"] is None
    assert months["2024-01"]["status"] == "final"
    vintage = client.get("/api/v1/indicators/vintages/").json()["results"][0]
    assert vintage["source_cutoffs"] == {"police": "2024-03-20"} and vintage["settling_days"] == 45
    page = client.get("/indicators/", {"level": "municipality", "unit": "0108", "basis": "police"}).content.decode()
    assert page.count('<tr class="provisional">') == 2
    assert "hasta el 20/03/2024" in page


def test_a_month_is_final_once_the_data_reach_its_end_plus_the_settling_days(settings, country):
    settings.INDICATORS_SETTLING_DAYS = 20
    for day in (date(2024, 1, 5), date(2024, 2, 5), date(2024, 3, 20)):
        record(source="police", on=day, municipality=country["mixco"])
    full()

    rows = export(level="municipality", basis="police", category="homicide")
    assert row_of(rows, unit="0108", month="2024-02")["status"] == "final"  # 29 February + 20 days
    assert row_of(rows, unit="0108", month="2024-03")["status"] == "provisional"


def test_a_reconciled_figure_names_the_sources_that_covered_it_and_waits_for_the_slowest(client, country):
    victim(record(source="police", on=date(2024, 1, 5), municipality=country["mixco"]))
    victim(record(source="coroner", on=date(2024, 1, 10), municipality=country["villa_nueva"]))
    victim(record(source="coroner", on=date(2024, 5, 20), municipality=country["villa_nueva"]))
    full()

    rows = export(level="municipality", basis="reconciled", category="homicide")
    # The police cover Mixco in January only (their one month of records); the coroner Villa Nueva in January-May.
    assert row_of(rows, unit="0108", month="2024-01")["covering_sources"] == "police"
    assert row_of(rows, unit="0108", month="2024-02")["count"] == ""
    assert row_of(rows, unit="0115", month="2024-01")["covering_sources"] == "coroner"
    department = row_of(export(level="department", basis="reconciled", category="homicide"), unit="01", month="2024-01")
    assert department["covering_sources"] == "coroner+police" and department["coverage"] == "1"
    # The police's data reach 5 January, so their January is still provisional.
    assert department["status"] == "provisional"


def test_the_discrepancy_report_opens_on_the_latest_final_month(client, country):
    for day in (date(2024, 1, 10), date(2024, 3, 20)):
        victim(
            record(source="police", on=day, municipality=country["mixco"]),
            record(source="coroner", on=day, municipality=country["mixco"]),
        )
    full()

    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get("/indicators/discrepancies/").content.decode()
    assert "Discrepancias entre fuentes, 2024-01" in page


@pytest.mark.parametrize(
    ("page", "api"),
    [
        ("/indicators/coverage/", "/api/v1/indicators/coverage/"),
        ("/indicators/undercount/", "/api/v1/indicators/undercount/"),
    ],
)
def test_the_coverage_and_undercount_pages_link_their_table_as_csv_and_api_calls_that_answer(
    client, country, page, api
):
    record(source="police", on=date(2024, 1, 3), municipality=country["mixco"])
    vintage = full()

    html = client.get(page).content.decode()

    csv_link = f"{api}?vintage={vintage.pk}&amp;format=csv"
    assert csv_link in html and f'href="{api}?vintage={vintage.pk}"' in html
    download = client.get(csv_link.replace("&amp;", "&"))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert client.get(api, {"vintage": vintage.pk}).status_code == 200
