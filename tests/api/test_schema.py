"""The OpenAPI schema holds: the committed files are what the code generates, every operation, parameter and
property is described, in Spanish and in English."""

import difflib
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "docs" / "api"
LANGUAGES = ("es", "en")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, str]:
    """The schema as `make schema` writes it, per language. No database: generation must not depend on its rows
    (pytest-django refuses any query here)."""
    directory = tmp_path_factory.mktemp("schema")
    texts = {}
    for language in LANGUAGES:
        target = directory / f"openapi.{language}.yaml"
        call_command("spectacular", lang=language, file=str(target))
        texts[language] = target.read_text()
    return texts


def undescribed(schema: dict) -> list[str]:
    """Where the schema leaves a reader without a description: operations, parameters and properties."""
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            if not operation.get("description"):
                missing.append(f"operation {where}")
            missing += [
                f"parameter {parameter['name']} of {where}"
                for parameter in operation.get("parameters", [])
                if not parameter.get("description")
            ]
            for status, response in operation.get("responses", {}).items():
                for content in (response.get("content") or {}).values():
                    missing += _undescribed_properties(content.get("schema"), f"{where} {status}")
    for name, component in schema["components"]["schemas"].items():
        missing += _undescribed_properties(component, name)
    return missing


def _undescribed_properties(schema, where: str) -> list[str]:
    if not isinstance(schema, dict):
        return []
    missing = []
    for name, prop in (schema.get("properties") or {}).items():
        if not prop.get("description"):
            missing.append(f"property {where}.{name}")
        missing += _undescribed_properties(prop, f"{where}.{name}")
    for key in ("items", "additionalProperties"):
        missing += _undescribed_properties(schema.get(key), f"{where}[]")
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key) or []:
            missing += _undescribed_properties(part, where)
    return missing


def described_texts(node, where: str = "") -> dict[str, str]:
    """Every summary and description of the schema, by where it is."""
    texts = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("summary", "description") and isinstance(value, str):
                texts[f"{where}/{key}"] = value
            else:
                texts.update(described_texts(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            texts.update(described_texts(value, f"{where}/{index}"))
    return texts


def is_codes_only(text: str) -> bool:
    """Text with nothing to translate: its words are all codes (an enum's `value` - value list, SHA-256)."""
    codes = set(re.findall(r"`([^`]*)`", text))
    words = re.findall(r"[A-Za-z][\w-]*", re.sub(r"`[^`]*`", " ", text))
    return all(word in codes or word.isupper() or any(ch.isdigit() for ch in word) for word in words)


def untranslated(spanish: dict, english: dict) -> list[str]:
    return sorted(
        f"{where}: {text!r}"
        for where, text in english.items()
        if text and spanish.get(where) == text and not is_codes_only(text)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_schema_is_the_one_the_code_generates(generated, language):
    committed = (SCHEMA_DIR / f"openapi.{language}.yaml").read_text()
    diff = list(
        difflib.unified_diff(
            committed.splitlines(), generated[language].splitlines(), "committed", "generated", lineterm="", n=1
        )
    )
    assert not diff, (
        f"docs/api/openapi.{language}.yaml is not what the code generates: run `make schema` and commit both "
        "files.\n" + "\n".join(diff[:60])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_operation_parameter_and_property_is_described(generated, language):
    assert undescribed(yaml.safe_load(generated[language])) == []


def test_the_spanish_schema_is_translated_and_not_the_english_one_again(generated):
    spanish_schema, english_schema = yaml.safe_load(generated["es"]), yaml.safe_load(generated["en"])
    spanish, english = described_texts(spanish_schema), described_texts(english_schema)
    assert spanish.keys() == english.keys()
    assert untranslated(spanish, english) == []
    assert spanish_schema["paths"]["/api/v1/indicators/monthly/"]["get"]["summary"] == "Cifras mensuales"
    assert english_schema["paths"]["/api/v1/indicators/monthly/"]["get"]["summary"] == "Monthly figures"


def test_the_checks_find_a_missing_description_and_an_untranslated_one():
    schema = {
        "paths": {
            "/x/": {
                "get": {
                    "description": "Reads x.",
                    "parameters": [{"name": "year"}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/X"}}}}},
                }
            }
        },
        "components": {"schemas": {"X": {"properties": {"count": {"type": "integer"}, "a": {"description": "A."}}}}},
    }
    assert undescribed(schema) == ["parameter year of GET /x/", "property X.count"]
    english = {"/a": "Monthly figures", "/b": "* `final` - final", "/c": "SHA-256"}
    assert untranslated({"/a": "Monthly figures", "/b": "* `final` - final", "/c": "SHA-256"}, english) == [
        "/a: 'Monthly figures'"
    ]


@pytest.mark.django_db
def test_the_served_schema_follows_the_language_asked_for(client):
    english = client.get("/api/v1/schema/?lang=en&format=json").json()
    spanish = client.get("/api/v1/schema/?format=json").json()
    assert english["paths"]["/api/v1/indicators/monthly/"]["get"]["summary"] == "Monthly figures"
    assert spanish["paths"]["/api/v1/indicators/monthly/"]["get"]["summary"] == "Cifras mensuales"
