"""Where each record happened: coordinates when they are valid and agree with the declared municipality,
otherwise the gazetteer's reading of the municipality and colonia names; unresolved places keep a reason.

Vectorised: names are resolved once per distinct value, points a polygon at a time over the distinct coordinates
of a chunk.
"""

import numpy as np
import pandas as pd
import shapely
from django.utils.translation import gettext as _

from observatory.geography.folding import fold_place_name
from observatory.geography.models import AdminUnit, Level, PlaceName, PoliceJurisdiction
from observatory.records.terms import GeoMethod


class _Layer:
    """Polygons of one level, for point-in-polygon lookups of many points at once.

    Each polygon is prepared (an index of its edges) and tested only against the points inside its bounding box,
    found by bisection in the points sorted by longitude: no geometry object is made per point.
    """

    def __init__(self, ids: list[int], wkbs: list[bytes]):
        self.ids = np.array(ids, dtype=np.int64)
        self.polygons = shapely.from_wkb(wkbs) if wkbs else np.empty(0, dtype=object)
        shapely.prepare(self.polygons)
        self.bounds = shapely.bounds(self.polygons) if wkbs else np.empty((0, 4))

    def locate(self, longitudes: np.ndarray, latitudes: np.ndarray) -> np.ndarray:
        """The id of the polygon holding each point, or -1."""
        found = np.full(len(longitudes), -1, dtype=np.int64)
        if not len(self.ids) or not len(longitudes):
            return found
        pairs = np.empty(len(longitudes), dtype=np.complex128)
        pairs.real, pairs.imag = longitudes, latitudes
        codes, distinct = pd.factorize(pairs)  # incidents often share coordinates
        order = np.argsort(distinct.real, kind="stable")
        xs, ys = distinct.real[order], distinct.imag[order]
        found_distinct = np.full(len(distinct), -1, dtype=np.int64)
        for polygon, (min_x, min_y, max_x, max_y), unit in zip(self.polygons, self.bounds, self.ids, strict=False):
            first, last = np.searchsorted(xs, min_x, side="left"), np.searchsorted(xs, max_x, side="right")
            candidates = first + np.flatnonzero((ys[first:last] >= min_y) & (ys[first:last] <= max_y))
            if len(candidates):
                inside = candidates[shapely.intersects_xy(polygon, xs[candidates], ys[candidates])]
                found_distinct[order[inside]] = unit
        return found_distinct[codes]


