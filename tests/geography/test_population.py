import io

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from observatory.geography.models import Population, PopulationKind
from observatory.geography.selectors import mid_month_populations, population_for_month
from tests.factories import PopulationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def census_and_projection(small_hierarchy):
    unit = small_hierarchy["mixco"]
    PopulationFactory(unit=unit, year=2018, population=465_773, kind=PopulationKind.CENSUS, source="Censo 2018")
    PopulationFactory(unit=unit, year=2020, population=477_773, kind=PopulationKind.PROJECTION, source="INE proyección")
    return unit


def test_months_between_figures_are_interpolated_linearly_from_mid_year(census_and_projection):
    # Mid-January 2019 lies 6.5 of the 24 months from 1 July 2018 to 1 July 2020 (12,000 people apart).
    january = population_for_month(unit=census_and_projection, year=2019, month=1)
    assert january.method == "interpolated"
    assert january.population == pytest.approx(465_773 + 12_000 * 6.5 / 24)
    assert january.sources == ("Censo 2018", "INE proyección")

    # Mid-July 2019 is 12.5 months in.
    july = population_for_month(unit=census_and_projection, year=2019, month=7)
    assert july.population == pytest.approx(465_773 + 12_000 * 12.5 / 24)
    assert not july.is_demo


def test_outside_the_covered_years_the_nearest_figure_is_carried_and_said(census_and_projection):
    before = population_for_month(unit=census_and_projection, year=2017, month=3)
    after = population_for_month(unit=census_and_projection, year=2023, month=11)

    assert (before.population, before.method) == (465_773, "extrapolated")
    assert (after.population, after.method) == (477_773, "extrapolated")


def test_no_figures_means_no_estimate(small_hierarchy):
    assert population_for_month(unit=small_hierarchy["villa_nueva"], year=2020, month=1) is None


def test_population_csv_import_is_idempotent_and_names_bad_rows(small_hierarchy, tmp_path):
    path = tmp_path / "poblacion.csv"
    path.write_text(
        "level,code,year,population,source\n"
        "municipality,0108,2018,465773,Censo 2018\n"
        "municipality,0108,2019,471000,INE\n"
        "municipality,0199,2019,1000,INE\n"
        "municipality,0115,dos mil,1000,INE\n"
        "municipality,0115,2019,-5,INE\n"
    )
    first, second = io.StringIO(), io.StringIO()

    with translation.override("en"):
        call_command("import_populations", str(path), stdout=first)
        call_command("import_populations", str(path), stdout=second)

    first_lines = first.getvalue().splitlines()
    assert "poblacion.csv row 4, field code: no municipality with code '0199'" in first_lines[0]
    assert "poblacion.csv row 5, field year: 'dos mil' is not a year" in first_lines[1]
    assert "poblacion.csv row 6, field population: -5 must be positive" in first_lines[2]
    assert first_lines[-1].endswith("created=2 updated=0 unchanged=0 rejected=3 warnings=0")
    assert second.getvalue().splitlines()[-1].endswith("created=0 updated=0 unchanged=2 rejected=3 warnings=0")
    assert Population.objects.get(unit=small_hierarchy["mixco"], year=2019).source == "INE"


def test_population_that_jumps_implausibly_is_flagged(small_hierarchy, tmp_path):
    path = tmp_path / "salto.csv"
    path.write_text("level,code,year,population\nmunicipality,0108,2011,6136000\nmunicipality,0108,2012,8050000\n")
    output = io.StringIO()

    with translation.override("en"):
        call_command("import_populations", str(path), stdout=output)

    assert "warning: Mixco (municipality 0108): 2011 6,136,000 → 2012 8,050,000 is +31.2% a year" in output.getvalue()


def test_populations_by_sex_and_age_band_are_imported_beside_the_totals_once(small_hierarchy, tmp_path):
    path = tmp_path / "poblacion_por_grupo.csv"
    path.write_text(
        "level,code,year,sex,age_band,population,kind,source\n"
        "municipality,0108,2020,,,477773,projection,INE\n"
        "municipality,0108,2020,M,15-19,24310,projection,INE\n"
        "municipality,0108,2020,f,15-19,25002,projection,INE\n"
        "municipality,0108,2020,M,,230101,projection,INE\n"
        "municipality,0108,2020,,80+,6120,projection,INE\n"
        "municipality,0115,2020,F,80+,0,projection,INE\n"
    )
    first, second = io.StringIO(), io.StringIO()

    call_command("import_populations", str(path), stdout=first)
    call_command("import_populations", str(path), stdout=second)

    assert first.getvalue().splitlines()[-1].endswith("created=6 updated=0 unchanged=0 rejected=0 warnings=0")
    assert second.getvalue().splitlines()[-1].endswith("created=0 updated=0 unchanged=6 rejected=0 warnings=0")
    figures = set(Population.objects.filter(unit=small_hierarchy["mixco"]).values_list("sex", "age_band", "population"))
    assert figures == {
        ("", "", 477_773),
        ("M", "15-19", 24_310),
        ("F", "15-19", 25_002),
        ("M", "", 230_101),
        ("", "80+", 6_120),
    }
    # A small area may have nobody of some sex and age.
    assert Population.objects.get(unit=small_hierarchy["villa_nueva"], sex="F", age_band="80+").population == 0
    # The unit's population, as the map and the API give it, is still everyone's.
    assert population_for_month(unit=small_hierarchy["mixco"], year=2020, month=7).population == 477_773


