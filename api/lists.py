"""What every list of the API shares: JSON pages, or every matching row as one streamed CSV (`?format=csv` or
`Accept: text/csv`) with the JSON's columns and filters, written by observatory.csv_stream.

A row of the CSV is an item of the JSON list. A list of per-month figures nested in an item (a series' months)
gives one row per month, the item's own columns repeated; geographic features give their id, their properties
and their geometry as GeoJSON text; other nested values are JSON text."""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.response import Response
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from api.caching import answer_per_geography, answer_per_vintage
from observatory.csv_stream import csv_blocks

CSV_CHUNK_ROWS = 2000
LIST_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description=_(
        "csv: every row that the filters match as one streamed CSV (UTF-8, a header, no row cap), the JSON's "
        "columns; the same as Accept: text/csv."
    ),
)


class CSVRenderer(renderers.BaseRenderer):
    """`?format=csv` and `Accept: text/csv`. A list streams from the view itself; what reaches this renderer is one
    item (a retrieve) or an error ({"message", "code", "extra"}), written as a one-row CSV with its header."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if not data:
            return b""
        rows = data if isinstance(data, list) else [data]
        return b"".join(csv_blocks(header=list(rows[0].keys()), rows=(row.values() for row in rows)))


def csv_header(serializer: serializers.Serializer, *, nested: str | None) -> list[str]:
    """The CSV columns of a list whose items `serializer` writes, one row per item of its field `nested`."""
    names = list(serializer.fields)
    if isinstance(serializer, GeoFeatureModelSerializer):
        geo_field, id_field = serializer.Meta.geo_field, serializer.Meta.id_field
        return [id_field, *(name for name in names if name not in (geo_field, id_field)), "geometry"]
    if nested is None:
        return names
    return [name for name in names if name != nested] + list(serializer.fields[nested].child.fields)


def csv_records(items, *, serializer: serializers.Serializer, nested: str | None) -> Iterator[dict]:
    """The flat records of a list's JSON `items` (what csv_header names); an item whose `nested` list is empty
    is still a row, its nested columns empty."""
    if isinstance(serializer, GeoFeatureModelSerializer):
        id_field = serializer.Meta.id_field
        for feature in items["features"]:
            yield {id_field: feature["id"], **feature["properties"], "geometry": feature["geometry"]}
        return
    for item in items:
        if nested is None:
            yield item
            continue
        own = {name: value for name, value in item.items() if name != nested}
        for child in item[nested] or [{}]:
            yield {**own, **child}


def _chunks(rows: Iterable) -> Iterator[list]:
    """`rows` a few thousand at a time; a queryset is read through a server-side cursor, never all at once."""
    iterator = iter(rows.iterator(chunk_size=CSV_CHUNK_ROWS) if isinstance(rows, QuerySet) else rows)
    while chunk := list(islice(iterator, CSV_CHUNK_ROWS)):
        yield chunk


class ListViewSetMixin:
    """For a DRF viewset: its list as JSON pages or as a streamed CSV. A viewset whose items are more than its
    serializer over rows (labels, figures read with the rows) overrides `represent`; one whose items hold their
    months names that field in `csv_rows_per_item`, for a CSV row per month."""

    csv_rows_per_item: str | None = None
    # A list that reads one published vintage: ETag, 304 and its JSON cached per vintage (api/caching.py).
    cache_per_vintage = False
    # A list of the geography (units, jurisdictions, populations): the same, kept until the geography changes.
    cache_per_geography = False

    def get_renderers(self):
        classes = self.renderer_classes
        if self.action in ("list", "retrieve") and CSVRenderer not in classes:
            classes = [*classes, CSVRenderer]
        return [renderer() for renderer in classes]

    def represent(self, rows: list):
        """The JSON items of some rows of the queryset: a page, or a chunk of the CSV."""
        return self.get_serializer(rows, many=True).data

    def wants_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == CSVRenderer.format

    @extend_schema(parameters=[LIST_FORMAT_PARAMETER])
    def list(self, request, *args, **kwargs):
        if self.cache_per_vintage:
            return answer_per_vintage(request, view=self, answer=lambda: self._list(request))
        if self.cache_per_geography:
            return answer_per_geography(request, view=self, answer=lambda: self._list(request))
        return self._list(request)

    def _list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_csv():
            return self.csv_response(queryset)
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(self.represent(list(queryset)))
        return self.get_paginated_response(self.represent(page))

    def csv_stream(self, queryset) -> Iterator[bytes]:
        serializer = self.get_serializer()
        nested = self.csv_rows_per_item
        header = csv_header(serializer, nested=nested)
        records = (
            record
            for chunk in _chunks(queryset)
            for record in csv_records(self.represent(chunk), serializer=serializer, nested=nested)
        )
        return csv_blocks(header=header, rows=([record.get(name) for name in header] for record in records))

    def csv_response(self, queryset) -> StreamingHttpResponse:
        response = StreamingHttpResponse(self.csv_stream(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.basename}.csv"'
        return response
