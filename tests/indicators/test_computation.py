"""Computing a vintage over a small country and reading it back through the export command."""

from datetime import date

import pytest
from django.utils import timezone, translation

from observatory.indicators.models import DiscrepancySeries, MonthlySeries, UndercountEstimate, Vintage
from observatory.indicators.services import vintage_now
from observatory.indicators.terms import UnitLevel
from observatory.reconciliation.models import Victim

from .conftest import export, record, row_of, victim

pytestmark = pytest.mark.django_db


def full() -> Vintage:
    vintage = vintage_now(kind=Vintage.Kind.FULL)
    assert vintage.status == Vintage.Status.DONE, vintage.error
    return vintage


def test_counts_populations_and_rates_of_a_municipality_month(country):
    for day in (3, 9, 21):
        record(source="police", on=date(2024, 1, day), municipality=country["mixco"])
    record(source="police", on=date(2024, 2, 2), municipality=country["mixco"], category="robbery")
    full()
    rows = export(level="municipality", basis="police", category="homicide")
    january = row_of(rows, unit="0108", month="2024-01")
    # Mid-January 2024 lies 6.5 months after 1 July 2023: 120,000 + 12,000 x 6.5 / 12 = 126,500.
    assert january["count"] == "3" and january["population"] == "126500"
    assert float(january["rate"]) == pytest.approx(3 / 126_500 * 100_000, abs=1e-4)
    assert float(january["annual_rate"]) == pytest.approx(12 * 3 / 126_500 * 100_000, abs=1e-4)
    assert float(january["rate_low"]) < float(january["rate"]) < float(january["rate_high"])
    assert january["unstable"] == "true"
    # February has no homicide in Mixco: a zero. The police sent nothing from Villa Nueva: no data, not a zero.
    assert row_of(rows, unit="0108", month="2024-02")["count"] == "0"
    assert row_of(rows, unit="0115", month="2024-01")["count"] == ""
    assert row_of(rows, unit="0115", month="2024-01")["coverage"] == "0"
    assert row_of(rows, unit="0115", month="2024-01")["population"] == "63250"


def test_departments_and_the_country_add_up_and_unplaced_records_count_only_for_the_country(country):
    record(source="coroner", on=date(2024, 3, 1), municipality=country["mixco"])
    record(source="coroner", on=date(2024, 3, 2), municipality=country["villa_nueva"])
    record(source="coroner", on=date(2024, 3, 3), municipality=country["palin"])
    record(source="coroner", on=date(2024, 3, 4), municipality=None)
    full()
    departments = export(level="department", basis="coroner", category="homicide")
    assert row_of(departments, unit="01", month="2024-03")["count"] == "2"
    assert row_of(departments, unit="05", month="2024-03")["count"] == "1"
    # Department 01 has no figures of its own: the sum of its municipalities (126,500 + ... in March 2024).
    assert row_of(departments, unit="01", month="2024-03")["population"] == str(
        round(120_000 + 12_000 * 8.5 / 12) + round(60_000 + 6_000 * 8.5 / 12)
    )
    assert row_of(departments, unit="05", month="2024-03")["rate"] == ""  # Escuintla: no population
    national = export(level="country", basis="coroner", category="homicide")
    assert row_of(national, unit="GT", month="2024-03")["count"] == "4"


def test_femicide_unidentified_bodies_and_clandestine_graves_are_series_of_their_own(country):
    record(source="police", on=date(2024, 5, 1), municipality=country["mixco"], is_femicide=True, sex="F")
    record(
        source="coroner",
        on=date(2024, 5, 2),
        municipality=country["mixco"],
        is_unidentified=True,
        place_type="clandestine_grave",
    )
    record(
        source="hospital",
        on=date(2024, 5, 2),
        municipality=country["mixco"],
        category="assault_injury",
        is_unidentified=True,
    )
    full()
    assert (
        row_of(export(level="municipality", basis="police", category="femicide"), unit="0108", month="2024-05")["count"]
        == "1"
    )
    assert (
        row_of(
            export(level="municipality", basis="coroner", category="unidentified_body"), unit="0108", month="2024-05"
        )["count"]
        == "1"
    )
    assert (
        row_of(
            export(level="municipality", basis="coroner", category="clandestine_grave"), unit="0108", month="2024-05"
        )["count"]
        == "1"
    )
    # An unidentified patient who survived is not a body.
    assert not MonthlySeries.objects.filter(basis="hospital", series="unidentified_body").exists()


