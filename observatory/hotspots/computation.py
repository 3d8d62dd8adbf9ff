"""One hotspot analysis from its records to its rows, in named stages: the projection, the grid and its counts, Gi*
on the whole period and per month, emerging hotspots, the Predictive Accuracy Index, the kernel density, and the
colonias (Gi*, rates, empirical Bayes, local Moran's I)."""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext as _

from . import statistics
from .grid import Grid, grid_build, utm_srid
from .measures import emerging_hotspots, predictive_accuracy_index
from .models import HotspotAnalysis
from .selectors import Incidents, colonias_meeting, incidents_centre, incidents_of, study_area
from .terms import HOTSPOT_MIN_CONFIDENCE

Progress = Callable[[float, str], None]


@dataclass
class Computed:
    """What the stages found: per grid cell and per colonia, columns of equal length named as HotspotArea's fields;
    the months' Predictive Accuracy Index; the summary."""

    srid: int
    grid: Grid | None = None
    cells: dict[str, np.ndarray | list] = field(default_factory=dict)
    colonias: dict[str, np.ndarray | list] = field(default_factory=dict)
    periods: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def analysis_srid(*, analysis: HotspotAnalysis) -> int | None:
    """HOTSPOTS_GRID_SRID, or the UTM zone of the incidents' centre; None without incidents or jurisdiction."""
    if settings.HOTSPOTS_GRID_SRID:
        return settings.HOTSPOTS_GRID_SRID
    centre = incidents_centre(analysis=analysis)
    return utm_srid(longitude=centre[0], latitude=centre[1]) if centre else None


def analysis_compute(*, analysis: HotspotAnalysis, progress: Progress) -> Computed | None:
    """Every stage of an analysis; None when it has no incident and no jurisdiction to lay a grid on."""
    srid = analysis_srid(analysis=analysis)
    if srid is None:
        return None
    computed = Computed(srid=srid)
    incidents = incidents_of(analysis=analysis, srid=srid)
    area = study_area(analysis=analysis, srid=srid, margin_metres=analysis.cell_metres)
    computed.grid = grid_build(area=area, metres=analysis.cell_metres, max_cells=settings.HOTSPOTS_MAX_CELLS)
    progress(0.05, _("Counting incidents in %(cells)d cells") % {"cells": computed.grid.size})
    cell_of_incident = computed.grid.cells_of(x=incidents.x, y=incidents.y)
    weights = computed.grid.queen_weights()
    _grid_hotspots(analysis, computed, cell_of_incident, weights)
    _grid_emerging(analysis, computed, incidents, cell_of_incident, weights, progress)
    _grid_density(computed, incidents)
    progress(0.9, _("Colonias: Gi*, rates and local Moran's I"))
    _colonias(analysis, computed, incidents, area)
    computed.summary.update(
        records=len(incidents.x),
        records_in_grid=int((cell_of_incident >= 0).sum()),
        cells=computed.grid.size,
        colonias=len(computed.colonias.get("code", [])),
        srid=srid,
    )
    return computed


def _seed(analysis: HotspotAnalysis) -> int:
    """The permutations' seed, from the analysis' key: the same data and parameters give the same p-values."""
    return int(analysis.key[:8], 16)


def _gi_star(analysis, counts: np.ndarray, weights, seed_offset: int = 0) -> statistics.GiStar:
    return statistics.gi_star(
        counts=counts,
        weights=weights,
        permutations=analysis.permutations,
        seed=_seed(analysis) + seed_offset,
        threads=settings.HOTSPOTS_THREADS,
    )


def _gi_columns(analysis, counts: np.ndarray, weights) -> dict:
    """An area's count, Gi* z and p-values and confidence class, as HotspotArea's fields."""
    gi = _gi_star(analysis, counts, weights)
    return {
        "count": counts,
        "gi_z": gi.z,
        "gi_p": gi.p,
        "gi_p_sim": gi.p_sim,
        "confidence": statistics.confidence_classes(gi=gi),
    }


def _grid_hotspots(analysis, computed: Computed, cell_of_incident: np.ndarray, weights) -> None:
    computed.cells.update(
        code=computed.grid.codes(), **_gi_columns(analysis, computed.grid.counts(cell_of_incident), weights)
    )


