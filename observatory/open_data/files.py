"""The bulk files of a release: per year, the public monthly figures and the victim-level open data, each a zipped
Frictionless Data Package (the CSV and a datapackage.json describing it: its columns' types and meaning, its
SHA-256 and size, and the publication it comes from)."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from observatory.csv_stream import SafeCsvWriter
from observatory.indicators.models import MonthlySeries, Vintage
from observatory.indicators.reports import series_in_chunks
from observatory.indicators.selectors import FIGURE_COLUMNS, figure_csv_rows, figures_frame, valid_in

from .selectors import open_victim_csv, open_victim_list, open_victim_years
from .victims import VICTIM_COLUMNS

# Counts the public may not see are "<5" (small) or "x" (hidden so that a total cannot give a small one back):
# missing values to a reader of the schema, with the reason in `suppressed`.
MISSING_VALUES = ["", "<5", "x"]
_SERIES_PER_CHUNK = 2000
_FIGURE_TYPES = {
    "month": "yearmonth",
    "count": "integer",
    "population": "integer",
    "rolling_count": "integer",
    "count_year_before": "integer",
    "ytd_count": "integer",
    "ytd_count_year_before": "integer",
    "unstable": "boolean",
    "vintage": "integer",
    **{name: "number" for name in FIGURE_COLUMNS if "rate" in name or name.startswith("change") or name == "coverage"},
}
_FIGURE_DESCRIPTIONS = {
    "unit_code": "Official code of the unit (a police jurisdiction's code at that level).",
    "unit_name": "Name of the unit.",
    "level": "country, department, municipality, colonia or jurisdiction.",
    "month": "Month, YYYY-MM.",
    "category": "What is counted (homicide, femicide, disappearance, unidentified_body, ...).",
    "basis": "A source's records (police, coroner, hospital) or the reconciled victims (reconciled).",
    "sex": "M or F; empty for everyone.",
    "age_band": "5-year age band; empty for every age.",
    "count": "Events in the month; empty where suppressed (see suppressed) or where no source covered the unit.",
    "population": "Population of the unit at mid-month.",
    "rate": "Per 100,000 in the month.",
    "rate_low": "Lower end of the rate's exact 95% interval.",
    "rate_high": "Upper end of the rate's exact 95% interval.",
    "annual_rate": "The month's rate per 100,000 a year.",
    "annual_rate_low": "Lower end of the annual rate's 95% interval.",
    "annual_rate_high": "Upper end of the annual rate's 95% interval.",
    "rolling_count": "Events in the 12 months ending with this one.",
    "rolling_rate": "Rate per 100,000 over those 12 months.",
    "rolling_rate_low": "Lower end of its 95% interval.",
    "rolling_rate_high": "Upper end of its 95% interval.",
    "count_year_before": "Events in the same month a year before.",
    "change_year_before": "Change against the same month a year before, %.",
    "ytd_count": "Events from January to this month.",
    "ytd_count_year_before": "Events over the same months a year before.",
    "change_ytd": "Year-to-date change, %.",
    "unstable": "true where the rate rests on fewer than 20 events.",
    "suppressed": "primary (a small count, 1 to 4) or complementary (hidden so that totals cannot give one back).",
    "coverage": "Share of the unit the basis's sources covered that month: 1 full, 0 no data.",
    "covering_sources": "The sources that covered the unit that month, joined by +.",
    "status": "provisional until every covering source has sent data past the month's end and the settling days.",
    "vintage": "The publication (vintage) the figures come from.",
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _package_zip(
    *, directory: Path, name: str, title: str, csv_path: Path, fields: list[dict], vintage: Vintage
) -> tuple[str, int]:
    """Zip the CSV with its datapackage.json as <name>.zip; the zip's SHA-256 and size."""
    descriptor = {
        "name": name,
        "title": title,
        "profile": "tabular-data-package",
        "created": timezone.now().isoformat(timespec="seconds"),
        "vintage": {
            "id": vintage.pk,
            "data_as_of": vintage.data_as_of.isoformat() if vintage.data_as_of else None,
            "published_at": vintage.finished_at.isoformat() if vintage.finished_at else None,
            "source_cutoffs": vintage.source_cutoffs,
        },
        "resources": [
            {
                "name": name,
                "path": csv_path.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{_sha256(csv_path)}",
                "bytes": csv_path.stat().st_size,
                "schema": {"fields": fields, "missingValues": MISSING_VALUES},
            }
        ],
    }
    archive = directory / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        bundle.write(csv_path, csv_path.name)
    csv_path.unlink()
    return _sha256(archive), archive.stat().st_size


def victim_files_write(*, directory: Path, vintage: Vintage) -> list[dict]:
    """One package per year of the victim-level rows (as the API's CSV gives them)."""
    fields = [
        {
            "name": column.name,
            "type": column.type,
            "description": column.description.format(
                metres=settings.OPEN_DATA_GRID_METRES, cases=settings.OPEN_DATA_MIN_CASES_PER_CELL
            ),
        }
        for column in VICTIM_COLUMNS
    ]
    written = []
    for year in open_victim_years():
        name = f"victims-{year}"
        csv_path = directory / f"{name}.csv"
        victims = open_victim_list().filter(date__year=year)
        with csv_path.open("wb") as stream:
            for block in open_victim_csv(victims=victims):
                stream.write(block)
        sha256, size = _package_zip(
            directory=directory,
            name=name,
            title=f"Victim-level open data, {year}",
            csv_path=csv_path,
            fields=fields,
            vintage=vintage,
        )
        written.append(
            {
                "dataset": "victims",
                "year": year,
                "name": f"{name}.zip",
                "sha256": sha256,
                "size": size,
                "rows": victims.count(),
            }
        )
    return written


def monthly_files_write(*, directory: Path, vintage: Vintage) -> list[dict]:
    """One package per year of every published monthly series as the public sees it (suppressed counts as "<5"
    or "x"), a few thousand series at a time."""
    streams: dict[str, tuple[io.TextIOWrapper, SafeCsvWriter]] = {}
    rows: dict[str, int] = {}
    try:
        published = MonthlySeries.objects.filter(valid_in(vintage)).order_by(*MonthlySeries._meta.ordering)
        for chunk in series_in_chunks(published, size=_SERIES_PER_CHUNK):
            frame = figures_frame(rows=chunk, vintage=vintage, public=True)
            for year, group in frame.groupby(frame["month"].str[:4], sort=True):
                if year not in streams:
                    stream = (directory / f"monthly-{year}.csv").open("w", encoding="utf-8", newline="")
                    streams[year] = (stream, SafeCsvWriter(stream))
                    streams[year][1].writerow(FIGURE_COLUMNS)
                    rows[year] = 0
                lines = figure_csv_rows(group)
                next(lines)  # the header, written once above
                streams[year][1].writerows(lines)
                rows[year] += len(group)
    finally:
        for stream, _writer in streams.values():
            stream.close()
    fields = [
        {"name": name, "type": _FIGURE_TYPES.get(name, "string"), "description": _FIGURE_DESCRIPTIONS[name]}
        for name in FIGURE_COLUMNS
    ]
    written = []
    for year in sorted(streams):
        name = f"monthly-{year}"
        sha256, size = _package_zip(
            directory=directory,
            name=name,
            title=f"Monthly figures, {year}",
            csv_path=directory / f"{name}.csv",
            fields=fields,
            vintage=vintage,
        )
        written.append(
            {
                "dataset": "monthly",
                "year": int(year),
                "name": f"{name}.zip",
                "sha256": sha256,
                "size": size,
                "rows": rows[year],
            }
        )
    return written