def test_homicides_by_sex_and_age_band_at_national_level(country):
    record(source="coroner", on=date(2024, 6, 1), municipality=country["mixco"], sex="M", age_years=23)
    record(source="coroner", on=date(2024, 6, 2), municipality=country["mixco"], sex="M", age_years=24.5)
    record(source="coroner", on=date(2024, 6, 3), municipality=country["palin"], sex="F", age_years=81)
    record(source="coroner", on=date(2024, 6, 4), municipality=country["palin"], sex="F", age_years=None)
    full()
    assert (
        row_of(
            export(level="country", basis="coroner", category="homicide", sex="M", age_band="20-24"),
            unit="GT",
            month="2024-06",
        )["count"]
        == "2"
    )
    assert (
        row_of(
            export(level="country", basis="coroner", category="homicide", sex="F", age_band="80+"),
            unit="GT",
            month="2024-06",
        )["count"]
        == "1"
    )
    assert (
        row_of(export(level="country", basis="coroner", category="homicide", sex="F"), unit="GT", month="2024-06")[
            "count"
        ]
        == "2"
    )
    assert (
        row_of(
            export(level="country", basis="coroner", category="homicide", age_band="unknown"),
            unit="GT",
            month="2024-06",
        )["count"]
        == "1"
    )


def test_overlap_patterns_and_conflicts_from_the_victims(country):
    mixco, villa_nueva = country["mixco"], country["villa_nueva"]
    on = date(2024, 7, 10)
    victim(record(source="police", on=on, municipality=mixco))
    victim(record(source="coroner", on=on, municipality=mixco))
    victim(record(source="coroner", on=on, municipality=mixco))
    victim(record(source="police", on=on, municipality=mixco), record(source="coroner", on=on, municipality=mixco))
    victim(
        record(source="police", on=on, municipality=mixco),
        record(source="coroner", on=on, municipality=mixco),
        record(source="hospital", on=on, municipality=mixco, category="assault_injury"),
    )
    # Police filed it as a death under investigation, the coroner as a homicide.
    victim(
        record(source="police", on=on, municipality=mixco, category="undetermined_death"),
        record(source="coroner", on=on, municipality=mixco),
    )
    # Dates five days apart, and two municipalities.
    victim(
        record(source="police", on=on, municipality=mixco),
        record(source="coroner", on=date(2024, 7, 15), municipality=villa_nueva),
    )
    full()
    series = DiscrepancySeries.objects.get(
        level=UnitLevel.MUNICIPALITY, unit_id=mixco.pk, series="homicide", valid_to__isnull=True
    )
    july = 0  # the only month with data
    assert series.victims[july] == 7
    assert {pattern: counts[july] for pattern, counts in series.overlap.items()} == {
        "police": 1,
        "coroner": 2,
        "coroner+police": 3,
        "coroner+hospital+police": 1,
    }
    assert series.classification_conflicts[july] == 1
    assert series.date_conflicts[july] == 1
    assert series.place_conflicts[july] == 1
    # Per source: records of the series in the unit and month, beside the victims.
    assert (
        row_of(export(level="municipality", basis="coroner", category="homicide"), unit="0108", month="2024-07")[
            "count"
        ]
        == "5"
    )


