"""Computing the indicators over 1,000,000 source records (BENCH_INDICATOR_RECORDS to change it) spread over every
municipality of the demo geography and 120 months, with their reconciled victims.

The records and victims are written straight into the tables by SQL (this measures the indicators, not ingestion
or linkage): about 606,000 people, each seen by police (70%), the coroner (60%) and hospitals (35%), at least one.
Baseline, measured in the same run: a plain SQL GROUP BY count of the same records by source, month,
municipality and category. Targets (issue 5): a full computation <= 30 s; an incremental one after one more
month of records (about 8,300) <= 2 s, both as the vintage's own time (its start to its end, as stored). The
command around it (`manage.py compute_indicators`, a child process, so its peak memory is its own) is reported
too: it adds interpreter and library start-up and the undercount estimates.

The disclosure audit (issue 15): the full computation's table is suppressed again in this process by the rules
alone (`suppression_matrix`) and with the auditor and its widening rounds (`protected_marks`): the difference is
what the audit adds to publishing.
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection
from django.utils import timezone

from observatory.geography.services.demo import demo_geography_load

ROOT = Path(__file__).resolve().parent.parent
RECORDS = int(os.environ.get("BENCH_INDICATOR_RECORDS", "1000000"))
MONTHS = 120
FIRST_YEAR = 2015
SOURCES_PER_PERSON = 0.7 + 0.6 + 0.35
CATEGORIES = [
    "homicide",
    "homicide",
    "homicide",
    "assault_injury",
    "road_traffic_death",
    "suicide",
    "undetermined_death",
    "disappearance",
    "robbery",
    "sexual_violence",
]


def _people_sql(first_person: int, people: int, months: str) -> str:
    """People with a month, a municipality, a category and the sources that saw them."""
    categories = "ARRAY[" + ", ".join(f"'{category}'" for category in CATEGORIES) + "]"
    return f"""
        CREATE TEMP TABLE bench_people AS
        SELECT person, make_date({FIRST_YEAR}, 1, 1) + ({months}) * interval '1 month'
                   + (floor(random() * 28))::int * interval '1 day' AS day,
               (SELECT array_agg(id ORDER BY id) FROM geography_adminunit WHERE level = 'municipality')
                   [1 + floor(random() * 340)::int] AS municipality_id,
               ({categories})[1 + floor(random() * {len(CATEGORIES)})::int] AS category,
               CASE WHEN random() < 0.88 THEN 'M' ELSE 'F' END AS sex,
               CASE WHEN random() < 0.05 THEN NULL ELSE 12 + floor(random() * 60) END AS age,
               random() < 0.7 AS police, random() < 0.6 AS coroner, random() < 0.35 AS hospital
        FROM generate_series({first_person}, {first_person + people - 1}) AS person;
        UPDATE bench_people SET coroner = true WHERE NOT (police OR coroner OR hospital);
    """


def records_and_victims_load(first_person: int, people: int, months: str, run_id: int) -> None:
    """Records for each person's sources, and a victim linking them."""
    with connection.cursor() as cursor:
        cursor.execute(_people_sql(first_person, people, months))
        for source in ("police", "coroner", "hospital"):
            cursor.execute(f"""
                INSERT INTO records_sourcerecord (source_id, record_id, content_hash, revision, first_run_id,
                    last_run_id, created_at, updated_at, raw, status, unmapped, profile_version, incident_id,
                    event_date, category, is_femicide, outcome, manner, intent, weapon, place_type, icd10_cause,
                    icd10_injury, identification, sex, age_years, reporting_unit, full_name, name_folded,
                    is_unidentified, id_number, address, municipality_id, geo_method, geo_note)
                SELECT '{source}', 'B-' || person, person, 1, 0, 0, now(), now(), '', 'normalised',
                       '[]', 1, '', day, category, sex = 'F' AND category = 'homicide' AND random() < 0.3, '', '',
                       '', '', '', '', '', '', sex, age, '', '', '', false, '', '', municipality_id, 'gazetteer', ''
                FROM bench_people WHERE {source}
            """)
        cursor.execute(f"""
            INSERT INTO reconciliation_victim (id, created_by_run_id, created_at, updated_at,
                case_status, sources, record_count, category, is_femicide, manner, icd10_cause, icd10_injury,
                weapon, died, was_reported_missing, event_date, municipality_id, sex, age_years, full_name,
                id_number, is_unidentified, attribute_sources)
            SELECT person, {run_id}, now(), now(), 'single_source',
                   array_remove(ARRAY[CASE WHEN coroner THEN 'coroner' END, CASE WHEN hospital THEN 'hospital' END,
                                      CASE WHEN police THEN 'police' END], NULL),
                   police::int + coroner::int + hospital::int, category, false, '', '', '', '',
                   category <> 'assault_injury', false, day, municipality_id, sex, age, '', '', false, '{{}}'
            FROM bench_people
        """)
        cursor.execute(f"""
            INSERT INTO reconciliation_victimrecord (record_id, victim_id, linked_by_run_id, content_hash)
            SELECT r.id, r.content_hash, {run_id}, r.content_hash FROM records_sourcerecord r
            WHERE r.record_id LIKE 'B-%%' AND r.content_hash BETWEEN {first_person} AND {first_person + people - 1}
        """)
        cursor.execute("DROP TABLE bench_people")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('reconciliation_victim', 'id'), "
            "(SELECT max(id) FROM reconciliation_victim))"
        )
        cursor.execute(
            "ANALYZE records_sourcerecord; ANALYZE reconciliation_victim; ANALYZE reconciliation_victimrecord"
        )


