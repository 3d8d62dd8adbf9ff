"""No page filter answers a server error, whatever is typed into it (issue 21, finding 8 and its "other invalid
input"). Every page's GET forms are read from the page itself, so a filter added later is covered."""

from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from observatory.accounts.roles import Role

pytestmark = pytest.mark.django_db

BAD_VALUES = ["abc", "-1", "99999999999999999999999", "2024-13", "2024-02-30", "' OR 1=1 --", "\x00", "é" * 300, ""]


class _GetFormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_get_form = False
        self.fields: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif self.in_get_form and tag in ("input", "select", "textarea") and attributes.get("name"):
            self.fields.add(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def _pages(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("admin/", "api/")):
                yield from _pages(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
            yield "/" + route


def test_every_page_filter_answers_bad_input_without_a_server_error(client, user_with_role, small_hierarchy):
    client.force_login(user_with_role(Role.ADMIN))
    failures, filters_tried = [], 0
    for path in sorted(set(_pages(get_resolver().url_patterns))):
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        form = _GetFormFields()
        form.feed(response.content.decode())
        for field in sorted(form.fields - {"csrfmiddlewaretoken"}):
            filters_tried += 1
            for value in BAD_VALUES:
                status = client.get(path, {field: value}).status_code
                if status >= 500:
                    failures.append((path, field, value[:20], status))

    assert filters_tried >= 10, "too few filters found to mean anything"
    assert failures == []
