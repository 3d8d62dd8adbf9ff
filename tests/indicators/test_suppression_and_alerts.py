"""Public small-cell suppression, and the alerts, on hand-built series."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

from observatory.geography.models import Level
from observatory.indicators.alerts import hidden_violence, spikes
from observatory.indicators.counting import KEY
from observatory.indicators.models import Alert, Vintage
from observatory.indicators.services import vintage_now
from observatory.indicators.suppression import COMPLEMENTARY, PRIMARY, suppression_matrix
from observatory.indicators.table import CountTable
from tests.factories import AdminUnitFactory, square

from .conftest import export, record, row_of, victim

pytestmark = pytest.mark.django_db


def test_small_counts_of_sexual_violence_are_hidden_with_complementary_suppression(country):
    for day in (1, 2):
        record(source="police", on=date(2024, 3, day), municipality=country["mixco"], category="sexual_violence")
    for day in range(1, 8):
        record(source="police", on=date(2024, 3, day), municipality=country["villa_nueva"], category="sexual_violence")
    for day in range(1, 7):
        record(source="police", on=date(2024, 3, day), municipality=country["palin"], category="sexual_violence")
    vintage_now(kind=Vintage.Kind.FULL)
    public = export(level="municipality", basis="police", category="sexual_violence")
    mixco = row_of(public, unit="0108", month="2024-03")
    assert mixco["count"] == "<5" and mixco["suppressed"] == "primary" and mixco["rate"] == ""
    # Department 01 publishes 9: Villa Nueva's 7 would give Mixco's 2 away, so it is hidden too.
    villa_nueva = row_of(public, unit="0115", month="2024-03")
    assert villa_nueva["count"] == "x" and villa_nueva["suppressed"] == "complementary"
    assert row_of(public, unit="0503", month="2024-03")["count"] == "6"  # alone in its department, 6 >= 5
    assert (
        row_of(export(level="department", basis="police", category="sexual_violence"), unit="01", month="2024-03")[
            "count"
        ]
        == "9"
    )
    # Operators may write the figures as computed.
    assert (
        row_of(
            export(level="municipality", basis="police", category="sexual_violence", unsuppressed=True),
            unit="0108",
            month="2024-03",
        )["count"]
        == "2"
    )
    # Homicides are not a protected series: small counts are published.
    record(source="police", on=date(2024, 3, 9), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.INCREMENTAL)
    assert (
        row_of(export(level="municipality", basis="police", category="homicide"), unit="0108", month="2024-03")["count"]
        == "1"
    )


def test_a_lone_small_part_with_no_other_part_to_hide_hides_its_total(country):
    record(source="police", on=date(2024, 3, 1), municipality=country["palin"], category="sexual_violence")
    vintage_now(kind=Vintage.Kind.FULL)
    department = row_of(
        export(level="department", basis="police", category="sexual_violence"), unit="05", month="2024-03"
    )
    # Palín is Escuintla's only municipality: Escuintla's total is Palín's count, so it is small itself.
    assert department["count"] == "<5"


def test_the_complementary_cell_among_equal_parts_does_not_depend_on_the_order_of_the_rows(country):
    """An incremental computation appends the rows of new series to the stored ones, a full one orders them by
    the counts: both must hide the same cell."""
    amatitlan = AdminUnitFactory(
        level=Level.MUNICIPALITY,
        code="0114",
        name="Amatitlán",
        parent=country["department"],
        boundary=square(-90.6, 14.4, 0.1),
    )
    counts = {
        ("municipality", country["mixco"].pk): [2, 0],
        ("municipality", country["villa_nueva"].pk): [6, 6],
        ("municipality", amatitlan.pk): [6, 7],
        ("department", country["department"].pk): [14, 13],
    }
    rows = [(level, unit, "sexual_violence", "police", "", "") for level, unit in counts]
    marks = {}
    for order in (rows, rows[::-1]):
        table = CountTable(
            keys=pd.DataFrame(order, columns=KEY),
            counts=np.array([counts[row[:2]] for row in order]),
            first_month=2024 * 12,
            coverage={"police": (2024 * 12, 2024 * 12 + 1)},
        )
        marks[tuple(order)] = {
            row[:2]: list(row_marks) for row, row_marks in zip(order, suppression_matrix(table), strict=False)
        }
    first, second = marks.values()
    assert first == second
    # Villa Nueva and Amatitlán both have 6 in January: the first in the order of the keys (the unit's id) is hidden.
    lower, higher = sorted([country["villa_nueva"].pk, amatitlan.pk])
    assert first[("municipality", country["mixco"].pk)] == [PRIMARY, 0]
    assert first[("municipality", lower)] == [COMPLEMENTARY, 0]
    assert first[("municipality", higher)] == [0, 0]


def test_children_under_eighteen_are_protected_in_the_age_breakdown(country):
    record(source="coroner", on=date(2024, 4, 1), municipality=country["mixco"], sex="M", age_years=16)
    for day in range(1, 9):
        record(source="coroner", on=date(2024, 4, day), municipality=country["mixco"], sex="M", age_years=30)
    vintage_now(kind=Vintage.Kind.FULL)
    teenager = row_of(
        export(level="country", basis="coroner", category="homicide", sex="M", age_band="15-19"),
        unit="GT",
        month="2024-04",
    )
    adults = row_of(
        export(level="country", basis="coroner", category="homicide", sex="M", age_band="30-34"),
        unit="GT",
        month="2024-04",
    )
    assert teenager["count"] == "<5"
    assert adults["count"] == "x"  # 9 men in all, 8 of them 30-34: it would reveal the 16-year-old
    assert (
        row_of(export(level="country", basis="coroner", category="homicide", sex="M"), unit="GT", month="2024-04")[
            "count"
        ]
        == "9"
    )


def test_the_spike_test_flags_a_month_far_above_the_previous_two_years():
    counts = np.array([[2] * 24 + [15] + [2], [2] * 24 + [4] + [2]])
    rows, columns, observed, expected, probability = spikes(counts=counts, history=24, p_value=0.01, min_excess=3)
    assert rows.tolist() == [0] and columns.tolist() == [24]
    assert observed[0] == 15 and expected[0] == 2.0
    # P(X >= 15 | Poisson(2)), by hand: 1 - sum_{k<15} e^-2 2^k / k!
    from math import exp, factorial

    assert probability[0] == pytest.approx(1 - sum(exp(-2) * 2**k / factorial(k) for k in range(15)))


def test_a_spike_in_the_data_becomes_an_alert_for_its_municipality(country):
    start = date(2022, 1, 1)
    for month in range(24):
        for day in (3, 17):
            record(source="police", on=start + relativedelta(months=month, day=day), municipality=country["mixco"])
    for day in range(1, 16):
        record(source="police", on=date(2024, 1, day), municipality=country["mixco"])
    vintage_now(kind=Vintage.Kind.FULL)
    alert = Alert.objects.get(kind=Alert.Kind.SPIKE, basis="police")
    assert (alert.unit_id, alert.month, alert.observed, alert.expected) == (
        country["mixco"].pk,
        date(2024, 1, 1),
        15,
        2,
    )


def test_the_hidden_violence_monitor_flags_fewer_homicides_and_more_disappearances():
    homicides = np.array([[10] * 12 + [4] * 12])
    hidden = np.array([[1] * 12 + [4] * 12])
    _rows, columns, _p_fall, _p_rise, sums = hidden_violence(homicides=homicides, hidden=hidden, significance=0.05)
    assert columns.tolist() == [23]
    assert sums["homicides_before"][0] == 120 and sums["homicides_now"][0] == 48
    assert sums["hidden_before"][0] == 12 and sums["hidden_now"][0] == 48
    # Both falling is a real fall in violence, not a hidden one.
    assert len(hidden_violence(homicides=homicides, hidden=hidden[:, ::-1], significance=0.05)[0]) == 0


def test_the_hidden_violence_alert_from_reconciled_victims(country):
    start = date(2022, 1, 1)
    for month in range(24):
        on = start + relativedelta(months=month)
        for day in range(1, 11 if month < 12 else 4):
            victim(record(source="coroner", on=on + relativedelta(day=day), municipality=country["mixco"]))
        for day in range(1, 2 if month < 12 else 5):
            victim(
                record(
                    source="police",
                    on=on + relativedelta(day=day),
                    municipality=country["mixco"],
                    category="disappearance",
                ),
                category="disappearance",
            )
    vintage_now(kind=Vintage.Kind.FULL)
    alerts = Alert.objects.filter(kind=Alert.Kind.HIDDEN_VIOLENCE, month=date(2023, 12, 1))
    assert {(alert.level, alert.unit_id) for alert in alerts} >= {
        ("municipality", country["mixco"].pk),
        ("country", country["country"].pk),
    }
