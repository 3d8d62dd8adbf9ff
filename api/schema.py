"""The parts of the OpenAPI schema that no serializer or view describes: the API key scheme, the pages' and GeoJSON
envelopes, the `format` parameter and the error answers every operation may give. In the reader's language, like
the rest of the schema (`/api/v1/schema/?lang=en`)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import TokenScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_COMPONENT = "Error"

_ENVELOPE = {
    "count": _("Rows that match the filters, over every page."),
    "next": _("Address of the next page; null on the last."),
    "previous": _("Address of the previous page; null on the first."),
    "results": _("The rows of this page."),
    "features": _("The GeoJSON features of this page."),
}
_GEOJSON = {
    "type": _("GeoJSON object type."),
    "properties": _("The feature's fields."),
    "geometry": _("The feature's shape, a GeoJSON geometry (WGS84)."),
    "features": _("The GeoJSON features."),
    "coordinates": _("Coordinates as GeoJSON orders them: longitude, then latitude (WGS84)."),
}
_ERRORS = {
    "400": _("Invalid input: a parameter or field that cannot be read; extra.fields says which and why."),
    "401": _("An unknown or revoked API key, or a wrong token."),
    "403": _("This account may not read or do this (restricted endpoints)."),
    "404": _("Nothing there: no such row, or nothing published yet."),
    "406": _("None of the formats asked for in the Accept header is offered."),
    "429": _("Over the rate limit: wait the seconds the Retry-After header says."),
}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "observatory.accounts.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "An NGO's or researcher's key, sent as `Authorization: Api-Key <key>`: public data only, with a "
                "higher rate limit."
            ),
        }


class TranslatedTokenScheme(TokenScheme):
    """drf-spectacular's own, described in the reader's language."""

    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": _(
                "An account's token (an institution that uploads files), sent as `Authorization: Token <token>`."
            ),
        }


def describe_envelopes_and_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: describes what the serializers do not (see the module's docstring)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in schemas.items():
        if name.startswith("Paginated"):  # a page of rows, or of GeoJSON features
            _features_as_the_array_they_are(schema, schemas)
            _describe(schema, _ENVELOPE)
        _describe_geojson(schema)
    schemas[ERROR_COMPONENT] = _error_schema()
    _drop_titles(result["paths"])
    _drop_titles(schemas)
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "format" and not parameter.get("description"):
                    parameter["description"] = _("The answer's format, instead of an Accept header.")
            content = _error_content(operation)
            for status, description in _ERRORS.items():
                operation.setdefault("responses", {}).setdefault(
                    status, {"description": description, "content": content}
                )
    return result


def _error_content(operation: dict) -> dict:
    """Errors come in the format asked for: the error shape in JSON (GeoJSON too), one line of text in CSV."""
    media_types = {"application/json"}
    for status, response in operation.get("responses", {}).items():
        if status.startswith("2"):
            media_types |= (response.get("content") or {}).keys()
    return {
        media_type: {
            "schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
            if "json" in media_type
            else {"type": "string"}
        }
        for media_type in sorted(media_types)
    }


def _features_as_the_array_they_are(page: dict, schemas: dict) -> None:
    """rest_framework_gis renames a page's `results` to `features` but leaves it holding drf-spectacular's whole
    FeatureCollection, and `results` required: a page's `features` is the collection's array of features."""
    features = page.get("properties", {}).get("features", {})
    collection = schemas.get(features.get("$ref", "").rpartition("/")[2], {})
    if "features" in collection.get("properties", {}):
        page["properties"]["features"] = dict(collection["properties"]["features"])
        page["required"] = [name if name != "results" else "features" for name in page.get("required", [])]


def _describe(schema: dict, descriptions: dict) -> None:
    for name, prop in schema.get("properties", {}).items():
        if name in descriptions and not prop.get("description"):
            if "$ref" in prop:  # a $ref's siblings are ignored: wrap it
                prop["allOf"] = [{"$ref": prop.pop("$ref")}]
            prop["description"] = descriptions[name]


def _drop_titles(node) -> None:
    """A field's or parameter's title is its label, which DRF and django-filter leave out or keep depending on the
    language active when the field was first built (in a long-lived process, maybe another request's), so titles
    would come and go between languages and runs. The descriptions say it all."""
    if isinstance(node, dict):
        if isinstance(node.get("title"), str):
            del node["title"]
        for value in node.values():
            _drop_titles(value)
    elif isinstance(node, list):
        for value in node:
            _drop_titles(value)


def _describe_geojson(schema: dict) -> None:
    """A feature or collection (its properties hold `type` and `properties` or `features`), and its geometry."""
    properties = schema.get("properties", {})
    if "type" in properties and ({"properties", "features", "coordinates"} & properties.keys()):
        _describe(schema, _GEOJSON)
    for prop in properties.values():
        _describe_geojson(prop)
    for variant in schema.get("oneOf", []) + schema.get("anyOf", []) + schema.get("allOf", []):
        _describe_geojson(variant)


def _error_schema() -> dict:
    return {
        "type": "object",
        "description": _("The one shape of every error answer."),
        "properties": {
            "message": {"type": "string", "description": _("What went wrong, in the reader's language.")},
            "code": {"type": "string", "description": _("The same as a code a program can test (e.g. not_found).")},
            "extra": {
                "type": "object",
                "additionalProperties": {},
                "description": _("Details: fields holds each refused field's problems."),
            },
        },
        "required": ["message", "code", "extra"],
    }
