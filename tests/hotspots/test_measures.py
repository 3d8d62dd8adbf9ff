"""The Predictive Accuracy Index, the weighted displacement quotient and the emerging-hotspot classes, on cases
worked out by hand."""

import numpy as np
import pymannkendall

from observatory.hotspots.measures import emerging_hotspots, predictive_accuracy_index, weighted_displacement_quotient
from observatory.hotspots.terms import DisplacementReading, EmergingClass


def test_the_predictive_accuracy_index_of_a_hand_computed_case():
    # 10 cells, 2 of them hot spots (20% of the area); next month 12 incidents, 6 in those two cells (50%).
    hotspots = np.array([True, True, False, False, False, False, False, False, False, False])
    next_counts = np.array([4, 2, 1, 1, 1, 1, 1, 1, 0, 0])
    assert predictive_accuracy_index(hotspots=hotspots, next_counts=next_counts) == 0.5 / 0.2


def test_no_index_without_hotspots_or_next_incidents():
    assert predictive_accuracy_index(hotspots=np.zeros(4, dtype=bool), next_counts=np.ones(4)) is None
    assert predictive_accuracy_index(hotspots=np.ones(4, dtype=bool), next_counts=np.zeros(4)) is None


def test_the_displacement_quotient_of_a_hand_computed_case():
    # Area 40 -> 20, ring 30 -> 36, rest 1000 -> 1000: success -0.02, ring +0.006, WDQ -0.3: some displacement.
    quotient, reading = weighted_displacement_quotient(area=(40, 20), ring=(30, 36), rest=(1000, 1000))
    assert round(quotient, 10) == -0.3
    assert reading == DisplacementReading.DISPLACEMENT_LESS


def test_each_reading_of_the_quotient():
    def reading(ring_after: int, area_after: int = 20) -> DisplacementReading:
        return weighted_displacement_quotient(area=(40, area_after), ring=(30, ring_after), rest=(1000, 1000))[1]

    assert reading(5) == DisplacementReading.DIFFUSION_GREATER  # ring fell by 25, area by 20: WDQ 1.25
    assert reading(20) == DisplacementReading.DIFFUSION  # WDQ 0.5
    assert reading(30) == DisplacementReading.NEITHER
    assert reading(60) == DisplacementReading.DISPLACEMENT_GREATER  # WDQ -1.5
    assert reading(30, area_after=40) == DisplacementReading.NO_REDUCTION
    assert weighted_displacement_quotient(area=(4, 2), ring=(3, 3), rest=(0, 10))[1] == DisplacementReading.NO_CONTROL


def _classes(z_by_month: np.ndarray, hot_by_month: np.ndarray) -> list[str]:
    return emerging_hotspots(z_by_month=z_by_month, hot_by_month=hot_by_month, alpha=0.05, persistent_share=0.9).classes


def test_emerging_classes_of_synthetic_series():
    months = 12
    rising = np.linspace(2.0, 6.0, months)
    falling = rising[::-1]
    flat = 3 + 0.3 * np.sin(np.arange(months) * 2.1)  # hot every month, no trend
    new = np.r_[np.zeros(months - 1), 4.0]
    sporadic = np.array([3.0, 0, 0, 3.0, 0, 3.0, 0, 0, 3.0, 0, 0, 3.0])
    past = np.r_[np.full(months - 1, 4.0), 0.0]  # a hot spot until the last month
    z = np.column_stack([rising, falling, flat, new, sporadic, past, np.zeros(months)])
    assert _classes(z, z >= 1.96) == [
        EmergingClass.INTENSIFYING,
        EmergingClass.DIMINISHING,
        EmergingClass.PERSISTENT,
        EmergingClass.NEW,
        EmergingClass.SPORADIC,
        EmergingClass.NO_PATTERN,
        EmergingClass.NO_PATTERN,
    ]


def test_the_trend_is_pymannkendalls_and_kept_for_the_cells_it_decided():
    z = np.column_stack([np.linspace(2.0, 6.0, 12), np.zeros(12)])
    found = emerging_hotspots(z_by_month=z, hot_by_month=z >= 1.96, alpha=0.05, persistent_share=0.9)
    reference = pymannkendall.original_test(z[:, 0])
    assert found.tau[0] == reference.Tau and found.p[0] == reference.p
    assert np.isnan(found.tau[1]) and list(found.hot_months) == [12, 0]
