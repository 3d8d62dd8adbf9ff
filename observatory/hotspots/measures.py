"""How much a hotspot map is worth and where the incidents went: the Predictive Accuracy Index, emerging hotspots
over months and the weighted displacement quotient. Plain arithmetic on arrays, checked by hand in the tests."""

from dataclasses import dataclass

import numpy as np

from .terms import DisplacementReading, EmergingClass


def predictive_accuracy_index(*, hotspots: np.ndarray, next_counts: np.ndarray) -> float | None:
    """Chainey, Tompson & Uhlig's PAI: the share of the next period's incidents that fall in this period's hotspot
    cells over the hotspots' share of the area (cells of one size). None without hotspots or next incidents."""
    hotspots = np.asarray(hotspots, dtype=bool)
    next_counts = np.asarray(next_counts)
    if not hotspots.any() or next_counts.sum() == 0:
        return None
    incident_share = next_counts[hotspots].sum() / next_counts.sum()
    area_share = hotspots.sum() / len(hotspots)
    return float(incident_share / area_share)


@dataclass(frozen=True)
class Emerging:
    """Per cell: its class, months as a hot spot, and the Mann-Kendall tau and p of its z-scores (NaN where the
    class did not need the test)."""

    classes: list[str]
    hot_months: np.ndarray
    tau: np.ndarray
    p: np.ndarray


def emerging_hotspots(*, z_by_month: np.ndarray, hot_by_month: np.ndarray, alpha: float, persistent_share: float):
    """The classes of cells (columns) from their monthly Gi* z-scores and hot-spot flags (rows: months, oldest
    first), after ArcGIS's Emerging Hot Spot Analysis, simplified: a cell not a hot spot in the last month has no
    pattern; one that is a hot spot in the last month only is new; in at least `persistent_share` of the months it is
    intensifying, diminishing or persistent as the Mann-Kendall test of its z-scores finds a rising, falling or no
    trend at `alpha`; in fewer, sporadic."""
    import pymannkendall  # heavy (loads scipy): the web process must not load it at start-up

    hot = np.asarray(hot_by_month, dtype=bool)
    months, cells = hot.shape
    hot_months = hot.sum(axis=0)
    tau, p = np.full(cells, np.nan), np.full(cells, np.nan)
    classes = [EmergingClass.NO_PATTERN.value] * cells
    for cell in np.flatnonzero(hot[-1]):
        if hot_months[cell] == 1:
            classes[cell] = EmergingClass.NEW
        elif hot_months[cell] >= persistent_share * months:
            test = pymannkendall.original_test(z_by_month[:, cell], alpha=alpha)
            tau[cell], p[cell] = test.Tau, test.p
            classes[cell] = {"increasing": EmergingClass.INTENSIFYING, "decreasing": EmergingClass.DIMINISHING}.get(
                test.trend, EmergingClass.PERSISTENT
            )
        else:
            classes[cell] = EmergingClass.SPORADIC
    return Emerging(classes=[str(value) for value in classes], hot_months=hot_months, tau=tau, p=p)


def weighted_displacement_quotient(
    *, area: tuple[int, int], ring: tuple[int, int], rest: tuple[int, int]
) -> tuple[float | None, DisplacementReading]:
    """Bowers & Johnson (2003): each argument is (before, after) counts. The success measure A_a/C_a - A_b/C_b must be
    negative (incidents fell in the area relative to the control, here the rest of the study area); then
    WDQ = (B_a/C_a - B_b/C_b) / (A_a/C_a - A_b/C_b), the ring's change over the area's."""
    (area_before, area_after), (ring_before, ring_after), (rest_before, rest_after) = area, ring, rest
    if rest_before == 0 or rest_after == 0:
        return None, DisplacementReading.NO_CONTROL
    success = area_after / rest_after - area_before / rest_before
    if success >= 0:
        return None, DisplacementReading.NO_REDUCTION
    quotient = (ring_after / rest_after - ring_before / rest_before) / success
    if quotient > 1:
        reading = DisplacementReading.DIFFUSION_GREATER
    elif quotient > 0:
        reading = DisplacementReading.DIFFUSION
    elif quotient == 0:
        reading = DisplacementReading.NEITHER
    elif quotient >= -1:
        reading = DisplacementReading.DISPLACEMENT_LESS
    else:
        reading = DisplacementReading.DISPLACEMENT_GREATER
    return float(quotient), reading
