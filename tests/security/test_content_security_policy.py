"""Pages run only the site's own script files (issue 21, finding 6): an injected <script> or on* attribute does not
run, because the Content-Security-Policy allows no inline script; the pages themselves carry none."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from observatory.accounts.roles import Role

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _pages(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _pages(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route and "^" not in route:
            yield "/" + route


def test_the_policy_allows_scripts_from_the_site_only(client):
    policy = client.get("/methodology/")["Content-Security-Policy"]
    script_sources = re.search(r"script-src ([^;]*)", policy).group(1)

    assert script_sources.split() == ["'self'"]
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_no_page_carries_an_inline_script_or_an_event_attribute(client, user_with_role, small_hierarchy):
    client.force_login(user_with_role(Role.ADMIN))
    offending, html_pages = [], 0
    for path in sorted(set(_pages(get_resolver().url_patterns))):
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html_pages += 1
        body = response.content.decode()
        if INLINE_SCRIPT.search(body) or EVENT_ATTRIBUTE.search(body):
            offending.append(path)

    assert html_pages >= 10
    assert offending == []