def _baseline_seconds() -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT source_id, date_trunc('month', event_date), municipality_id, category, count(*)
            FROM records_sourcerecord GROUP BY 1, 2, 3, 4
        """)
        cursor.fetchall()
    return time.perf_counter() - started


def _compute(full: bool) -> tuple[float, float, float, str]:
    """(vintage seconds, undercount seconds, whole command seconds, summary line). The vintage's own time is the
    recomputation; the command adds the start of Python, Django, pandas and scipy, and the undercount estimates."""
    from observatory.indicators.models import Vintage

    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "compute_indicators", *(["--full"] if full else [])],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        check=True,
    )
    command_seconds = time.perf_counter() - started
    vintage = Vintage.objects.order_by("-pk").first()
    undercount_seconds = float(result.stdout.strip().splitlines()[-1].split("undercount_seconds=")[1])
    return vintage.seconds, undercount_seconds, command_seconds, result.stdout.strip().splitlines()[-1]


def _audit_cost() -> dict:
    """Suppression by the rules alone against suppression audited, on the publication's own table."""
    from observatory.indicators.publishing import stored_table
    from observatory.indicators.suppression import protected_marks, suppression_matrix

    table = stored_table()
    started = time.perf_counter()
    suppression_matrix(table)
    rules_seconds = time.perf_counter() - started
    started = time.perf_counter()
    _marks, audit = protected_marks(table)
    audited_seconds = time.perf_counter() - started
    (_cell, (low, high)) = audit.narrowest or ((None, None), (None, None))
    return {
        "suppression_rules_seconds": round(rules_seconds, 2),
        "suppression_audited_seconds": round(audited_seconds, 2),
        "audit_cells": audit.cells,
        "audit_linear_programs": audit.linear_programs,
        "audit_cells_widened": audit.widened,
        "audit_narrowest_interval": [None if value is None else round(value, 6) for value in (low, high)],
    }


def empty_tables_and_linkage_run() -> int:
    """The demo geography, no records, victims nor indicators, and a finished linkage run to load victims by."""
    from observatory.reconciliation.models import LinkageRun

    demo_geography_load()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE indicators_alert, indicators_undercountestimate, indicators_monthlyseries, "
            "indicators_discrepancyseries, indicators_vintage, reconciliation_victimrecord, "
            "reconciliation_victimchange, reconciliation_candidatepair, reconciliation_linkagekey, "
            "reconciliation_victim, records_sourcerecordrevision, records_sourcerecord, ingestion_rowissue, "
            "ingestion_importrun CASCADE"
        )
    return LinkageRun.objects.create(
        kind=LinkageRun.Kind.FULL, status=LinkageRun.Status.DONE, finished_at=timezone.now(), reason="benchmark"
    ).pk


def run() -> dict:
    run_id = empty_tables_and_linkage_run()
    people = round(RECORDS / SOURCES_PER_PERSON)
    records_and_victims_load(1, people, f"floor(random() * {MONTHS - 1})::int", run_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM records_sourcerecord")
        records = cursor.fetchone()[0]
    baseline = _baseline_seconds()
    full_seconds, full_undercount, full_command, full_summary = _compute(full=True)
    peak_rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    audit = _audit_cost()
    again_seconds, _, again_command, again_summary = _compute(full=True)
    month_people = round(people / MONTHS)
    records_and_victims_load(people + 1, month_people, str(MONTHS - 1), run_id)
    incremental_seconds, incremental_undercount, incremental_command, incremental_summary = _compute(full=False)
    return {
        "records": records,
        "months": MONTHS,
        "group_by_baseline_seconds": round(baseline, 2),
        "full_seconds": round(full_seconds, 2),
        "full_to_baseline_ratio": round(full_seconds / baseline, 1),
        "full_undercount_seconds": round(full_undercount, 2),
        **audit,
        "full_command_seconds": round(full_command, 2),
        "full_peak_rss_mib": round(peak_rss_mib),
        "full": full_summary,
        "full_again_unchanged_seconds": round(again_seconds, 2),
        "full_again_command_seconds": round(again_command, 2),
        "full_again": again_summary,
        "incremental_people": month_people,
        "incremental_seconds": round(incremental_seconds, 2),
        "incremental_to_baseline_ratio": round(incremental_seconds / baseline, 2),
        "incremental_undercount_seconds": round(incremental_undercount, 2),
        "incremental_command_seconds": round(incremental_command, 2),
        "incremental": incremental_summary,
    }
