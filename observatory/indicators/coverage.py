"""Which sources looked at each unit and month: what turns a zero into a figure and a gap into "no data".

A source covers a municipality and month as an analyst declared it (records.SourceCoverage), or, until one does,
as its records show: the municipalities it has sent records for, from its first to its last month of records
(inferred coverage). Colonias follow their municipality. Police jurisdictions are declared, or covered from the
first to the last month with records in them. A department or the country is covered in the share of its
population (of its municipalities, where some have no population figures) that is covered; the reconciled
victims are covered wherever any source is. Each row of a publication gets that share, in permille, and the
sources that covered it, as a bit mask over `Coverage.sources`, month by month.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection

from observatory.geography.models import AdminUnit, Level
from observatory.records.coverage import Declaration, declared_coverage

from .counting import Hierarchy
from .figures import FULL, month_date, month_number
from .table import CountTable, discrepancy_basis_mask
from .terms import ALL, RECONCILED, UnitLevel


@dataclass
class Coverage:
    """Per row and month of a table: the covered share (permille) and the bit mask of the covering sources."""

    sources: list[str]
    share: np.ndarray
    covering: np.ndarray
    # Per source: declared or inferred, its span, and the declared municipalities silent for months.
    notes: dict[str, dict] = field(default_factory=dict)


@dataclass
class _Units:
    """Every unit the shares are computed for, and how municipalities roll up."""

    municipalities: np.ndarray
    parent_of_colonia: dict[int, int]
    department_of: dict[int, int]
    country_of_department: dict[int, int]
    only_country: int | None

    @property
    def position(self) -> dict[int, int]:
        return {unit: index for index, unit in enumerate(self.municipalities.tolist())}


def source_cutoffs(*, sources: list[str], today: date) -> dict[str, str]:
    """{source: the latest event (or death) date among its records, no later than today}, ISO dates. Read through
    the index on the event day, one source at a time."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.code, (SELECT coalesce(r.event_date, r.death_date) FROM records_sourcerecord r
                            WHERE r.source_id = s.code AND coalesce(r.event_date, r.death_date) <= %(today)s
                            ORDER BY coalesce(r.event_date, r.death_date) DESC LIMIT 1)
            FROM unnest(%(sources)s::text[]) AS s(code)
        """,
            {"sources": sources, "today": today},
        )
        return {source: day.isoformat() for source, day in cursor.fetchall() if day is not None}


def _municipality_totals(table: CountTable, basis: str, units: _Units) -> np.ndarray:
    """(municipality, month): whether the source has any record there that month."""
    keys = table.keys
    chosen = (
        (keys["level"] == UnitLevel.MUNICIPALITY)
        & (keys["basis"] == basis)
        & (keys["sex"] == ALL)
        & (keys["age_band"] == ALL)
    ).to_numpy()
    has_data = np.zeros((len(units.municipalities), table.counts.shape[1]), dtype=bool)
    rows = np.flatnonzero(chosen)
    positions = keys["unit_id"].iloc[rows].map(units.position).to_numpy()
    placed = ~pd.isna(positions)
    np.logical_or.at(has_data, positions[placed].astype(np.int64), table.counts[rows[placed]] > 0)
    return has_data


def _jurisdiction_data(table: CountTable, basis: str) -> dict[int, tuple[int, int]]:
    """{jurisdiction: (first, last) column with records of the source}."""
    keys = table.keys
    rows = np.flatnonzero(
        ((keys["level"] == UnitLevel.JURISDICTION) & (keys["basis"] == basis)).to_numpy() & table.counts.any(axis=1)
    )
    spans: dict[int, tuple[int, int]] = {}
    for row, unit in zip(rows.tolist(), keys["unit_id"].iloc[rows].tolist(), strict=False):
        columns = np.flatnonzero(table.counts[row])
        first, last = spans.get(unit, (columns[0], columns[-1]))
        spans[int(unit)] = (min(first, int(columns[0])), max(last, int(columns[-1])))
    return spans


def _declared_columns(declaration: Declaration, table: CountTable) -> np.ndarray:
    months = table.months
    last = month_number(declaration.last_month) if declaration.last_month else months[-1] if len(months) else 0
    return (months >= month_number(declaration.first_month)) & (months <= last)


def _silent_runs(
    has_data: np.ndarray, covered: np.ndarray, table: CountTable, units: _Units, last_column: int
) -> list[list]:
    """[municipality, first month, last month] of the runs of at least INDICATORS_SILENT_MONTHS declared months
    without a record, up to the source's last month of records."""
    silent = covered & ~has_data
    silent[:, last_column + 1 :] = False
    runs = []
    for row in np.flatnonzero(silent.any(axis=1)).tolist():
        padded = np.concatenate([[False], silent[row], [False]]).astype(np.int8)
        starts, ends = np.flatnonzero(np.diff(padded) == 1), np.flatnonzero(np.diff(padded) == -1) - 1
        for start, end in zip(starts.tolist(), ends.tolist(), strict=False):
            if end - start + 1 >= settings.INDICATORS_SILENT_MONTHS:
                runs.append(
                    [
                        int(units.municipalities[row]),
                        f"{month_date(table.first_month + start):%Y-%m}",
                        f"{month_date(table.first_month + end):%Y-%m}",
                    ]
                )
    return runs


