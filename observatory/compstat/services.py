"""Writes of the commander's week: the incident copy per data version, the jurisdictions' populations, the
figures stored for reuse, and the weekly reports."""

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from observatory.jobs.locks import COMPSTAT_BUILD_LOCK
from observatory.jobs.services import job_execute, job_progress
from observatory.queueing import task_enqueue

from .filters import IncidentFilter
from .models import DataVersion, Incident, StoredResult
from .periods import period_span
from .populations import jurisdiction_populations_estimate
from .queueing import DATA_VERSION_BUILD
from .selectors import (
    compstat_table,
    data_version_latest,
    jurisdiction_choices,
    jurisdiction_rates,
    time_patterns,
)
from .terms import MapPeriod

_COPY_SQL = """
    INSERT INTO compstat_incident (record_id, incident_number, day, time, hour, weekday, category, weapon,
                                   place_type, jurisdiction_id, colonia_id, municipality_id, point, x, y)
    SELECT r.id, r.incident_id, r.event_date, r.event_time, extract(hour FROM r.event_time)::int,
           extract(isodow FROM r.event_date)::int, r.category, r.weapon, r.place_type, r.jurisdiction_id,
           r.colonia_id, r.municipality_id, m.point, ST_X(m.point), ST_Y(m.point)
    FROM records_sourcerecord r CROSS JOIN LATERAL (SELECT ST_Transform(r.point, 3857) AS point) m
    WHERE r.source_id = %(source)s AND r.event_date IS NOT NULL AND r.updated_at > %(since)s
    -- In day order, so that a period's incidents lie together on disk.
    ORDER BY r.event_date
    ON CONFLICT (record_id) DO UPDATE SET
        incident_number = EXCLUDED.incident_number, day = EXCLUDED.day, time = EXCLUDED.time, hour = EXCLUDED.hour,
        weekday = EXCLUDED.weekday, category = EXCLUDED.category, weapon = EXCLUDED.weapon,
        place_type = EXCLUDED.place_type, jurisdiction_id = EXCLUDED.jurisdiction_id,
        colonia_id = EXCLUDED.colonia_id, municipality_id = EXCLUDED.municipality_id, point = EXCLUDED.point,
        x = EXCLUDED.x, y = EXCLUDED.y
"""
DEFAULT_PERIOD = MapPeriod.TWENTY_EIGHT_DAYS
_EPOCH = datetime(1900, 1, 1, tzinfo=UTC)


def data_version_request() -> DataVersion:
    """Queue a build of the incident copy after the current transaction commits; a build already queued is
    reused (it will read the records as they are when it runs)."""
    queued = DataVersion.objects.filter(status=DataVersion.Status.QUEUED).order_by("-pk").first()
    if queued is not None:
        return queued
    version = DataVersion.objects.create()
    task_enqueue(name=DATA_VERSION_BUILD, args=(version.pk,))
    return version


def _copy_changed_records(version: DataVersion) -> None:
    previous = data_version_latest()
    since = previous.records_changed_at if previous and previous.records_changed_at else _EPOCH
    source = settings.COMPSTAT_POLICE_SOURCE
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_COPY_SQL, {"source": source, "since": since})
        cursor.execute(
            "SELECT max(updated_at) FROM records_sourcerecord WHERE source_id = %(source)s", {"source": source}
        )
        version.records_changed_at = cursor.fetchone()[0]
    if not connection.in_atomic_block:  # VACUUM cannot run in a transaction (the tests run in one)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE compstat_incident")
    version.record_count = Incident.objects.count()
    version.cutoff = _cutoff()


def _cutoff() -> date | None:
    """The latest day the police records reach, no later than today (a date in the future is a typing error)."""
    return Incident.objects.filter(day__lte=timezone.localdate()).aggregate(last=Max("day"))["last"]


def data_version_build(*, version_id: int) -> DataVersion:
    """Copy the police records changed since the last build, estimate the jurisdictions' populations and store
    the default CompStat figures (each jurisdiction and all, at the cut-off, the last 28 days). A build already
    done is returned."""

    def work(version: DataVersion) -> None:
        job_progress(job=version, fraction=0.05, note="Copying the police records")
        _copy_changed_records(version)
        version.save()
        job_progress(job=version, fraction=0.6, note="Estimating the jurisdictions' populations")
        jurisdiction_populations_estimate()
        if version.cutoff:
            job_progress(job=version, fraction=0.7, note="Computing the CompStat tables")
            for jurisdiction in [None, *jurisdiction_choices().values_list("pk", flat=True)]:
                compstat_figures(
                    version=version,
                    end=version.cutoff,
                    period=DEFAULT_PERIOD,
                    filters=IncidentFilter(jurisdiction=jurisdiction),
                )
        StoredResult.objects.exclude(version=version).delete()

    return job_execute(model=DataVersion, job_id=version_id, lock=COMPSTAT_BUILD_LOCK, work=work)


def _result_key(parameters: dict) -> str:
    return hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode()).hexdigest()


def stored_result(*, version: DataVersion, kind: str, parameters: dict, compute: Callable[[], dict]) -> dict:
    """The stored figures of a question for a data version; computed and stored the first time it is asked."""
    key = _result_key(parameters)
    found = StoredResult.objects.filter(version=version, kind=kind, key=key).values_list("payload", flat=True)
    if found:
        return found[0]
    payload = compute()
    StoredResult.objects.get_or_create(version=version, kind=kind, key=key, defaults={"payload": payload})
    return payload


def stored_compstat_table(*, version: DataVersion, end: date, filters: IncidentFilter) -> dict:
    return stored_result(
        version=version,
        kind="compstat_table",
        parameters={"end": end, **filters.as_dict()},
        compute=lambda: compstat_table(end=end, filters=filters),
    )


def compstat_figures(*, version: DataVersion, end: date, period: str, filters: IncidentFilter) -> dict:
    """Everything the CompStat page shows but the map, stored for the data version: the period table, the
    jurisdictions' counts and rates, and the time patterns of the map's period."""
    span = period_span(code=period, end=end)
    parameters = {"end": end, **filters.as_dict()}
    return {
        "table": stored_compstat_table(version=version, end=end, filters=filters),
        "by_jurisdiction": stored_result(
            version=version,
            kind="jurisdiction_rates",
            parameters=parameters,
            compute=lambda: jurisdiction_rates(end=end, filters=filters),
        ),
        "patterns": stored_result(
            version=version,
            kind="time_patterns",
            parameters=parameters | {"period": period},
            compute=lambda: time_patterns(span=span, end=end, filters=filters),
        ),
    }
