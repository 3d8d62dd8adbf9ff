"""Addresses as the police write them."""

from dataclasses import dataclass

import numpy as np

from .drawing import draw
from .events import RAVINE, TRANSPORT

LANDMARKS = (
    "TIENDA LA BENDICION",
    "IGLESIA EVANGELICA",
    "ESCUELA OFICIAL MIXTA",
    "PARADA DE BUSES",
    "CANCHA DE FUTBOL",
    "MERCADO MUNICIPAL",
    "GASOLINERA",
    "FARMACIA",
    "PANADERIA",
    "TALLER MECANICO",
    "CENTRO DE SALUD",
    "TORTILLERIA",
    "CANTINA",
    "GIMNASIO",
)
MAIN_ROADS = (
    "CALZADA AGUILAR BATRES",
    "CALZADA ROOSEVELT",
    "ANILLO PERIFERICO",
    "AVENIDA PETAPA",
    "CALZADA SAN JUAN",
    "CARRETERA INTERAMERICANA",
    "CARRETERA AL PACIFICO",
    "BOULEVARD EL NARANJO",
)
ADDRESS_FORMS = {"street": 0.4, "avenue": 0.2, "corner": 0.15, "landmark": 0.15, "road": 0.05, "lot": 0.05}


@dataclass(frozen=True)
class _FormDraws:
    """Numbers and choices for the `size` addresses of one form, from the run's generator."""

    rng: np.random.Generator
    size: int

    def numbers(self, low: int, high: int) -> list[int]:
        return self.rng.integers(low, high + 1, size=self.size).tolist()

    def choices(self, options: tuple[str, ...]) -> list[str]:
        return [options[index] for index in self.rng.integers(len(options), size=self.size)]


def _street(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [
        f"{street}A. CALLE {block}-{house:02d} ZONA {in_zone}"
        for street, block, house, in_zone in zip(
            draws.numbers(1, 30), draws.numbers(1, 40), draws.numbers(1, 99), zones, strict=False
        )
    ]


def _avenue(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [
        f"{avenue}A. AVENIDA {block}-{house:02d} ZONA {in_zone}"
        for avenue, block, house, in_zone in zip(
            draws.numbers(1, 15), draws.numbers(1, 40), draws.numbers(1, 99), zones, strict=False
        )
    ]


def _corner(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [
        f"{street}A. CALLE Y {avenue}A. AVENIDA, ZONA {in_zone}"
        for street, avenue, in_zone in zip(draws.numbers(1, 30), draws.numbers(1, 15), zones, strict=False)
    ]


def _landmark(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [
        f"FRENTE A {landmark}, ZONA {in_zone}"
        for landmark, in_zone in zip(draws.choices(LANDMARKS), zones, strict=False)
    ]


def _road(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [
        f"{road} KM {kilometre}.{half}"
        for road, kilometre, half in zip(
            draws.choices(MAIN_ROADS), draws.numbers(5, 25), draws.choices(("0", "5")), strict=False
        )
    ]


def _lot(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [
        f"MANZANA {block} LOTE {lot}, SECTOR {sector}"
        for block, lot, sector in zip(
            draws.choices(tuple("ABCDEFGH")), draws.numbers(1, 60), draws.numbers(1, 9), strict=False
        )
    ]


def _bus(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [f"INTERIOR DE BUS URBANO RUTA {route}" for route in draws.numbers(1, 90)]


def _ravine(draws: _FormDraws, zones: list[int]) -> list[str]:
    return [
        f"BARRANCO A INMEDIACIONES DE {street}A. CALLE ZONA {in_zone}"
        for street, in_zone in zip(draws.numbers(1, 30), zones, strict=False)
    ]


# Each form of address and how it is written, in the order they are drawn: a seed's addresses depend on it.
_FORMS_WRITTEN = {
    "street": _street,
    "avenue": _avenue,
    "corner": _corner,
    "landmark": _landmark,
    "road": _road,
    "lot": _lot,
    "bus": _bus,
    "ravine": _ravine,
}


def addresses_draw(rng: np.random.Generator, *, zone: np.ndarray, place_type: np.ndarray) -> np.ndarray:
    """Addresses as the police write them: street numbers in the colonia's zone, landmarks, roads, bus routes."""
    form = draw(rng, ADDRESS_FORMS, len(zone))
    form[place_type == TRANSPORT] = "bus"
    form[place_type == RAVINE] = "ravine"
    addresses = np.empty(len(zone), dtype=object)
    for name, written in _FORMS_WRITTEN.items():
        rows = np.flatnonzero(form == name)
        addresses[rows] = written(_FormDraws(rng=rng, size=len(rows)), zone[rows].tolist())
    return addresses