def _source_coverage(
    table: CountTable, basis: str, units: _Units, declarations: list[Declaration] | None, jurisdictions: np.ndarray
) -> tuple[np.ndarray, np.ndarray, dict]:
    """(municipality × month, jurisdiction × month) covered by one source, and its note."""
    n_months = table.counts.shape[1]
    has_data = _municipality_totals(table, basis, units)
    span = table.coverage[basis]
    first_column, last_column = span[0] - table.first_month, span[1] - table.first_month
    municipalities = np.zeros((len(units.municipalities), n_months), dtype=bool)
    by_jurisdiction = np.zeros((len(jurisdictions), n_months), dtype=bool)
    jurisdiction_position = {unit: index for index, unit in enumerate(jurisdictions.tolist())}
    declared_jurisdictions = bool(declarations) and any(item.jurisdictions for item in declarations)
    if declarations:
        for declaration in declarations:
            columns = _declared_columns(declaration, table)
            rows = [units.position[unit] for unit in declaration.municipalities if unit in units.position]
            municipalities[np.ix_(rows, np.flatnonzero(columns))] = True
            rows = [jurisdiction_position[unit] for unit in declaration.jurisdictions if unit in jurisdiction_position]
            by_jurisdiction[np.ix_(rows, np.flatnonzero(columns))] = True
        note = {"kind": "declared", "silent": _silent_runs(has_data, municipalities, table, units, last_column)}
    else:
        municipalities[has_data.any(axis=1), first_column : last_column + 1] = True
        note = {"kind": "inferred", "silent": []}
    if not declared_jurisdictions:
        for unit, (first, last) in _jurisdiction_data(table, basis).items():
            if unit in jurisdiction_position:
                by_jurisdiction[jurisdiction_position[unit], first : last + 1] = True
    note.update(
        {
            "municipalities": int(municipalities.any(axis=1).sum()),
            "first": f"{month_date(span[0]):%Y-%m}",
            "last": f"{month_date(span[1]):%Y-%m}",
        }
    )
    return municipalities, by_jurisdiction, note


def _shares(
    covered: np.ndarray, by_jurisdiction: np.ndarray, units: _Units, weights: np.ndarray, complete: dict[int, bool]
) -> dict[str, tuple[dict[int, int], np.ndarray]]:
    """{level: ({unit: row}, share per unit and month in permille)} from the covered municipalities."""
    municipality_rows = units.position
    shares = {UnitLevel.MUNICIPALITY: (municipality_rows, covered.astype(np.int16) * FULL)}
    colonias = {colonia: index for index, colonia in enumerate(units.parent_of_colonia)}
    parents = np.array(
        [municipality_rows.get(parent, -1) for parent in units.parent_of_colonia.values()], dtype=np.int64
    )
    colonia_share = np.zeros((len(colonias), covered.shape[1]), dtype=np.int16)
    if len(parents):
        colonia_share[parents >= 0] = covered[parents[parents >= 0]].astype(np.int16) * FULL
    shares[UnitLevel.COLONIA] = (colonias, colonia_share)
    departments = [units.department_of.get(unit) for unit in units.municipalities.tolist()]
    countries = [
        units.country_of_department.get(department, units.only_country)
        if department is not None
        else units.only_country
        for department in departments
    ]
    for level, parent_of in ((UnitLevel.DEPARTMENT, departments), (UnitLevel.COUNTRY, countries)):
        parents_list = sorted({parent for parent in parent_of if parent is not None})
        rows = {parent: index for index, parent in enumerate(parents_list)}
        index = np.array([rows.get(parent, -1) if parent is not None else -1 for parent in parent_of], dtype=np.int64)
        weight = np.array(
            [
                weights[position] if complete.get(parent, False) else np.ones(covered.shape[1])
                for position, parent in enumerate(parent_of)
            ]
        ).reshape(covered.shape)
        placed = index >= 0
        numerator = np.zeros((len(rows), covered.shape[1]))
        denominator = np.zeros((len(rows), covered.shape[1]))
        np.add.at(numerator, index[placed], (covered * weight)[placed])
        np.add.at(denominator, index[placed], weight[placed])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(denominator > 0, np.round(numerator / denominator * FULL), 0)
        # Any covered part is at least one permille: a sliver covered is partial coverage, not no data.
        share = np.where((numerator > 0) & (share == 0), 1, share)
        shares[level] = (rows, share.astype(np.int16))
    shares[UnitLevel.JURISDICTION] = (None, by_jurisdiction.astype(np.int16) * FULL)
    return shares


