"""Asking for a hotspot analysis (found again when the records and parameters are the same, else queued) and
computing it as a job (observatory/jobs): progress on its row, its areas written in two set-based inserts."""

import hashlib
import json
from datetime import date

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from observatory.geography.models import PoliceJurisdiction
from observatory.jobs.locks import HOTSPOT_LOCK
from observatory.jobs.services import job_execute, job_progress
from observatory.queueing import task_enqueue

from .computation import Computed, analysis_compute
from .models import HotspotAnalysis
from .queueing import HOTSPOT_ANALYSIS_COMPUTE
from .selectors import records_data_version
from .terms import AreaKind


def _month_back(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def hotspot_analysis_request(
    *, category: str, jurisdiction: PoliceJurisdiction | None, last_month: date, months: int, requested_by=None
) -> HotspotAnalysis:
    """The analysis of the police records of a category (blank: all) in a jurisdiction (None: everywhere) over
    `months` months ending with `last_month`, with the grid and permutations of the settings. Asked again while the
    records are unchanged, the same row is returned (computed, computing or failed: a failed one is queued again)."""
    parameters = {
        "category": category,
        "jurisdiction": jurisdiction.pk if jurisdiction else None,
        "first_month": _month_back(last_month.replace(day=1), months - 1).isoformat(),
        "last_month": last_month.replace(day=1).isoformat(),
        "cell_metres": settings.HOTSPOTS_GRID_METRES,
        "srid": settings.HOTSPOTS_GRID_SRID,
        "permutations": settings.HOTSPOTS_PERMUTATIONS,
        "trend_alpha": settings.HOTSPOTS_TREND_ALPHA,
        "persistent_share": settings.HOTSPOTS_PERSISTENT_SHARE,
    }
    version = records_data_version(source=settings.HOTSPOTS_SOURCE)
    key = hashlib.sha256(json.dumps([version, parameters], sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        analysis, created = HotspotAnalysis.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "data_version": version,
                "category": category,
                "jurisdiction": jurisdiction,
                "first_month": parameters["first_month"],
                "last_month": parameters["last_month"],
                "cell_metres": parameters["cell_metres"],
                "permutations": parameters["permutations"],
                "requested_by": requested_by,
            },
        )
        if created or analysis.status == HotspotAnalysis.Status.FAILED:
            if not created:
                HotspotAnalysis.objects.filter(pk=analysis.pk).update(status=HotspotAnalysis.Status.QUEUED, error="")
                analysis.refresh_from_db()
            task_enqueue(name=HOTSPOT_ANALYSIS_COMPUTE, args=(analysis.pk,))
    return analysis


def hotspot_analysis_execute(*, analysis_id: int) -> HotspotAnalysis:
    """Compute a queued analysis; one already done is left as it is."""

    def work(analysis: HotspotAnalysis) -> None:
        def progress(fraction: float, note: str) -> None:
            job_progress(job=analysis, fraction=fraction, note=note)

        computed = analysis_compute(analysis=analysis, progress=progress)
        with transaction.atomic():
            analysis.areas.all().delete()
            if computed is None:
                analysis.summary = {"records": 0}
                analysis.progress, analysis.progress_note = 1.0, _("No police records with a place in this period")
                return
            _areas_write(analysis=analysis, computed=computed)
            analysis.srid, analysis.periods, analysis.summary = computed.srid, computed.periods, computed.summary
            analysis.record_count = computed.summary["records"]

    return job_execute(model=HotspotAnalysis, job_id=analysis_id, lock=HOTSPOT_LOCK, work=work)


_COLUMNS = ["count", "gi_z", "gi_p", "gi_p_sim", "confidence", "density", "hot_months", "trend_tau", "trend_p"]
_COLONIA_COLUMNS = [
    "count",
    "gi_z",
    "gi_p",
    "gi_p_sim",
    "confidence",
    "population",
    "rate",
    "eb_rate",
    "spatial_eb_rate",
    "moran_p",
]


def _floats(values) -> list[float]:
    return np.asarray(values, dtype=float).tolist()


def _areas_write(*, analysis: HotspotAnalysis, computed: Computed) -> None:
    """Both kinds of area in one INSERT ... SELECT each: cells drawn by PostGIS from their corners, colonias with the
    boundary they have in the geography."""
    grid, cells = computed.grid, computed.cells
    corner_x, corner_y = grid.corners()
    value_columns = ", ".join(f"NULLIF({name}, 'NaN')" for name in _COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO hotspots_hotspotarea (analysis_id, kind, code, name, geometry, {", ".join(_COLUMNS)},
                    emerging, moran_cluster)
                SELECT %s, %s, code, '', ST_Transform(ST_MakeEnvelope(x, y, x + %s, y + %s, %s), 4326),
                       {value_columns}, emerging, ''
                FROM unnest(%s::text[], %s::float8[], %s::float8[], {", ".join(["%s::float8[]"] * len(_COLUMNS))},
                            %s::text[]) AS t(code, x, y, {", ".join(_COLUMNS)}, emerging)""",
            [
                analysis.pk,
                AreaKind.GRID,
                grid.metres,
                grid.metres,
                computed.srid,
                cells["code"],
                _floats(corner_x),
                _floats(corner_y),
                *(_floats(cells[name]) for name in _COLUMNS),
                list(cells["emerging"]),
            ],
        )
        if not computed.colonias:
            return
        colonias = computed.colonias
        value_columns = ", ".join(f"NULLIF(t.{name}, 'NaN')" for name in _COLONIA_COLUMNS)
        cursor.execute(
            f"""INSERT INTO hotspots_hotspotarea (analysis_id, kind, code, name, geometry,
                    {", ".join(_COLONIA_COLUMNS)}, emerging, moran_cluster)
                SELECT %s, %s, u.code, u.name, u.boundary, {value_columns}, '', t.moran_cluster
                FROM unnest(%s::bigint[], {", ".join(["%s::float8[]"] * len(_COLONIA_COLUMNS))}, %s::text[])
                     AS t(id, {", ".join(_COLONIA_COLUMNS)}, moran_cluster)
                JOIN geography_adminunit u ON u.id = t.id""",
            [
                analysis.pk,
                AreaKind.COLONIA,
                colonias["id"].tolist(),
                *(_floats(colonias[name]) for name in _COLONIA_COLUMNS),
                list(colonias["moran_cluster"]),
            ],
        )
