"""Public pages kept whole for anonymous readers: read back without a query, renewed by a publication and by an
event on the timeline, kept apart per language, never served to a logged-in reader nor kept for one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.accounts.roles import Role
from observatory.indicators.models import Vintage
from observatory.indicators.services import vintage_now
from tests.factories import UserFactory

from .conftest import timeline_event
from .portal_data import publish_homicides

pytestmark = pytest.mark.django_db
PAGES = ["/", "/methodology/", "/indicators/?level=municipality&unit=0108", "/units/municipality/0108/"]


def _queries(client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return page.content.decode(), len(queries.captured_queries)


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_reader_gets_the_page_another_one_had_rendered_without_a_query(client, country, path):
    publish_homicides(country)
    first, first_queries = _queries(client, path)

    again, again_queries = _queries(client, path)

    assert again == first and first_queries > 0 and again_queries == 0


def test_a_publication_renews_the_pages(client, country, django_capture_on_commit_callbacks):
    vintage = publish_homicides(country)
    assert f"Versión n.º {vintage.pk}," in _queries(client, "/indicators/undercount/")[0]

    with django_capture_on_commit_callbacks(execute=True):
        newer = vintage_now(kind=Vintage.Kind.FULL)

    assert f"Versión n.º {newer.pk}," in _queries(client, "/indicators/undercount/")[0]


def test_an_event_on_the_timeline_renews_the_unit_page(client, country, django_capture_on_commit_callbacks):
    publish_homicides(country)
    assert "Tregua de prueba" not in _queries(client, "/units/municipality/0108/")[0]

    with django_capture_on_commit_callbacks(execute=True):
        timeline_event(units=[country["mixco"]], title_es="Tregua de prueba")

    assert "Tregua de prueba" in _queries(client, "/units/municipality/0108/")[0]


def test_each_language_has_its_own_page(client, country):
    publish_homicides(country)
    spanish = _queries(client, "/methodology/")[0]

    client.cookies["django_language"] = "en"
    english = _queries(client, "/methodology/")[0]

    assert '<html lang="es">' in spanish and '<html lang="en">' in english


def test_a_logged_in_reader_is_neither_served_a_kept_page_nor_has_one_kept(client, country):
    publish_homicides(country)
    _queries(client, "/")
    client.force_login(UserFactory(role=Role.ANALYST))

    own, own_queries = _queries(client, "/")

    assert "Cerrar sesión" in own and own_queries > 0
    client.logout()
    assert "Cerrar sesión" not in _queries(client, "/")[0]
