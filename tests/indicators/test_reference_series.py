"""El Salvador's published homicide series 1995-2012 (UNODC, PNC data) against the observatory's arithmetic."""

import csv
import io

import pytest
from django.core.management import call_command

from observatory.geography.models import Level
from observatory.geography.services.populations import populations_import
from observatory.indicators.reference import reference_series_check
from tests.factories import AdminUnitFactory, square

PUBLISHED = {
    1995: (7977, 139.1),
    1996: (6792, 117.3),
    1997: (6573, 112.6),
    1998: (5584, 95.0),
    1999: (3845, 65.0),
    2000: (3551, 59.8),
    2001: (3590, 60.2),
    2002: (2835, 47.3),
    2003: (3356, 55.9),
    2004: (3897, 64.6),
    2005: (3778, 62.4),
    2006: (3928, 64.7),
    2007: (3497, 57.3),
    2008: (3179, 51.9),
    2009: (4349, 70.6),
    2010: (4005, 64.7),
    2011: (4308, 70.2),
    2012: (2576, 32.0),
}


def test_every_published_rate_is_reproduced_to_one_decimal_and_only_2012_is_flagged():
    years = reference_series_check()
    assert {year.year: (year.count, year.published_rate) for year in years} == PUBLISHED
    assert all(year.reproduced for year in years), [year for year in years if not year.reproduced]
    assert [year.year for year in years if year.population_flag] == [2012]


def test_the_command_prints_the_check_and_its_summary():
    out = io.StringIO()
    call_command("check_reference_series", stdout=out)
    lines = out.getvalue().strip().splitlines()
    rows = {row["year"]: row for row in csv.DictReader(lines[:-1])}
    assert rows["1995"]["reproduced_rate"] == "139.1" and rows["1995"]["reproduced"] == "yes"
    assert rows["2012"]["population_check"].startswith("+31.2% a year after 2011")
    assert lines[-1] == "reproduced=18/18 population_flags=2012"


@pytest.mark.django_db
def test_the_population_import_flags_the_2012_population_the_rate_implies(tmp_path):
    AdminUnitFactory(level=Level.COUNTRY, code="SV", name="El Salvador", boundary=square(-90, 13, 2))
    path = tmp_path / "el_salvador.csv"
    path.write_text(
        "level,code,year,population\n"
        + "".join(f"country,SV,{year.year},{year.implied_population}\n" for year in reference_series_check()),
        encoding="utf-8",
    )
    report = populations_import(path=path)
    assert report.created == 18
    assert len(report.warnings) == 1 and "2011 6,136,752 → 2012 8,050,000" in report.warnings[0]
