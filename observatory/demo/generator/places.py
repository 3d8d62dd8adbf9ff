"""The demo city as the generator needs it: municipalities, colonias, their spellings and points inside them."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.db import connection

from observatory.errors import ApplicationError
from observatory.geography.folding import strip_accents
from observatory.geography.models import AdminUnit, Level
from observatory.geography.services.demo import DEMO_CITY, DEMO_CITY_BASE_POPULATION

POINTS_PER_COLONIA = 500  # the pool of points inside each colonia that incidents are placed on
HOTSPOT_SEED = 20240501  # the same colonias are violent whatever the seed, as in a real city
MUNICIPALITY_ALIASES = {"0101": ("Ciudad de Guatemala", "Guatemala Ciudad", "Ciudad Capital"), "0115": ("Villanueva",)}
MAX_ZONE = {"0101": 25, "0108": 11, "0115": 12}


@dataclass(frozen=True)
class Colonia:
    code: str
    name: str
    municipality: int  # position in CityPlaces.municipality_codes
    zone: int
    risk: float  # relative chance that an incident happens here: population times a hotspot factor


@dataclass(frozen=True)
class CityPlaces:
    """The demo city as the generator needs it, read once from the database."""

    municipality_codes: tuple[str, ...]
    municipality_names: tuple[str, ...]
    colonias: tuple[Colonia, ...]
    points: dict[str, np.ndarray]  # (longitude, latitude) pairs inside each colonia, by colonia code
    nearby_municipality_names: tuple[str, ...]  # the rest of the department, where some patients live
    registration_codes: tuple[str, ...]  # every municipality code: where an ID number may have been issued

    @cached_property
    def colonia_risk(self) -> np.ndarray:
        risk = np.array([colonia.risk for colonia in self.colonias])
        return risk / risk.sum()

    @cached_property
    def colonia_municipality(self) -> np.ndarray:
        return np.array([colonia.municipality for colonia in self.colonias])

    @cached_property
    def colonia_zone(self) -> np.ndarray:
        return np.array([colonia.zone for colonia in self.colonias])

    @cached_property
    def police_municipality_spellings(self) -> list[dict[str, float]]:
        return [
            _spellings(
                [
                    (strip_accents(name).upper(), 0.9),
                    (name.upper(), 0.03),
                    *_aliases(code, share=0.07, spelt=lambda alias: strip_accents(alias).upper()),
                ]
            )
            for code, name in zip(self.municipality_codes, self.municipality_names, strict=False)
        ]

    @cached_property
    def coroner_municipality_spellings(self) -> list[dict[str, float]]:
        return [
            _spellings(
                [
                    (name, 0.55),
                    (name.upper(), 0.2),
                    (strip_accents(name), 0.1),
                    (name.capitalize(), 0.1),
                    *_aliases(code, share=0.05, spelt=str),
                ]
            )
            for code, name in zip(self.municipality_codes, self.municipality_names, strict=False)
        ]

    @cached_property
    def hospital_municipality_spellings(self) -> list[dict[str, float]]:
        return [
            _spellings([(strip_accents(name).upper(), 0.8), (name, 0.15), *_aliases(code, share=0.05, spelt=str.upper)])
            for code, name in zip(self.municipality_codes, self.municipality_names, strict=False)
        ]

    @cached_property
    def police_colonia_spellings(self) -> list[dict[str, float]]:
        spellings = []
        for colonia in self.colonias:
            plain = strip_accents(colonia.name)
            spellings.append(
                _spellings(
                    [
                        (f"COL. {plain.upper()}", 0.30),
                        (plain.upper(), 0.20),
                        (f"COLONIA {plain.upper()}", 0.12),
                        (f"Colonia {colonia.name}", 0.08),
                        (f"Col. {plain}", 0.06),
                        (f"COL {plain.upper()}", 0.05),
                        (colonia.name.upper(), 0.05),
                        (plain.lower(), 0.04),
                    ]
                )
            )
        return spellings


def _aliases(code: str, *, share: float, spelt) -> list[tuple[str, float]]:
    """The municipality's other names, `share` of the time between them."""
    aliases = MUNICIPALITY_ALIASES.get(code, ())
    return [(spelt(alias), share / len(aliases)) for alias in aliases]