def _grid_emerging(analysis, computed, incidents: Incidents, cell_of_incident, weights, progress: Progress) -> None:
    """Gi* of every month, the emerging classes of the cells, and each month's Predictive Accuracy Index (its hot
    spots against the next month's incidents)."""
    months = incidents_months(analysis)
    monthly_counts, z_by_month, hot_by_month = [], [], []
    for month in range(len(months)):
        counts = computed.grid.counts(cell_of_incident[incidents.month == month])
        gi = _gi_star(analysis, counts, weights, seed_offset=month + 1)
        monthly_counts.append(counts)
        z_by_month.append(gi.z)
        hot_by_month.append(statistics.confidence_classes(gi=gi) >= HOTSPOT_MIN_CONFIDENCE)
        progress(0.1 + 0.7 * (month + 1) / len(months), _("Gi* of %(month)s") % {"month": months[month]})
    emerging = emerging_hotspots(
        z_by_month=np.array(z_by_month),
        hot_by_month=np.array(hot_by_month),
        alpha=settings.HOTSPOTS_TREND_ALPHA,
        persistent_share=settings.HOTSPOTS_PERSISTENT_SHARE,
    )
    computed.cells.update(
        emerging=emerging.classes, hot_months=emerging.hot_months, trend_tau=emerging.tau, trend_p=emerging.p
    )
    computed.periods = [
        _period(months[month], months[month + 1], hot_by_month[month], monthly_counts[month + 1])
        for month in range(len(months) - 1)
    ]


def _period(month: str, next_month: str, hotspots: np.ndarray, next_counts: np.ndarray) -> dict:
    pai = predictive_accuracy_index(hotspots=hotspots, next_counts=next_counts)
    next_total = int(next_counts.sum())
    return {
        "month": month,
        "next_month": next_month,
        "hotspot_cells": int(hotspots.sum()),
        "area_share": float(hotspots.mean()) if len(hotspots) else 0.0,
        "next_incidents": next_total,
        "incident_share": float(next_counts[hotspots].sum() / next_total) if next_total else None,
        "pai": pai,
    }


def incidents_months(analysis: HotspotAnalysis) -> list[str]:
    """The months of an analysis as YYYY-MM, oldest first."""
    first = analysis.first_month.year * 12 + analysis.first_month.month - 1
    last = analysis.last_month.year * 12 + analysis.last_month.month - 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1)]


def _grid_density(computed: Computed, incidents: Incidents) -> None:
    """Kernel density of the whole period for display, with Scott's bandwidth (at least one cell)."""
    grid = computed.grid
    bandwidth = max(statistics.scott_bandwidth(x=incidents.x, y=incidents.y), grid.metres)
    lattice = statistics.kernel_density(
        lattice=grid.lattice(computed.cells["count"]), cell_metres=grid.metres, bandwidth_metres=bandwidth
    )
    computed.cells["density"] = lattice[grid.rows, grid.cols]
    computed.summary["bandwidth_metres"] = round(bandwidth)


def _colonias(analysis, computed: Computed, incidents: Incidents, area) -> None:
    """Gi* of the colonias' counts; where populations are known, raw and smoothed rates and local Moran's I."""
    colonias = colonias_meeting(area=area, srid=computed.srid, year=analysis.last_month.year)
    if len(colonias.ids) < 3:
        return
    counts = colonia_counts(boundaries=colonias.boundaries, x=incidents.x, y=incidents.y)
    computed.colonias.update(
        id=colonias.ids,
        code=colonias.codes,
        name=colonias.names,
        **_gi_columns(analysis, counts, statistics.contiguity_weights(colonias.boundaries)),
    )
    _colonia_rates(analysis, computed, colonias, counts)


def colonia_counts(*, boundaries: list, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Incidents per colonia by where they fell (not by the colonia a source wrote): a point on a shared border
    counts once, in the first colonia."""
    incident, colonia = shapely.STRtree(boundaries).query(shapely.points(x, y), predicate="intersects")
    _, first = np.unique(incident, return_index=True)
    return np.bincount(colonia[first], minlength=len(boundaries))


def _colonia_rates(analysis, computed: Computed, colonias, counts: np.ndarray) -> None:
    with_population = np.flatnonzero(colonias.population > 0)
    n = len(colonias.ids)
    columns = {name: np.full(n, np.nan) for name in ("rate", "eb_rate", "spatial_eb_rate", "moran_p")}
    clusters = [""] * n
    if len(with_population) >= 3:
        weights = statistics.contiguity_weights([colonias.boundaries[index] for index in with_population])
        events, population = counts[with_population], colonias.population[with_population]
        raw, empirical, spatial = statistics.smoothed_rates(events=events, population=population, weights=weights)
        columns["rate"][with_population], columns["eb_rate"][with_population] = raw, empirical
        columns["spatial_eb_rate"][with_population] = spatial
        if events.sum() > 0:
            found, p = statistics.local_moran_of_rates(
                events=events,
                population=population,
                weights=weights,
                permutations=analysis.permutations,
                seed=_seed(analysis),
            )
            columns["moran_p"][with_population] = p
            for index, cluster in zip(with_population, found, strict=True):
                clusters[index] = str(cluster)
    computed.colonias.update(population=colonias.population, moran_cluster=clusters, **columns)
