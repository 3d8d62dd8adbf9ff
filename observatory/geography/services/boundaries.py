"""Importing boundaries from GeoJSON, TopoJSON or Shapefile (anything GDAL reads), idempotently."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.db import connection, transaction

from observatory.errors import ApplicationError

from ..folding import fold_place_name
from ..models import PARENT_LEVEL, AdminUnit, Level, PlaceName, PoliceJurisdiction

JURISDICTION = "jurisdiction"


class BoundaryImportError(ApplicationError):
    """The whole file cannot be imported (unreadable, missing field, unknown layer)."""


@dataclass(frozen=True)
class FieldMapping:
    code_field: str
    name_field: str
    parent_code_field: str | None = None
    code_width: int = 0
    code_of: Callable[[str], str] | None = None
    parent_code_of: Callable[[str], str] | None = None
    # Official names by code: they win over the file's names, which are kept as aliases.
    official_names: dict[str, str] = field(default_factory=dict)

    def code(self, raw: object) -> str:
        return self._normalise(raw, self.code_of)

    def parent_code(self, raw: object) -> str:
        return self._normalise(raw, self.parent_code_of)

    def _normalise(self, raw: object, custom: Callable[[str], str] | None) -> str:
        text = "" if raw is None else str(raw).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if custom is not None and text:
            return custom(text)
        if self.code_width and text.isdigit():
            return text.zfill(self.code_width)
        return text


@dataclass
class BoundaryImportReport:
    path: str
    level: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.path} ({self.level}): created={len(self.created)} updated={len(self.updated)} "
            f"unchanged={len(self.unchanged)} repaired={len(self.repaired)} rejected={len(self.rejected)} "
            f"excluded={len(self.excluded)}"
        )

    def lines(self) -> list[str]:
        details = [f"repaired: {line}" for line in self.repaired] + [f"rejected: {line}" for line in self.rejected]
        details += [f"excluded: {line}" for line in self.excluded] + [f"merged: {line}" for line in self.merged]
        return [*details, self.summary()]


@dataclass
class _Feature:
    label: str
    code: str
    name: str
    parent_code: str
    geometry: GEOSGeometry
    raw_code: str = ""
    aliases: tuple[str, ...] = ()


def _read_layer(path: Path, layer_name: str | None):
    try:
        source = DataSource(str(path))
    except GDALException as error:
        raise BoundaryImportError(f"{path}: cannot be read as a vector file ({error}).") from error
    if layer_name is None:
        return source[0]
    names = [layer.name for layer in source]
    if layer_name not in names:
        raise BoundaryImportError(f"{path}: no layer '{layer_name}' (layers: {', '.join(names)}).")
    return source[names.index(layer_name)]


def _check_fields(path: Path, layer, mapping: FieldMapping) -> None:
    wanted = [mapping.code_field, mapping.name_field] + (
        [mapping.parent_code_field] if mapping.parent_code_field else []
    )
    missing = [name for name in wanted if name not in layer.fields]
    if missing:
        raise BoundaryImportError(
            f"{path}: field(s) {', '.join(missing)} not found (fields in the file: {', '.join(layer.fields)})."
        )


def _features(path: Path, layer, mapping: FieldMapping) -> list[_Feature]:
    features = []
    for index, feature in enumerate(layer, start=1):
        raw_code = str(feature.get(mapping.code_field) or "").strip()
        code = mapping.code(feature.get(mapping.code_field))
        name = str(feature.get(mapping.name_field) or "").strip()
        label = f"{path.name} feature #{index} (code '{code}', name '{name}')"
        official_name = mapping.official_names.get(code)
        aliases = (name,) if official_name and official_name != name else ()
        geometry = feature.geom
        if geometry.srs is not None and geometry.srs.srid not in (4326, None):
            geometry.transform(4326)
        geos = geometry.geos
        geos.srid = 4326
        parent_code = mapping.parent_code(feature.get(mapping.parent_code_field)) if mapping.parent_code_field else ""
        features.append(
            _Feature(
                label=label,
                code=code,
                name=official_name or name,
                parent_code=parent_code,
                geometry=geos,
                raw_code=raw_code,
                aliases=aliases,
            )
        )
    return features


def _as_valid_multipolygon(geometry: GEOSGeometry) -> tuple[MultiPolygon | None, str]:
    """The polygonal part of the geometry, repaired with ST_MakeValid when needed, and why it was repaired."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_IsValid(g), ST_IsValidReason(g),
                   ST_AsEWKB(ST_Multi(ST_CollectionExtract(CASE WHEN ST_IsValid(g) THEN g ELSE ST_MakeValid(g) END, 3)))
            FROM (SELECT ST_GeomFromEWKB(%s) AS g) AS source
            """,
            [bytes(geometry.ewkb)],
        )
        is_valid, reason, repaired = cursor.fetchone()
    result = GEOSGeometry(memoryview(repaired))
    if result.empty:
        return None, reason
    result.srid = 4326
    return result, "" if is_valid else reason


def _dissolve(features: list[_Feature], code: str, name: str) -> list[_Feature]:
    polygons = [polygon for feature in features for polygon in _polygons(feature.geometry)]
    union = MultiPolygon(polygons, srid=4326).buffer(0) if len(polygons) > 1 else polygons[0]
    return [_Feature(label=f"dissolved {len(features)} features", code=code, name=name, parent_code="", geometry=union)]


def _find_parent(level: str, code: str, fixed_parent_code: str | None) -> tuple[AdminUnit | None, str]:
    parent_level = PARENT_LEVEL.get(level)
    if parent_level is None:
        return None, ""
    parent_code = fixed_parent_code or code
    if not parent_code:
        return None, f"no parent {parent_level} code"
    parent = AdminUnit.objects.filter(level=parent_level, code=parent_code).first()
    if parent is None:
        return None, f"parent {parent_level} '{parent_code}' not found (import the {parent_level} level first)"
    return parent, ""


def unit_upsert(
    *,
    level: str,
    code: str,
    name: str,
    geometry: MultiPolygon,
    parent: AdminUnit | None,
    source: str,
    is_demo: bool,
    aliases: tuple[str, ...] = (),
) -> str:
    """Create, update or leave the unit; returns which of the three happened."""
    model = PoliceJurisdiction if level == JURISDICTION else AdminUnit
    lookup = {"code": code} if level == JURISDICTION else {"level": level, "code": code}
    wanted = {"name": name, "boundary_source": source, "is_demo": is_demo}
    if level != JURISDICTION:
        wanted["parent"] = parent
    existing = model.objects.filter(**lookup).first()
    if existing is None:
        unit = model.objects.create(**lookup, **wanted, boundary=geometry)
        outcome = "created"
    else:
        same_shape = existing.boundary.equals_exact(geometry, 1e-9)
        if same_shape and all(getattr(existing, key) == value for key, value in wanted.items()):
            if level != JURISDICTION:
                _place_names_ensure(unit=existing, name=name, aliases=aliases)
            return "unchanged"
        previous_name = existing.name
        for key, value in wanted.items():
            setattr(existing, key, value)
        existing.boundary = geometry
        existing.save()
        unit = existing
        outcome = "updated"
        if level != JURISDICTION and previous_name != name:
            place_name_add(unit=unit, name=previous_name, kind=PlaceName.Kind.ALIAS)
    if level != JURISDICTION:
        _place_names_ensure(unit=unit, name=name, aliases=aliases)
    return outcome


def _place_names_ensure(*, unit: AdminUnit, name: str, aliases: tuple[str, ...]) -> None:
    place_name_add(unit=unit, name=name, kind=PlaceName.Kind.OFFICIAL)
    for alias in aliases:
        place_name_add(unit=unit, name=alias, kind=PlaceName.Kind.ALIAS)


def place_name_add(*, unit: AdminUnit, name: str, kind: str = PlaceName.Kind.ALIAS) -> tuple[PlaceName, bool]:
    folded = fold_place_name(name)
    entry, created = PlaceName.objects.get_or_create(
        unit=unit, folded=folded, defaults={"name": name, "kind": kind, "level": unit.level}
    )
    if not created and kind == PlaceName.Kind.OFFICIAL and entry.kind != kind:
        entry.kind, entry.name = kind, name
        entry.save(update_fields=["kind", "name"])
    return entry, created


@transaction.atomic
def boundaries_import(
    *,
    path: Path,
    level: str,
    mapping: FieldMapping,
    layer_name: str | None = None,
    parent_code: str | None = None,
    exclude_codes: frozenset[str] = frozenset(),
    dissolve_as: tuple[str, str] | None = None,
    source: str = "",
    is_demo: bool = False,
) -> BoundaryImportReport:
    """Import one layer of boundaries as units of `level` (or police jurisdictions).

    Features whose code is in `exclude_codes` are skipped. Several features with the same code are merged.
    Invalid geometries are repaired with ST_MakeValid or rejected with the feature named. `dissolve_as`
    (code, name) merges every feature into one unit, e.g. a country from its departments.
    """
    if level != JURISDICTION and level not in Level.values:
        raise BoundaryImportError(f"Unknown level '{level}' (use one of {', '.join(Level.values)}, {JURISDICTION}).")
    path = Path(path)
    if not path.exists():
        raise BoundaryImportError(f"{path}: no such file.")
    layer = _read_layer(path, layer_name)
    _check_fields(path, layer, mapping)
    report = BoundaryImportReport(path=str(path), level=level)
    features = _features_kept(_features(path, layer, mapping), exclude_codes=exclude_codes, report=report)
    if dissolve_as is not None and features:
        features = _dissolve(features, *dissolve_as)
    for feature in _merged_by_code(features, report=report):
        _feature_import(
            feature, level=level, parent_code=parent_code, source=source or path.name, is_demo=is_demo, report=report
        )
    return report


def _features_kept(
    features: list[_Feature], *, exclude_codes: frozenset[str], report: BoundaryImportReport
) -> list[_Feature]:
    """The features to import: not excluded, with a code and a name (the others noted in `report`)."""
    kept = []
    for feature in features:
        if feature.code in exclude_codes or feature.raw_code in exclude_codes:
            report.excluded.append(feature.label)
        elif not feature.code or not feature.name:
            report.rejected.append(f"{feature.label}: missing {'code' if not feature.code else 'name'}")
        else:
            kept.append(feature)
    return kept


def _merged_by_code(features: list[_Feature], *, report: BoundaryImportReport) -> list[_Feature]:
    """One feature per code: the first feature of the code, with the polygons of all of them."""
    by_code: dict[str, list[_Feature]] = {}
    for feature in features:
        by_code.setdefault(feature.code, []).append(feature)
    merged = []
    for code, parts in by_code.items():
        feature = parts[0]
        if len(parts) > 1:
            feature = _Feature(
                feature.label,
                code,
                feature.name,
                feature.parent_code,
                MultiPolygon([polygon for part in parts for polygon in _polygons(part.geometry)], srid=4326),
                feature.raw_code,
                feature.aliases,
            )
            report.merged.append(f"{len(parts)} features with code '{code}' merged into one unit")
        merged.append(feature)
    return merged


def _feature_import(
    feature: _Feature, *, level: str, parent_code: str | None, source: str, is_demo: bool, report: BoundaryImportReport
) -> None:
    """Repair the feature's geometry, find its parent and create or update its unit; the outcome goes in `report`."""
    geometry, repair_reason = _as_valid_multipolygon(feature.geometry)
    if geometry is None:
        report.rejected.append(f"{feature.label}: invalid geometry that cannot be repaired ({repair_reason})")
        return
    if repair_reason:
        report.repaired.append(f"{feature.label}: {repair_reason}")
    parent, problem = (None, "") if level == JURISDICTION else _find_parent(level, feature.parent_code, parent_code)
    if problem:
        report.rejected.append(f"{feature.label}: {problem}")
        return
    outcome = unit_upsert(
        level=level,
        code=feature.code,
        name=feature.name,
        geometry=geometry,
        parent=parent,
        source=source,
        is_demo=is_demo,
        aliases=feature.aliases,
    )
    getattr(report, outcome).append(feature.label)


def _polygons(geometry: GEOSGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry)
    return [part for member in geometry for part in _polygons(member)]