def test_group_rows_with_a_sex_or_age_band_the_indicators_do_not_use_are_refused_by_file_row_and_field(
    small_hierarchy, tmp_path
):
    path = tmp_path / "grupos.csv"
    path.write_text(
        "level,code,year,sex,age_band,population\n"
        "municipality,0108,2020,M,15-19,24310\n"
        "municipality,0108,2020,U,15-19,10\n"
        "municipality,0108,2020,H,15-19,10\n"
        "municipality,0108,2020,F,15-20,10\n"
        "municipality,0108,2020,F,85+,10\n"
        "municipality,0108,2020,M,15-19,24999\n"
        "municipality,0108,2020,,,0\n"
    )
    output = io.StringIO()

    with translation.override("en"):
        call_command("import_populations", str(path), stdout=output)

    lines = output.getvalue().splitlines()
    assert lines[:6] == [
        "rejected: grupos.csv row 3, field sex: 'U' (unknown sex) has no population: use M, F, or blank for everyone",
        "rejected: grupos.csv row 4, field sex: 'H' is not a sex: use M, F, or blank for everyone",
        "rejected: grupos.csv row 5, field age_band: '15-20' is not a 5-year age band: use 00-04, 05-09 ... 80+, "
        "or blank for all ages",
        "rejected: grupos.csv row 6, field age_band: '85+' is not a 5-year age band: use 00-04, 05-09 ... 80+, "
        "or blank for all ages",
        "rejected: grupos.csv row 7: the same unit, year, sex and age band as row 2",
        "rejected: grupos.csv row 8, field population: 0 must be positive",
    ]
    assert lines[-1].endswith("created=1 updated=0 unchanged=0 rejected=6 warnings=0")
    assert Population.objects.get(unit=small_hierarchy["mixco"], sex="M", age_band="15-19").population == 24_310
    spanish = io.StringIO()
    with translation.override("es"):
        call_command("import_populations", str(path), stdout=spanish)
    assert (
        "grupos.csv, fila 3, campo sex: «U» (sexo desconocido) no tiene población: use M, F, o vacío para toda "
        "la población"
    ) in spanish.getvalue()


def test_a_group_whose_figure_jumps_is_flagged_and_groups_are_not_compared_with_each_other(small_hierarchy, tmp_path):
    path = tmp_path / "saltos.csv"
    path.write_text(
        "level,code,year,sex,age_band,population\n"
        "municipality,0108,2011,,,465000\n"
        "municipality,0108,2012,,,470000\n"
        "municipality,0108,2011,M,15-19,20000\n"
        "municipality,0108,2012,M,15-19,28000\n"
        "municipality,0108,2012,F,15-19,24000\n"
    )
    output = io.StringIO()

    with translation.override("en"):
        call_command("import_populations", str(path), stdout=output)

    warnings = [line for line in output.getvalue().splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: Mixco (municipality 0108), M 15-19: 2011 20,000 → 2012 28,000 is +40.0% a year; check the figure"
    ]


def test_population_file_without_required_columns_is_refused(small_hierarchy, tmp_path):
    path = tmp_path / "mal.csv"
    path.write_text("codigo,anio,poblacion\n0108,2019,1\n")

    with pytest.raises(CommandError, match=r"mal.csv: missing column\(s\) level, code, year, population"):
        call_command("import_populations", str(path))


def test_population_is_interpolated_between_mid_year_figures_and_carried_outside_them():
    # Month numbers are year x 12 + month - 1: January 2020, January 2021, July 2021, December 2022.
    months = np.array([2020 * 12, 2021 * 12, 2021 * 12 + 6, 2022 * 12 + 11])
    figures = mid_month_populations(figures={2020: 100_000, 2021: 112_000}, months=months)
    # Mid-January 2021 is 6.5 months after 1 July 2020: 100,000 + 12,000 x 6.5 / 12 = 106,500.
    # Mid-July 2021 is half a month after 1 July 2021: the last figure is carried, not extrapolated.
    assert figures.tolist() == [100_000, 106_500, 112_000, 112_000]
    assert np.isnan(mid_month_populations(figures={}, months=months)).all()
