"""Publishing the open data: the public ids, the victim-level rows and the bulk files of each publication.

The victim-level rows follow docs/privacy.md. A victim is left out when the case is of an excluded category
(sexual violence), happened at an excluded kind of place (home: the records carry no flag for domestic violence,
and violence at home takes in every domestic case a source gave a place for), or the victim was under the minor age,
or the case has no date. Its place is never its point: it is snapped to the centre of a fixed grid cell
(OPEN_DATA_GRID_METRES in the metric projection OPEN_DATA_GRID_SRID) where at least OPEN_DATA_MIN_CASES_PER_CELL
published cases of the same year share the cell, else to its colonia's centroid, else it has none.
"""

import json
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from observatory.geography.terms import AGE_BAND_OPEN_FROM, AGE_BAND_WIDTH
from observatory.indicators.models import Vintage
from observatory.jobs.locks import OPEN_DATA_LOCK
from observatory.jobs.services import job_execute, job_progress

from .files import monthly_files_write, victim_files_write
from .models import OpenDataFile, OpenDataRelease, OpenVictim
from .victims import CASE_STATUS, UNDER_STUDY

_ASSIGN_ATTEMPTS = 5


def public_ids_assign() -> int:
    """Give every current victim without a public id a random one (16 hex digits from PostgreSQL's strong random
    source); ids already given are kept, so a second call gives none. Returns how many were given."""
    given = 0
    with connection.cursor() as cursor:
        for _attempt in range(_ASSIGN_ATTEMPTS):
            # A clash with an id already drawn (about one in 10^7 draws for a million victims) skips that victim;
            # the next pass draws it another.
            cursor.execute("""
                INSERT INTO open_data_publicvictimid (victim_id, public_id, created_at)
                SELECT v.id, 'ov-' || substr(md5(gen_random_uuid()::text), 1, 16), now()
                FROM reconciliation_victim v
                WHERE v.retired_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM open_data_publicvictimid p WHERE p.victim_id = v.id)
                ON CONFLICT DO NOTHING
            """)
            given += cursor.rowcount
            if cursor.rowcount == 0:
                break
    return given


_REBUILD_SQL = """
    WITH chosen AS (
        SELECT p.public_id, coalesce(v.event_date, v.death_date) AS day, v.municipality_id, v.colonia_id,
               v.category, v.weapon, v.sex, v.age_years, v.sources,
               CASE WHEN v.manner = 'under_study' THEN %(under_study)s
                    ELSE (%(case_status)s::jsonb) ->> v.case_status END AS case_status,
               coalesce(place.place_type, '') AS place_type,
               ST_Transform(v.point, %(srid)s) AS projected
        FROM reconciliation_victim v
        JOIN open_data_publicvictimid p ON p.victim_id = v.id
        LEFT JOIN records_sourcerecord place ON place.id = (v.attribute_sources ->> 'municipality_id')::bigint
        WHERE v.retired_at IS NULL
          AND coalesce(v.event_date, v.death_date) IS NOT NULL
          AND NOT (v.category = ANY(%(categories)s))
          AND (v.age_years IS NULL OR v.age_years >= %(minor_age)s)
          AND NOT EXISTS (
              SELECT 1 FROM reconciliation_victimrecord link
              JOIN records_sourcerecord r ON r.id = link.record_id
              WHERE link.victim_id = v.id AND r.place_type = ANY(%(place_types)s)
          )
    ),
    celled AS (
        SELECT *, floor(ST_X(projected) / %(metres)s) AS cell_x, floor(ST_Y(projected) / %(metres)s) AS cell_y
        FROM chosen
    ),
    counted AS (
        SELECT *, count(*) OVER (PARTITION BY extract(year FROM day), cell_x, cell_y) AS sharing FROM celled
    ),
    placed AS (
        SELECT c.*, m.code AS municipality_code, m.name AS municipality_name, col.code AS colonia_code,
               col.name AS colonia_name,
               CASE WHEN c.projected IS NOT NULL AND c.sharing >= %(min_cases)s
                    THEN ST_Transform(ST_SetSRID(ST_MakePoint((c.cell_x + 0.5) * %(metres)s,
                                                              (c.cell_y + 0.5) * %(metres)s), %(srid)s), 4326)
                    ELSE ST_Centroid(col.boundary) END AS location
        FROM counted c
        LEFT JOIN geography_adminunit m ON m.id = c.municipality_id
        LEFT JOIN geography_adminunit col ON col.id = c.colonia_id
    )
    INSERT INTO open_data_openvictim (id, date, month, municipality_code, municipality, colonia_code, colonia,
        category, weapon, sex, age_band, place_type, sources, case_status, location, longitude, latitude)
    SELECT public_id, day, to_char(day, 'YYYY-MM'), coalesce(municipality_code, ''), coalesce(municipality_name, ''),
           coalesce(colonia_code, ''), coalesce(colonia_name, ''), category, weapon, sex,
           CASE WHEN age_years IS NULL THEN 'unknown'
                WHEN age_years >= %(open_band)s THEN %(open_band)s || '+'
                ELSE lpad((floor(age_years / %(width)s) * %(width)s)::int::text, 2, '0') || '-'
                     || lpad((floor(age_years / %(width)s) * %(width)s + %(width)s - 1)::int::text, 2, '0') END,
           place_type, array_to_string(sources, '+'), case_status, location,
           round(ST_X(location)::numeric, 5), round(ST_Y(location)::numeric, 5)
    FROM placed
"""


