import io
import json

from rest_framework import renderers

from observatory.spreadsheet_cells import SafeCsvWriter


class GeoJSONRenderer(renderers.JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class VictimCSVRenderer(renderers.BaseRenderer):
    """`?format=csv` and `Accept: text/csv` for the victim-level rows. A list streams from the view itself; what
    reaches this renderer is one row (a retrieve) or an error, written as a one-row CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not data:
            return b""
        out = io.StringIO()
        writer = SafeCsvWriter(out)
        writer.writerow(data.keys())
        writer.writerow(json.dumps(value) if isinstance(value, dict | list) else value for value in data.values())
        return out.getvalue().encode()