def _load_units(hierarchy: Hierarchy) -> _Units:
    return _Units(
        municipalities=np.array(sorted(hierarchy.department_of), dtype=np.int64),
        parent_of_colonia=dict(
            AdminUnit.objects.filter(level=Level.COLONIA).order_by("pk").values_list("id", "parent_id")
        ),
        department_of=hierarchy.department_of,
        country_of_department=hierarchy.country_of_department,
        only_country=hierarchy.only_country,
    )


def _weights(units: _Units, populations: dict, n_months: int) -> tuple[np.ndarray, dict[int, bool]]:
    """Each municipality's population per month (1 where it has none), and which parents have every
    municipality's population (the others are weighted by their number of municipalities)."""
    weights = np.ones((len(units.municipalities), n_months))
    has = np.zeros(len(units.municipalities), dtype=bool)
    for position, unit in enumerate(units.municipalities.tolist()):
        values = populations.get((UnitLevel.MUNICIPALITY, unit, ALL, ALL))
        if values is not None:
            weights[position], has[position] = values, True
    complete: dict[int, bool] = {}
    for position, unit in enumerate(units.municipalities.tolist()):
        department = units.department_of.get(unit)
        country = units.country_of_department.get(department, units.only_country)
        for parent in (department, country):
            if parent is not None:
                complete[parent] = complete.get(parent, True) and bool(has[position])
    return weights, complete


def table_coverage(*, table: CountTable, hierarchy: Hierarchy, populations: dict) -> Coverage:
    """The coverage of every row of `table` (discrepancy rows left at zero: they follow the reconciled ones)."""
    n_rows, n_months = table.counts.shape
    sources = sorted(basis for basis in table.coverage if basis != RECONCILED)
    share = np.zeros((n_rows, n_months), dtype=np.int16)
    covering = np.zeros((n_rows, n_months), dtype=np.int32)
    if not n_rows:
        return Coverage(sources=sources, share=share, covering=covering)
    units = _load_units(hierarchy)
    weights, complete = _weights(units, populations, n_months)
    keys = table.keys
    jurisdictions = np.array(
        sorted(set(keys.loc[keys["level"] == UnitLevel.JURISDICTION, "unit_id"].astype(np.int64).tolist())),
        dtype=np.int64,
    )
    declarations = declared_coverage()
    by_source, notes = {}, {}
    any_municipality = np.zeros((len(units.municipalities), n_months), dtype=bool)
    any_jurisdiction = np.zeros((len(jurisdictions), n_months), dtype=bool)
    for source in sources:
        covered, by_jurisdiction, notes[source] = _source_coverage(
            table, source, units, declarations.get(source), jurisdictions
        )
        by_source[source] = _shares(covered, by_jurisdiction, units, weights, complete)
        any_municipality |= covered
        any_jurisdiction |= by_jurisdiction
    reconciled = _shares(any_municipality, any_jurisdiction, units, weights, complete)
    jurisdiction_rows = {unit: index for index, unit in enumerate(jurisdictions.tolist())}
    eligible = ~discrepancy_basis_mask(keys["basis"])
    for (level, basis), indexes in keys[eligible].groupby(["level", "basis"], sort=False).indices.items():
        rows = np.flatnonzero(eligible)[indexes]
        shares = reconciled if basis == RECONCILED else by_source.get(basis)
        if shares is None:
            continue
        unit_rows, level_share = shares[level]
        unit_rows = jurisdiction_rows if level == UnitLevel.JURISDICTION else unit_rows
        positions = np.array(
            [unit_rows.get(unit, -1) for unit in keys["unit_id"].iloc[rows].astype(np.int64).tolist()], dtype=np.int64
        )
        placed = positions >= 0
        share[rows[placed]] = level_share[positions[placed]]
        chosen = sources if basis == RECONCILED else [basis]
        for source in chosen:
            bit = np.int32(1 << sources.index(source))
            source_share = by_source[source][level][1]
            covering[rows[placed]] |= np.where(source_share[positions[placed]] > 0, bit, 0).astype(np.int32)
    return Coverage(sources=sources, share=share, covering=covering, notes=notes)