def test_an_incremental_vintage_revises_only_what_changed_and_earlier_vintages_stay_readable(country):
    record(source="police", on=date(2024, 1, 5), municipality=country["mixco"])
    record(source="police", on=date(2024, 2, 5), municipality=country["villa_nueva"])
    first = full()
    series_before = MonthlySeries.objects.filter(valid_to__isnull=True).count()
    record(source="police", on=date(2024, 2, 20), municipality=country["villa_nueva"])
    second = vintage_now(kind=Vintage.Kind.INCREMENTAL)
    assert second.status == Vintage.Status.DONE and second.first_month == date(2024, 2, 1)
    # Villa Nueva's homicides, its department's and the country's changed (their totals, and at the department
    # and the country also the breakdowns by sex and age band); Mixco's did not.
    revised = set(MonthlySeries.objects.filter(valid_from=second, sex="", age_band="").values_list("level", "unit_id"))
    assert revised == {
        ("municipality", country["villa_nueva"].pk),
        ("department", country["department"].pk),
        ("country", country["country"].pk),
    }
    assert second.rows_added == second.rows_retired == 9
    assert MonthlySeries.objects.filter(valid_to__isnull=True).count() == series_before
    now = export(level="municipality", basis="police", category="homicide")
    then = export(level="municipality", basis="police", category="homicide", vintage=first.pk)
    assert row_of(now, unit="0115", month="2024-02")["count"] == "2"
    assert row_of(then, unit="0115", month="2024-02")["count"] == "1"
    assert row_of(now, unit="0108", month="2024-01")["vintage"] == str(second.pk)
    # The same figures again: an unchanged recomputation writes nothing.
    third = full()
    assert third.rows_added == third.rows_retired == 0


def test_a_vintage_ends_with_its_whole_progress_and_one_that_found_nothing_changed_says_so(country):
    record(source="police", on=date(2024, 1, 5), municipality=country["mixco"])
    with translation.override("en"):
        first = full()
        unchanged = vintage_now(kind=Vintage.Kind.INCREMENTAL)
    assert (first.progress, first.progress_note, first.attempts) == (1.0, "Done", 1)
    assert (unchanged.status, unchanged.progress, unchanged.progress_note) == (
        Vintage.Status.DONE,
        1.0,
        f"Nothing changed since vintage #{first.pk}",
    )


def test_an_incremental_vintage_extends_the_months_and_equals_a_full_recomputation(country):
    record(source="police", on=date(2024, 1, 5), municipality=country["mixco"])
    full()
    record(source="police", on=date(2024, 4, 5), municipality=country["mixco"])
    victim(record(source="coroner", on=date(2024, 4, 6), municipality=country["palin"]))
    vintage_now(kind=Vintage.Kind.INCREMENTAL)
    incremental = {
        (row.level, row.unit_id, row.series, row.basis, row.sex, row.age_band): row.digest
        for row in MonthlySeries.objects.filter(valid_to__isnull=True)
    }
    discrepancies = set(DiscrepancySeries.objects.filter(valid_to__isnull=True).values_list("digest", flat=True))
    again = full()
    assert again.rows_added == again.rows_retired == 0, "a full recomputation changed what the incremental wrote"
    assert len(incremental) == MonthlySeries.objects.filter(valid_to__isnull=True).count()
    assert discrepancies == set(
        DiscrepancySeries.objects.filter(valid_to__isnull=True).values_list("digest", flat=True)
    )


def test_an_incremental_vintage_recounts_months_apart_and_the_month_of_a_retired_victim_as_a_full_one_would(country):
    record(source="police", on=date(2024, 1, 5), municipality=country["mixco"])
    retired = victim(record(source="coroner", on=date(2024, 2, 10), municipality=country["villa_nueva"]))
    staying = victim(record(source="coroner", on=date(2024, 2, 15), municipality=country["mixco"]))
    victim(record(source="coroner", on=date(2024, 3, 3), municipality=country["mixco"]))
    full()
    record(source="police", on=date(2024, 1, 20), municipality=country["villa_nueva"])
    record(source="police", on=date(2024, 6, 2), municipality=country["mixco"], category="sexual_violence")
    # Retired without saving the victim: only its retirement time says it changed.
    Victim.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    incremental = vintage_now(kind=Vintage.Kind.INCREMENTAL)
    assert (incremental.first_month, incremental.last_month) == (date(2024, 1, 1), date(2024, 6, 1))
    reconciled = export(level="municipality", basis="reconciled", category="homicide")
    assert row_of(reconciled, unit="0115", month="2024-02")["count"] == "0"
    assert row_of(reconciled, unit="0108", month="2024-02")["count"] == "1"
    assert (
        row_of(export(level="municipality", basis="police", category="homicide"), unit="0115", month="2024-01")["count"]
        == "1"
    )
    again = full()
    assert again.rows_added == again.rows_retired == 0, "a full recomputation changed what the incremental wrote"
    # February's last victim goes: the reconciled series start in March, as a full computation's would.
    Victim.objects.filter(pk=staying.pk).update(retired_at=timezone.now())
    vintage_now(kind=Vintage.Kind.INCREMENTAL)
    reconciled = export(level="municipality", basis="reconciled", category="homicide")
    assert min(row["month"] for row in reconciled) == "2024-03"
    again = full()
    assert again.rows_added == again.rows_retired == 0, "a full recomputation changed what the incremental wrote"


