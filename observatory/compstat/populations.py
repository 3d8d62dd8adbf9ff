"""Populations of the police jurisdictions, estimated by area weighting (an estimate, said so wherever shown).

A jurisdiction gets, for each year, the sum over the colonias it overlaps of their population times the share of
each colonia's area inside it; in a municipality where no colonia has a figure that year, the municipality's
figure is weighted the same way. Areas are measured on the spheroid (PostGIS geography), so the shares are true
area shares whatever the latitude. A person in a unit entirely inside the jurisdictions is counted once in all of
them together: the estimates add up to the population the jurisdictions cover.
"""

from django.db import connection, transaction

from .models import JurisdictionPopulation

_ESTIMATE_SQL = """
    WITH figures AS (
        SELECT p.unit_id, p.year, p.population, u.level, u.boundary
        FROM geography_population p JOIN geography_adminunit u ON u.id = p.unit_id
        WHERE p.sex = '' AND p.age_band = '' AND u.level IN ('colonia', 'municipality')
    ),
    with_colonias AS (
        SELECT DISTINCT u.parent_id AS municipality_id, f.year
        FROM figures f JOIN geography_adminunit u ON u.id = f.unit_id WHERE f.level = 'colonia'
    ),
    used AS (
        SELECT f.* FROM figures f
        WHERE f.level = 'colonia'
           OR NOT EXISTS (SELECT 1 FROM with_colonias w WHERE w.municipality_id = f.unit_id AND w.year = f.year)
    ),
    shares AS (
        SELECT j.id AS jurisdiction_id, u.year, u.level,
               u.population * ST_Area(ST_Intersection(j.boundary, u.boundary)::geography)
                   / NULLIF(ST_Area(u.boundary::geography), 0) AS people
        FROM geography_policejurisdiction j JOIN used u ON ST_Intersects(j.boundary, u.boundary)
    )
    SELECT jurisdiction_id, year, coalesce(sum(people) FILTER (WHERE level = 'colonia'), 0),
           coalesce(sum(people) FILTER (WHERE level = 'municipality'), 0)
    FROM shares GROUP BY 1, 2
"""


def jurisdiction_populations_estimate() -> int:
    """Replace every jurisdiction's estimates with ones from the populations as they are now. Returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(_ESTIMATE_SQL)
        rows = cursor.fetchall()
    estimates = [
        JurisdictionPopulation(
            jurisdiction_id=jurisdiction,
            year=year,
            population=round(colonias + municipalities),
            from_colonias=round(colonias),
            from_municipalities=round(municipalities),
        )
        for jurisdiction, year, colonias, municipalities in rows
        if round(colonias + municipalities) > 0
    ]
    with transaction.atomic():
        JurisdictionPopulation.objects.all().delete()
        JurisdictionPopulation.objects.bulk_create(estimates)
    return len(estimates)