class PlaceResolver:
    def __init__(self):
        self.municipality_names: dict[int, str] = {}
        self.department_of: dict[int, int] = {}
        for unit_id, name, parent_id in AdminUnit.objects.filter(level=Level.MUNICIPALITY).values_list(
            "id", "name", "parent_id"
        ):
            self.municipality_names[unit_id] = name
            self.department_of[unit_id] = parent_id
        self.municipalities_by_name: dict[str, set[int]] = {}
        self.departments_by_name: dict[str, set[int]] = {}
        self.colonias_by_name: dict[tuple[int, str], set[int]] = {}
        entries = PlaceName.objects.filter(level__in=[Level.DEPARTMENT, Level.MUNICIPALITY, Level.COLONIA])
        for level, folded, unit_id, parent_id in entries.values_list("level", "folded", "unit_id", "unit__parent_id"):
            if level == Level.MUNICIPALITY:
                self.municipalities_by_name.setdefault(folded, set()).add(unit_id)
            elif level == Level.DEPARTMENT:
                self.departments_by_name.setdefault(folded, set()).add(unit_id)
            else:
                self.colonias_by_name.setdefault((parent_id, folded), set()).add(unit_id)
        self.municipality_layer = self._layer(AdminUnit.objects.filter(level=Level.MUNICIPALITY))
        self.colonia_layer = self._layer(AdminUnit.objects.filter(level=Level.COLONIA))
        self.jurisdiction_layer = self._layer(PoliceJurisdiction.objects.all())
        self.colonia_parent = dict(AdminUnit.objects.filter(level=Level.COLONIA).values_list("id", "parent_id"))

    @staticmethod
    def _layer(queryset) -> _Layer:
        rows = list(queryset.values_list("id", "boundary"))
        return _Layer([row[0] for row in rows], [bytes(row[1].wkb) for row in rows])

    def _municipality_by_name(self, department: str, municipality: str) -> tuple[int, str]:
        if not municipality:
            return -1, ""
        candidates = self.municipalities_by_name.get(fold_place_name(municipality), set())
        departments = self.departments_by_name.get(fold_place_name(department), set()) if department else set()
        if departments:
            in_department = {unit for unit in candidates if self.department_of.get(unit) in departments}
            candidates = in_department or candidates
        if len(candidates) == 1:
            return next(iter(candidates)), ""
        if not candidates:
            return -1, _("municipality '%(name)s' is not in the gazetteer") % {"name": municipality}
        return -1, _("municipality '%(name)s' names %(count)d municipalities; the department does not tell which") % {
            "name": municipality,
            "count": len(candidates),
        }

    def _colonia_by_name(self, municipality_id: int, colonia: str) -> tuple[int, str]:
        if not colonia or municipality_id < 0:
            return -1, ""
        candidates = self.colonias_by_name.get((municipality_id, fold_place_name(colonia)), set())
        if len(candidates) == 1:
            return next(iter(candidates)), ""
        return -1, _("colonia '%(name)s' is not in the gazetteer of %(municipality)s") % {
            "name": colonia,
            "municipality": self.municipality_names.get(municipality_id, ""),
        }

    def resolve(
        self,
        *,
        department: pd.Series,
        municipality: pd.Series,
        colonia: pd.Series,
        latitude: pd.Series,
        longitude: pd.Series,
    ) -> pd.DataFrame:
        """Each row's municipality, colonia, police jurisdiction and point, how they were found (geo_method), and
        why a place was not (geo_note)."""
        declared, notes = self._declared_municipalities(department, municipality)
        lat, lon = latitude.to_numpy(dtype=float, copy=True), longitude.to_numpy(dtype=float, copy=True)
        has_point = ~(np.isnan(lat) | np.isnan(lon)) & ~((lat == 0) & (lon == 0))
        point_municipality, swapped = self._point_municipalities(lat, lon, has_point)
        agrees = (point_municipality >= 0) & ((declared < 0) | (point_municipality == declared))
        municipality_id = np.where(agrees, point_municipality, declared)
        self._unused_points_note(notes, point_municipality=point_municipality, declared=declared, has_point=has_point)
        notes[(municipality_id < 0) & (notes == "")] = _("no municipality and no coordinates")
        colonia_id = self._colonias(colonia, municipality_id, agrees=agrees, lat=lat, lon=lon, notes=notes)
        jurisdiction_id = np.full(len(municipality), -1, dtype=np.int64)
        jurisdiction_id[agrees] = self.jurisdiction_layer.locate(lon[agrees], lat[agrees])
        return pd.DataFrame(
            {
                "municipality_id": _optional_ids(municipality_id),
                "colonia_id": _optional_ids(colonia_id),
                "jurisdiction_id": _optional_ids(jurisdiction_id),
                "point_latitude": np.where(agrees, lat, np.nan),
                "point_longitude": np.where(agrees, lon, np.nan),
                "geo_method": pd.Series(_geo_methods(declared, agrees, swapped), dtype=object, copy=False),
                "geo_note": pd.Series(notes, dtype=object, copy=False),
            }
        )

    def _declared_municipalities(self, department: pd.Series, municipality: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """The municipality each row's names give (-1 for none), and why a name gave none."""
        codes, uniques = _factorize_pairs(department.to_numpy(), municipality.to_numpy())
        resolved = [self._municipality_by_name(dep, muni) for dep, muni in uniques]
        declared = np.array([unit for unit, _ in resolved], dtype=np.int64)[codes]
        notes = np.array([note for _, note in resolved], dtype=object)[codes]
        return declared, notes

    def _point_municipalities(
        self, lat: np.ndarray, lon: np.ndarray, has_point: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The municipality each point falls in (-1 for none), and which points fall in one only with latitude and
        longitude swapped: those are swapped back, in `lat` and `lon`."""
        rows = len(lat)
        in_range = has_point & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        point_municipality = np.full(rows, -1, dtype=np.int64)
        point_municipality[in_range] = self.municipality_layer.locate(lon[in_range], lat[in_range])
        swapped = has_point & (point_municipality < 0) & (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
        swapped_municipality = np.full(rows, -1, dtype=np.int64)
        swapped_municipality[swapped] = self.municipality_layer.locate(lat[swapped], lon[swapped])
        swapped &= swapped_municipality >= 0
        point_municipality[swapped] = swapped_municipality[swapped]
        lat[swapped], lon[swapped] = lon[swapped].copy(), lat[swapped].copy()
        return point_municipality, swapped

    def _unused_points_note(
        self, notes: np.ndarray, *, point_municipality: np.ndarray, declared: np.ndarray, has_point: np.ndarray
    ) -> None:
        """Why coordinates were not used: they fall in another municipality than the declared one, or in none."""
        disagree = (point_municipality >= 0) & (declared >= 0) & (point_municipality != declared)
        if disagree.any():
            message = _("the coordinates fall in %(found)s, not in the declared %(declared)s; they were not used")
            pairs = pd.Series(list(zip(point_municipality[disagree], declared[disagree], strict=False)))
            notes[disagree] = _per_distinct_pair(
                pairs,
                lambda pair: (
                    message % {"found": self.municipality_names[pair[0]], "declared": self.municipality_names[pair[1]]}
                ),
            )
        outside = has_point & (point_municipality < 0) & (notes == "")
        if outside.any():
            notes[outside] = _("the coordinates are outside every municipality; they were not used")

    def _colonias(
        self,
        colonia: pd.Series,
        municipality_id: np.ndarray,
        *,
        agrees: np.ndarray,
        lat: np.ndarray,
        lon: np.ndarray,
        notes: np.ndarray,
    ) -> np.ndarray:
        """The colonia of each row (-1 for none): where the point is used, the one it falls in; otherwise the one
        its name gives in its municipality, noting why a name gave none where nothing else is noted."""
        colonia_id = np.full(len(municipality_id), -1, dtype=np.int64)
        colonia_id[agrees] = self.colonia_layer.locate(lon[agrees], lat[agrees])
        by_name = ~agrees & (municipality_id >= 0)
        if by_name.any():
            name_codes, name_uniques = _factorize_pairs(municipality_id[by_name], colonia.to_numpy()[by_name])
            named = [self._colonia_by_name(int(unit), name) for unit, name in name_uniques]
            colonia_id[by_name] = np.array([unit for unit, _ in named], dtype=np.int64)[name_codes]
            colonia_notes = np.array([note for _, note in named], dtype=object)[name_codes]
            target = np.flatnonzero(by_name)
            fill = (colonia_notes != "") & (notes[target] == "")
            notes[target[fill]] = colonia_notes[fill]
        return colonia_id


def _geo_methods(declared: np.ndarray, agrees: np.ndarray, swapped: np.ndarray) -> np.ndarray:
    """How each row's place was found: by its coordinates (agreeing with the declared municipality, alone, or
    swapped back), by the gazetteer's reading of its names, or not at all."""
    method = np.full(len(declared), GeoMethod.UNRESOLVED.value, dtype=object)
    method[(declared >= 0)] = GeoMethod.GAZETTEER.value
    method[agrees & (declared >= 0)] = GeoMethod.COORDINATES.value
    method[agrees & (declared < 0)] = GeoMethod.COORDINATES_ONLY.value
    method[agrees & swapped] = GeoMethod.COORDINATES_SWAPPED.value
    return method


def _optional_ids(ids: np.ndarray) -> pd.Series:
    return pd.Series(ids, dtype="Int64").mask(ids < 0)


def _factorize_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """Codes of the distinct (first, second) pairs, and those pairs."""
    first_codes, first_distinct = pd.factorize(first)
    second_codes, second_distinct = pd.factorize(second)
    codes, distinct = pd.factorize(first_codes.astype(np.int64) * len(second_distinct) + second_codes)
    return codes, [
        (first_distinct[pair // len(second_distinct)], second_distinct[pair % len(second_distinct)])
        for pair in distinct
    ]


def _per_distinct_pair(pairs: pd.Series, describe) -> np.ndarray:
    codes, uniques = pd.factorize(pairs)
    return np.array([describe(pair) for pair in uniques], dtype=object)[codes]
