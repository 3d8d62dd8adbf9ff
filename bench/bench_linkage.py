"""Reconciliation: linkage quality on the demo generator's data and on public data sets, and the time and memory of
full and incremental runs at 100,000 source records.

Quality (issue 20 targets: pairwise F1 >= 0.97 at default noise, >= 0.93 at hard noise, >= 0.95 on each public
set, precision >= 0.98 everywhere, with one configuration, the default, for all): the generated police, coroner
and hospital exports, and FEBRL 1, 2 and 3 recast as police reports and autopsies (linkage_public_sets.py), go
through the real ingestion pipeline, `manage.py reconcile --full` links them, and the victims are scored against
the ground truth, beside a naive baseline measured in the same run on the generated data (records with the same
folded name and the same event day are one person). For each set, the true pairs each blocking rule finds (with
other rules or alone) and those no rule finds.

Performance (targets: full run over 100,000 records <= 60 s with <= 4 GiB peak memory; an incremental run adding
one month, about 3,000 records, <= 10% of the full run): the same generator at BENCH_LINKAGE_VICTIMS_PER_YEAR
victims a year for three years; every month but the last is imported and linked by a full run, then the last
month is imported and linked incrementally. Each run is `manage.py reconcile` in a child process, whose peak
resident memory is its own; run times are the runs' own (start to end), with the commands' wall times and their
processor seconds (all threads; on a shared machine, wall time counts the waits for a processor) beside.
BENCH_LINKAGE_PARTS chooses what runs (default: default,hard,febrl1,febrl2,febrl3,performance).
"""

import csv
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from django.db import connection

from bench.linkage_public_sets import public_set_write, public_sets
from ingestion.models import ImportRun
from ingestion.services import import_run_create, import_run_process
from observatory.demo.generator import (
    CORONER,
    DEFAULT_START_YEAR,
    DEFAULT_YEARS,
    HOSPITAL,
    NOISE_LEVELS,
    POLICE,
    demo_files_write,
)
from observatory.geography.services.demo import demo_geography_load
from observatory.reconciliation.linkage.clustering import clusters_build
from observatory.reconciliation.linkage.evaluation import linkage_quality
from observatory.reconciliation.linkage.features import records_frame
from observatory.reconciliation.selectors import blocking_rules_evaluate, linkage_evaluate
from observatory.records.models import Source

ROOT = Path(__file__).resolve().parent.parent
VICTIMS_PER_YEAR = int(os.environ.get("BENCH_LINKAGE_VICTIMS_PER_YEAR", "18000"))
PARTS = os.environ.get("BENCH_LINKAGE_PARTS", "default,hard,febrl1,febrl2,febrl3,performance").split(",")
LAYOUTS = {
    "police": (POLICE, "fecha_hecho", "%d/%m/%Y"),
    "coroner": (CORONER, "fecha_levantamiento", "%Y-%m-%d"),
    "hospital": (HOSPITAL, "fecha_ingreso", "%Y-%m-%dT%H:%M:%S"),
}


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reconciliation_victimchange, reconciliation_candidatepair, "
            "reconciliation_victimrecord, reconciliation_victim, reconciliation_linkagerun, "
            "reconciliation_linkagekey, records_sourcerecordrevision, records_sourcerecord, "
            "ingestion_rowissue, ingestion_importrun CASCADE"
        )


def _import(path: Path, source: str) -> ImportRun:
    with path.open("rb") as stream:
        run = import_run_create(
            source=Source.objects.get(pk=source),
            stream=stream,
            filename=path.name,
            channel=ImportRun.Channel.COMMAND,
            enqueue=False,
        )
    return import_run_process(run_id=run.pk)


