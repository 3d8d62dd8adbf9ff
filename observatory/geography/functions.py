from django.contrib.gis.db.models.functions import GeomOutputGeoFunc


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    """ST_SimplifyPreserveTopology: lighter polygons for maps, without self-intersections."""

    function = "ST_SimplifyPreserveTopology"