def open_victims_rebuild() -> int:
    """Replace the victim-level open rows with those of the current victims that have a public id, by the rules of
    the module's docstring, in one transaction (a reader sees the old rows or the new). Returns how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {OpenVictim._meta.db_table}")
        cursor.execute(
            _REBUILD_SQL,
            {
                "under_study": UNDER_STUDY,
                "case_status": json.dumps(CASE_STATUS),
                "srid": settings.OPEN_DATA_GRID_SRID,
                "metres": float(settings.OPEN_DATA_GRID_METRES),
                "min_cases": settings.OPEN_DATA_MIN_CASES_PER_CELL,
                "categories": list(settings.OPEN_DATA_EXCLUDED_CATEGORIES),
                "place_types": list(settings.OPEN_DATA_EXCLUDED_PLACE_TYPES),
                "minor_age": settings.INDICATORS_MINOR_AGE,
                "open_band": AGE_BAND_OPEN_FROM,
                "width": AGE_BAND_WIDTH,
            },
        )
        return cursor.rowcount


def open_data_release_create(*, vintage_id: int) -> OpenDataRelease:
    """The release of a published vintage, its build queued for after the commit; a second call for the same
    vintage queues nothing more unless the first failed."""
    from . import tasks

    release, created = OpenDataRelease.objects.get_or_create(vintage_id=vintage_id)
    if created or release.status == OpenDataRelease.Status.FAILED:
        transaction.on_commit(lambda: tasks.open_data_release_build.delay(release.pk))
    return release


def open_data_release_now(*, vintage_id: int) -> OpenDataRelease:
    """Build the release of a vintage here and now (the command, the demo, tests); again if it was built."""
    release, _created = OpenDataRelease.objects.get_or_create(vintage_id=vintage_id)
    if release.status == OpenDataRelease.Status.DONE:
        OpenDataRelease.objects.filter(pk=release.pk).update(status=OpenDataRelease.Status.QUEUED)
    return open_data_release_execute(release_id=release.pk)


def open_data_release_execute(*, release_id: int) -> OpenDataRelease:
    """Build a queued release to its end; safe to call again for one a killed worker left behind."""
    return job_execute(model=OpenDataRelease, job_id=release_id, lock=OPEN_DATA_LOCK, work=_release_build)


def release_directory(release: OpenDataRelease) -> Path:
    return Path(settings.OPEN_DATA_ROOT) / f"release-{release.pk}"


def _release_build(release: OpenDataRelease) -> None:
    later = Vintage.objects.filter(status=Vintage.Status.DONE, pk__gt=release.vintage_id).exists()
    if later:
        release.superseded = True
        job_progress(job=release, fraction=1.0, note=_("A later publication replaced this one before it was built."))
        return
    vintage = Vintage.objects.get(pk=release.vintage_id)
    job_progress(job=release, fraction=0.05, note=_("Giving new victims their public ids"))
    public_ids_assign()
    job_progress(job=release, fraction=0.15, note=_("Building the victim-level open data"))
    release.victims = open_victims_rebuild()
    directory = release_directory(release)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    job_progress(job=release, fraction=0.3, note=_("Writing the victim-level files"))
    written = victim_files_write(directory=directory, vintage=vintage)
    job_progress(job=release, fraction=0.5, note=_("Writing the monthly figures files"))
    written += monthly_files_write(directory=directory, vintage=vintage)
    with transaction.atomic():
        OpenDataFile.objects.filter(release=release).delete()
        OpenDataFile.objects.bulk_create([OpenDataFile(release=release, **file) for file in written])
    _older_releases_remove(release)


def _older_releases_remove(release: OpenDataRelease) -> None:
    """The files of every release before the previous one: a download begun on the previous release ends well."""
    kept = OpenDataRelease.objects.filter(
        status=OpenDataRelease.Status.DONE, superseded=False, vintage_id__lt=release.vintage_id
    ).order_by("-vintage_id")[:1]
    for older in OpenDataRelease.objects.filter(vintage_id__lt=release.vintage_id).exclude(pk__in=kept):
        shutil.rmtree(release_directory(older), ignore_errors=True)
        OpenDataFile.objects.filter(release=older).delete()