def _spellings(weighted: list[tuple[str, float]]) -> dict[str, float]:
    """Weighted spellings as a table; spellings that coincide (a name without accents) add up."""
    table: dict[str, float] = {}
    for spelling, weight in weighted:
        table[spelling] = table.get(spelling, 0.0) + weight
    return table


def city_places_read(*, seed: int) -> CityPlaces:
    """The demo city's municipalities and colonias, with a pool of random points inside each colonia."""
    colonias = list(
        AdminUnit.objects.filter(
            level=Level.COLONIA, parent__level=Level.MUNICIPALITY, parent__code__in=list(DEMO_CITY)
        )
        .select_related("parent")
        .order_by("code")
    )
    if not colonias:
        raise ApplicationError(
            "The demo city has no colonias: load the demo geography first (manage.py load_demo).",
            code="demo_geography_missing",
        )
    municipalities = {colonia.parent.code: colonia.parent for colonia in colonias}
    codes = tuple(code for code in DEMO_CITY if code in municipalities)
    # Demo populations are split by area; hotspots concentrate violence within a municipality, whose share of
    # the city's violence follows its population.
    hotspots = np.random.default_rng(HOTSPOT_SEED).gamma(0.8, 1.25, size=len(colonias))
    weights = {
        colonia.code: colonia.boundary.area * hotspot for colonia, hotspot in zip(colonias, hotspots, strict=False)
    }
    municipality_weight: Counter = Counter()
    for colonia in colonias:
        municipality_weight[colonia.parent.code] += weights[colonia.code]
    rank_in_municipality: Counter = Counter()
    places = []
    for colonia in colonias:
        code = colonia.parent.code
        places.append(
            Colonia(
                code=colonia.code,
                name=colonia.name,
                municipality=codes.index(code),
                zone=1 + rank_in_municipality[code] * 7 % MAX_ZONE[code],
                risk=DEMO_CITY_BASE_POPULATION[code] * weights[colonia.code] / municipality_weight[code],
            )
        )
        rank_in_municipality[code] += 1
    department = municipalities[codes[0]].parent_id
    nearby = AdminUnit.objects.filter(level=Level.MUNICIPALITY, parent_id=department).exclude(code__in=codes)
    return CityPlaces(
        municipality_codes=codes,
        municipality_names=tuple(municipalities[code].name for code in codes),
        colonias=tuple(places),
        points=colonia_points_generate(
            colonia_codes=[colonia.code for colonia in colonias], count=POINTS_PER_COLONIA, seed=seed
        ),
        nearby_municipality_names=tuple(nearby.order_by("code").values_list("name", flat=True)),
        registration_codes=tuple(
            AdminUnit.objects.filter(level=Level.MUNICIPALITY).order_by("code").values_list("code", flat=True)
        ),
    )


def colonia_points_generate(*, colonia_codes: Sequence[str], count: int, seed: int) -> dict[str, np.ndarray]:
    """`count` random points inside each colonia, one PostGIS query per colonia; the same for the same seed."""
    points = {}
    with connection.cursor() as cursor:
        for position, code in enumerate(colonia_codes):
            cursor.execute(
                """
                SELECT ST_X(point.geom), ST_Y(point.geom)
                FROM geography_adminunit, ST_Dump(ST_GeneratePoints(boundary, %s, %s)) AS point
                WHERE level = %s AND code = %s
                ORDER BY point.path
                """,
                [count, seed % 2_000_000 * 1000 + position + 1, Level.COLONIA, code],  # PostGIS wants a positive int4
            )
            points[code] = np.array(cursor.fetchall(), dtype=float)
    return points
