"""What each source is declared to cover (SourceCoverage), as municipalities and jurisdictions over months: read by
the indicators, to tell a zero from no data, and by the import, to warn about records outside the declaration."""

from dataclasses import dataclass
from datetime import date

from observatory.geography.models import AdminUnit, Level

from .models import SourceCoverage


@dataclass(frozen=True)
class Declaration:
    """One declaration expanded to the municipalities it stands for; `last_month` None while still covered."""

    municipalities: frozenset[int]
    jurisdictions: frozenset[int]
    first_month: date
    last_month: date | None


def declared_coverage() -> dict[str, list[Declaration]]:
    """{source code: its declarations}; sources without any are absent (their coverage is inferred)."""
    units = list(
        AdminUnit.objects.filter(level__in=[Level.COUNTRY, Level.DEPARTMENT, Level.MUNICIPALITY]).values_list(
            "id", "level", "parent_id"
        )
    )
    municipalities_of: dict[int, set[int]] = {unit: set() for unit, _, _ in units}
    department_of = {unit: parent for unit, level, parent in units if level == Level.DEPARTMENT}
    for unit, level, parent in units:
        if level == Level.MUNICIPALITY:
            municipalities_of[unit].add(unit)
            if parent in municipalities_of:
                municipalities_of[parent].add(unit)
            if department_of.get(parent) in municipalities_of:
                municipalities_of[department_of[parent]].add(unit)
    declarations: dict[str, list[Declaration]] = {}
    for coverage in SourceCoverage.objects.prefetch_related("units", "jurisdictions").order_by("pk"):
        municipalities = set()
        for unit in coverage.units.all():
            municipalities |= municipalities_of.get(unit.pk, set())
        declarations.setdefault(coverage.source_id, []).append(
            Declaration(
                municipalities=frozenset(municipalities),
                jurisdictions=frozenset(jurisdiction.pk for jurisdiction in coverage.jurisdictions.all()),
                first_month=coverage.first_month,
                last_month=coverage.last_month,
            )
        )
    return declarations


def _declared_municipality_months_sql() -> str:
    """The declared (municipality, first day, day after the last month) of source %(source)s, in SQL."""
    return f"""
        SELECT m.id AS municipality_id, c.first_month,
               (c.last_month + interval '1 month')::date AS end_day
        FROM {SourceCoverage._meta.db_table} c
        JOIN {SourceCoverage.units.through._meta.db_table} cu ON cu.sourcecoverage_id = c.id
        JOIN {AdminUnit._meta.db_table} u ON u.id = cu.adminunit_id
        JOIN {AdminUnit._meta.db_table} m ON m.level = 'municipality'
        LEFT JOIN {AdminUnit._meta.db_table} d ON d.id = m.parent_id
        WHERE c.source_id = %(source)s
          AND (m.id = u.id OR m.parent_id = u.id OR d.parent_id = u.id)
    """


def records_outside_declared_coverage(*, cursor, source: str, run_id: int) -> tuple[int, str | None]:
    """How many records a run wrote whose municipality and month lie outside its source's declared coverage, and
    one of their record ids; (0, None) when the source has no declaration. Records without a municipality or a
    date cannot be checked and are left out."""
    if not SourceCoverage.objects.filter(source_id=source).exists():
        return 0, None
    cursor.execute(
        f"""
        WITH declared AS ({_declared_municipality_months_sql()})
        SELECT count(*), min(r.record_id) FROM records_sourcerecord r
        WHERE r.source_id = %(source)s AND r.last_run_id = %(run)s AND r.municipality_id IS NOT NULL
          AND coalesce(r.event_date, r.death_date) IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM declared d WHERE d.municipality_id = r.municipality_id
                          AND coalesce(r.event_date, r.death_date) >= d.first_month
                          AND (d.end_day IS NULL OR coalesce(r.event_date, r.death_date) < d.end_day))
    """,
        {"source": source, "run": run_id},
    )
    count, example = cursor.fetchone()
    return count, example
