"""No page a reader can open without logging in mixes the languages: every public page (read from the URL
configuration) in Spanish and in English, with published figures, is checked against the message catalogue."""

import pytest

from tests.indicators.conftest import country  # noqa: F401

from .public_pages import ForeignText, catalogue, published_country_pages, visible_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_pages(country):  # noqa: F811
    return published_country_pages(country)


def test_the_public_pages_are_found_in_the_url_configuration(published_pages):
    assert {"/", "/methodology/", "/indicators/", "/indicators/monitor/", "/open-data/"} <= set(published_pages)
    assert "/indicators/discrepancies/" not in published_pages  # analysts only
    assert "/reconciliation/victims/" not in published_pages


@pytest.mark.parametrize(("language", "foreign_is_english"), [("es", True), ("en", False)], ids=["spanish", "english"])
def test_every_public_page_is_wholly_in_the_reader_s_language(client, published_pages, language, foreign_is_english):
    foreign = ForeignText.of(catalogue(), foreign_is_english=foreign_is_english)
    client.cookies["django_language"] = language

    mixed = {}
    for path in published_pages:
        found = foreign.found_in(visible_texts(client.get(path).content.decode()))
        if found:
            mixed[path] = found

    assert not mixed, f"Text of the other language on {language} pages: {mixed}"