def _reconcile(*arguments: str) -> tuple[float, float, float, str, float]:
    """The command's wall seconds, the run's own seconds (from its start to its end, as the run records them,
    without the interpreter's start), the child's peak resident MiB, its last line of output and its processor
    seconds."""
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as output:
        child = subprocess.Popen(
            [sys.executable, "manage.py", "reconcile", *arguments],
            cwd=ROOT,
            env=os.environ,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        output.seek(0)
        lines = output.read().strip().splitlines()
    if status != 0:
        raise RuntimeError("manage.py reconcile failed:\n" + "\n".join(lines[-20:]))
    run_seconds = float(re.search(r" in ([0-9.]+) s", "\n".join(lines)).group(1))
    return seconds, run_seconds, usage.ru_maxrss / 1024, lines[-1], usage.ru_utime + usage.ru_stime


def _truth(folder: Path) -> dict[tuple[str, str], str]:
    frame = pd.read_csv(folder / "ground_truth.csv", dtype=str)
    return {(source, record_id): key for source, record_id, key in frame.itertuples(index=False)}


def _naive_baseline_f1(truth: dict[tuple[str, str], str]) -> float:
    """Same folded name (in the order written) and the same first event day: one person."""
    frame = records_frame()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, source_id, record_id, name_folded, is_unidentified FROM records_sourcerecord")
        rows = pd.DataFrame(cursor.fetchall(), columns=["unique_id", "source", "record_id", "name", "unidentified"])
    rows = rows.merge(frame[["unique_id", "first_day"]], on="unique_id")
    named = rows[(rows["name"] != "") & ~rows["unidentified"] & rows["first_day"].notna()]
    links = [
        (group[0], other, 1.0)
        for _key, members in named.groupby(["name", "first_day"])["unique_id"]
        if len(members) > 1
        for group in [members.tolist()]
        for other in group[1:]
    ]
    clusters, _ = clusters_build(source_of=dict(zip(rows["unique_id"], rows["source"], strict=False)), links=links)
    cluster_of = {record: index for index, cluster in enumerate(clusters) for record in cluster}
    key_of = dict(zip(rows["unique_id"], zip(rows["source"], rows["record_id"], strict=False), strict=False))
    predicted = {key_of[record]: cluster for record, cluster in cluster_of.items()}
    return linkage_quality(predicted=predicted, truth=truth).f1


def _true_pairs_per_rule(truth: dict[tuple[str, str], str]) -> dict[str, str | int]:
    """Per blocking rule, the true pairs it finds (alone or with other rules) and those only it finds, as
    "found / only", beside the true pairs no rule finds."""
    by_rule, missed = blocking_rules_evaluate(truth=truth)
    return {rule: f"{recall.found} / {recall.only}" for rule, recall in by_rule.items()} | {"no_rule": missed}


def _quality(noise_name: str, folder: Path) -> dict:
    _reset()
    demo_files_write(out_dir=folder, noise=NOISE_LEVELS[noise_name])
    for source in LAYOUTS:
        _import(folder / f"{source}.csv", source)
    return _linked(noise_name, truth=_truth(folder), naive_baseline=True)


def _public_quality(name: str, folder: Path) -> dict:
    _reset()
    folder.mkdir(parents=True)
    truth = public_set_write(records=public_sets()[name](), out_dir=folder)
    for source in ("police", "coroner"):
        _import(folder / f"{source}.csv", source)
    return _linked(name, truth=truth, naive_baseline=False)


def _linked(set_name: str, *, truth: dict[tuple[str, str], str], naive_baseline: bool) -> dict:
    """Link the records imported with a full run and measure the victims against `truth`."""
    _wall, seconds, _peak, counts, _cpu = _reconcile("--full")
    quality = linkage_evaluate(truth=truth).quality
    figures = {
        f"{set_name}_records": quality.records,
        f"{set_name}_full_run_seconds": round(seconds, 2),
        f"{set_name}_precision": round(quality.precision, 3),
        f"{set_name}_recall": round(quality.recall, 3),
        f"{set_name}_f1": round(quality.f1, 3),
        f"{set_name}_purity": round(quality.purity, 3),
        f"{set_name}_completeness": round(quality.completeness, 3),
        f"{set_name}_true_pairs_found_by_rule_alone_or_not": _true_pairs_per_rule(truth),
        f"{set_name}_run": counts,
    }
    if naive_baseline:
        figures[f"{set_name}_naive_baseline_f1"] = round(_naive_baseline_f1(truth), 3)
    return figures


def _split_last_month(folder: Path) -> tuple[dict[str, Path], dict[str, Path], str]:
    """Each export cut in two: every month of the generated period but the last, and the last month (with the
    few records dated after the period: bodies found later, long hospital stays)."""
    cut = date(DEFAULT_START_YEAR + DEFAULT_YEARS - 1, 12, 1)
    tables = {}
    for source, (layout, date_column, date_format) in LAYOUTS.items():
        with (folder / layout.file_name).open(encoding=layout.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=layout.separator)
            header, rows = next(reader), list(reader)
        index = header.index(date_column)
        days = [datetime.strptime(row[index], date_format).date() for row in rows]
        tables[source] = (layout, header, rows, days)
    base, month = {}, {}
    for source, (layout, header, rows, days) in tables.items():
        for name, keep, target in (("base", lambda day: day < cut, base), ("month", lambda day: day >= cut, month)):
            path = folder / f"{source}_{name}.csv"
            with path.open("w", encoding=layout.encoding, newline="") as handle:
                writer = csv.writer(handle, delimiter=layout.separator, lineterminator=layout.line_end)
                writer.writerow(header)
                writer.writerows(row for row, day in zip(rows, days, strict=False) if keep(day))
            target[source] = path
    return base, month, cut.strftime("%Y-%m")


def _performance(folder: Path) -> dict:
    _reset()
    clean = dataclasses.replace(NOISE_LEVELS["default"], bad_value_rate=0.0)  # every line one row, to cut by date
    demo_files_write(out_dir=folder, victims_per_year=VICTIMS_PER_YEAR, noise=clean)
    base, month, month_label = _split_last_month(folder)
    base_rows = sum(_import(path, source).rows_read for source, path in base.items())
    full_wall, full_seconds, full_peak_mib, full_counts, full_cpu = _reconcile("--full")
    month_rows = sum(_import(path, source).rows_read for source, path in month.items())
    incremental_wall, incremental_seconds, incremental_peak_mib, incremental_counts, incremental_cpu = _reconcile()
    return {
        "base_records": base_rows,
        "full_run_seconds": round(full_seconds, 2),
        "full_command_wall_seconds": round(full_wall, 2),
        "full_command_cpu_seconds": round(full_cpu, 2),
        "full_run_peak_rss_mib": round(full_peak_mib),
        "full_run": full_counts,
        "added_month": month_label,
        "added_records": month_rows,
        "incremental_run_seconds": round(incremental_seconds, 2),
        "incremental_to_full_ratio": round(incremental_seconds / full_seconds, 3),
        "incremental_command_wall_seconds": round(incremental_wall, 2),
        "incremental_command_cpu_seconds": round(incremental_cpu, 2),
        "incremental_to_full_cpu_ratio": round(incremental_cpu / full_cpu, 3),
        "incremental_to_full_wall_ratio": round(incremental_wall / full_wall, 3),
        "incremental_run_peak_rss_mib": round(incremental_peak_mib),
        "incremental_run": incremental_counts,
    }


def run() -> dict:
    demo_geography_load()
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        for noise_name in ("default", "hard"):
            if noise_name in PARTS:
                figures.update(_quality(noise_name, Path(folder) / noise_name))
        for name in public_sets():
            if name in PARTS:
                figures.update(_public_quality(name, Path(folder) / name))
        if "performance" in PARTS:
            figures.update(_performance(Path(folder) / "large"))
    return figures
