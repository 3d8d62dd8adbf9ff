from django.contrib.gis.db.models.functions import GeomOutputGeoFunc


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """ST_SimplifyPreserveTopology: lighter polygons for maps, without self-intersections."""

    function = "ST_SimplifyPreserveTopology"


class Multi(GeomOutputGeoFunc):
    """ST_Multi: a geometry as its multi- type (a Polygon as a one-part MultiPolygon)."""

    function = "ST_Multi"
