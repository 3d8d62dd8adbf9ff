"""A static map for the printed report: the jurisdiction's outline and the period's incidents counted in square
cells, as an SVG drawn on the server (Web Mercator; ST_AsSVG writes y downwards)."""

from django.db import connection
from django.utils.html import escape

from .filters import IncidentFilter
from .periods import Span

CELLS_ACROSS = 40
WIDTH_PX = 640


def _extent(jurisdiction: int | None) -> tuple[float, float, float, float] | None:
    condition, params = ("WHERE id = %(pk)s", {"pk": jurisdiction}) if jurisdiction else ("", {})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(ST_Transform(boundary, "
            "3857)) AS e FROM geography_policejurisdiction " + condition + ") extent",
            params,
        )
        extent = cursor.fetchone()
    return extent if extent and extent[0] is not None and extent[2] > extent[0] else None


def _outlines(jurisdiction: int | None, extent, scale: float) -> list[str]:
    """SVG paths in pixels from the extent's top left (ST_AsSVG writes y downwards)."""
    condition, params = ("WHERE id = %(pk)s", {"pk": jurisdiction}) if jurisdiction else ("", {})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsSVG(ST_Scale(ST_Translate(ST_Transform(boundary, 3857), -%(x0)s, -%(y1)s), %(k)s, %(k)s), "
            "0, 1) FROM geography_policejurisdiction " + condition,
            params | {"x0": extent[0], "y1": extent[3], "k": scale},
        )
        return [row[0] for row in cursor.fetchall()]


def _cells(extent, size: float, span: Span, filters: IncidentFilter) -> list[tuple[int, int, int]]:
    where, params = filters.sql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT floor((i.x - %(x0)s) / %(size)s)::int, floor((%(y1)s - i.y) / %(size)s)::int, count(*) "
            "FROM compstat_incident i WHERE i.x BETWEEN %(x0)s AND %(x1)s AND i.y BETWEEN %(y0)s AND %(y1)s "
            f"AND i.day BETWEEN %(first)s AND %(last)s{where} GROUP BY 1, 2",
            params
            | {"size": size, "x0": extent[0], "y0": extent[1], "x1": extent[2], "y1": extent[3]}
            | {"first": span.first, "last": span.last},
        )
        return cursor.fetchall()


def map_snapshot_svg(*, span: Span, filters: IncidentFilter, title: str) -> str:
    """The SVG of the filters' jurisdiction (all when none) and of its incidents in `span`, in pixels; empty
    without boundaries."""
    extent = _extent(filters.jurisdiction)
    if extent is None:
        return ""
    width, height = extent[2] - extent[0], extent[3] - extent[1]
    scale = WIDTH_PX / max(width, height)
    size = max(width, height) / CELLS_ACROSS
    pixels = size * scale
    cells = _cells(extent, size, span, filters)
    most = max((count for _, _, count in cells), default=0)
    shapes = [
        f'<rect x="{column * pixels:.1f}" y="{row * pixels:.1f}" width="{pixels:.1f}" height="{pixels:.1f}" '
        f'fill="#b2182b" fill-opacity="{0.2 + 0.8 * count / most:.2f}"><title>{count}</title></rect>'
        for column, row, count in cells
    ]
    outlines = [
        f'<path d="{path}" fill="none" stroke="#1f2933" stroke-width="1.5"/>'
        for path in _outlines(filters.jurisdiction, extent, scale)
    ]
    view_width, view_height = width * scale, height * scale
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{view_width:.0f}" height="{view_height:.0f}" '
        f'viewBox="-2 -2 {view_width + 4:.1f} {view_height + 4:.1f}">'
        f"<title>{escape(title)}</title>{''.join(shapes)}{''.join(outlines)}</svg>"
    )
