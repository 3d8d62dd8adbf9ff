from django.db import connection

from observatory.compstat.models import JurisdictionPopulation
from observatory.compstat.populations import jurisdiction_populations_estimate


def _covered_population(year: int) -> float:
    """Each unit used (the colonias with figures, and municipalities without any) times the share of its area the
    jurisdictions together cover: what the estimates must add up to."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT sum(p.population * ST_Area(ST_Intersection(u.boundary, j.boundary)::geography)
                       / ST_Area(u.boundary::geography))
            FROM geography_population p JOIN geography_adminunit u ON u.id = p.unit_id,
                 (SELECT ST_Union(boundary) AS boundary FROM geography_policejurisdiction) j
            WHERE p.year = %s AND p.sex = '' AND p.age_band = ''
              AND (u.level = 'colonia' OR (u.level = 'municipality' AND NOT EXISTS (
                    SELECT 1 FROM geography_adminunit c JOIN geography_population cp ON cp.unit_id = c.id
                    WHERE c.parent_id = u.id AND cp.year = p.year)))
            """,
            [year],
        )
        return cursor.fetchone()[0]


def test_area_weighted_jurisdiction_populations_sum_to_the_covered_population(city):
    assert jurisdiction_populations_estimate() == 2
    estimates = {row.jurisdiction.code: row for row in JurisdictionPopulation.objects.filter(year=2024)}
    # Norte: the west colonia whole and half the east one; Sur: the other half of the east one and half of Pueblo
    # (Pueblo has no colonia figures); Ciudad's own 99,999 is not counted over its colonias.
    assert estimates["J-N"].population == 10_000 + 15_000
    assert estimates["J-S"].population == 15_000 + 10_000
    assert (estimates["J-S"].from_colonias, estimates["J-S"].from_municipalities) == (15_000, 10_000)
    assert sum(row.population for row in estimates.values()) == round(_covered_population(2024))


def test_estimating_again_replaces_the_estimates(city):
    jurisdiction_populations_estimate()
    city["norte"].boundary = city["sur"].boundary
    city["norte"].save()
    jurisdiction_populations_estimate()
    populations = dict(JurisdictionPopulation.objects.values_list("jurisdiction__code", "population"))
    assert populations == {"J-N": 25_000, "J-S": 25_000}
    assert JurisdictionPopulation.objects.count() == 2