def test_undercount_is_estimated_per_year_and_department_from_the_overlap_and_refused_where_too_few(country):
    patterns = {
        ("police",): 20,
        ("coroner",): 15,
        ("hospital",): 5,
        ("coroner", "police"): 40,
        ("hospital", "police"): 8,
        ("coroner", "hospital"): 6,
        ("coroner", "hospital", "police"): 12,
    }
    number = 0
    for sources, count in patterns.items():
        for _ in range(count):
            on = date(2023, 1 + number % 12, 1 + number % 28)
            victim(*(record(source=source, on=on, municipality=country["mixco"]) for source in sources))
            number += 1
    victim(
        record(source="police", on=date(2023, 6, 1), municipality=country["palin"]),
        record(source="coroner", on=date(2023, 6, 1), municipality=country["palin"]),
    )
    vintage = full()
    department = UndercountEstimate.objects.get(
        vintage=vintage, level="department", unit_id=country["department"].pk, series="homicide", year=2023
    )
    assert department.status == UndercountEstimate.Status.ESTIMATED
    assert department.observed == 106
    assert department.pattern_counts == {
        "police": 20,
        "coroner": 15,
        "hospital": 5,
        "coroner+police": 40,
        "hospital+police": 8,
        "coroner+hospital": 6,
        "coroner+hospital+police": 12,
    }
    assert 106 <= department.estimate_low <= department.estimate <= department.estimate_high
    assert department.model and department.detail["models"] and department.detail["assumptions"]
    escuintla = UndercountEstimate.objects.get(vintage=vintage, level="department", unit_id=country["escuintla"].pk)
    assert escuintla.status == UndercountEstimate.Status.REFUSED and escuintla.estimate is None
    assert escuintla.reason_code == "empty_list" and escuintla.reason  # no hospital recorded anyone there
    # Nothing changed in 2023: the next vintage estimates nothing again.
    record(source="police", on=date(2023, 12, 30), municipality=country["mixco"], category="robbery")
    later = vintage_now(kind=Vintage.Kind.INCREMENTAL)
    assert not UndercountEstimate.objects.filter(vintage=later).exists()


def test_an_incremental_vintage_audits_only_the_months_it_recounts_and_suppresses_as_a_full_one_would(
    country, settings
):
    # Small counts of a protected series in three months, in two municipalities of one department.
    for month in (1, 2, 3):
        for day, place in enumerate(["mixco", "mixco", "villa_nueva"][:month], start=1):
            record(source="police", on=date(2024, month, day), municipality=country[place], category="sexual_violence")
    first = full()
    assert first.disclosure_audit["months"] == 3 and first.disclosure_audit["cells"] > 0
    record(source="police", on=date(2024, 3, 20), municipality=country["mixco"], category="sexual_violence")
    second = vintage_now(kind=Vintage.Kind.INCREMENTAL)
    assert second.status == Vintage.Status.DONE, second.error
    # Only March was recounted, so only March was suppressed and audited again; January and February kept theirs.
    assert second.disclosure_audit["months"] == 1
    assert second.disclosure_audit["cells"] < first.disclosure_audit["cells"]
    again = full()
    assert again.rows_added == again.rows_retired == 0, "a full recomputation suppressed otherwise"
    # Other rules: the published suppression cannot be kept, every month is done again.
    settings.INDICATORS_SUPPRESS_BELOW = 3
    record(source="police", on=date(2024, 3, 21), municipality=country["mixco"], category="sexual_violence")
    third = vintage_now(kind=Vintage.Kind.INCREMENTAL)
    assert third.disclosure_audit["months"] == 3
