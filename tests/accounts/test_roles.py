"""Each role sees what docs/privacy.md gives it, and is refused the rest."""

import pytest
from django.urls import reverse

from observatory.accounts.roles import Capability, Role, has_capability, may_upload_for_source

pytestmark = pytest.mark.django_db

EXPECTED = {
    Role.PUBLIC: {Capability.VIEW_PUBLIC_DATA},
    Role.SOURCE_UPLOADER: {Capability.VIEW_PUBLIC_DATA, Capability.UPLOAD_FILES, Capability.VIEW_UPLOAD_REPORTS},
    Role.COMMANDER: {Capability.VIEW_PUBLIC_DATA, Capability.VIEW_OPERATIONAL_DETAIL},
    Role.ANALYST: set(Capability) - {Capability.MANAGE_USERS, Capability.MANAGE_SCHEDULES},
    Role.ADMIN: set(Capability),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_capabilities(role, user_with_role):
    user = user_with_role(role)

    granted = {capability for capability in Capability if has_capability(user, capability)}

    assert granted == EXPECTED[role]


def test_anonymous_visitors_are_public(client):
    from django.contrib.auth.models import AnonymousUser

    assert {c for c in Capability if has_capability(AnonymousUser(), c)} == EXPECTED[Role.PUBLIC]


def test_commander_never_sees_names_or_id_numbers(user_with_role):
    commander = user_with_role(Role.COMMANDER)

    assert not has_capability(commander, Capability.VIEW_PERSONAL_DATA)
    assert not has_capability(commander, Capability.EXPORT_PERSONAL_DATA)


def test_an_uploader_uploads_only_for_its_own_source(user_with_role):
    police_uploader = user_with_role(Role.SOURCE_UPLOADER, source_code="police")

    assert may_upload_for_source(police_uploader, "police")
    assert not may_upload_for_source(police_uploader, "coroner")
    assert may_upload_for_source(user_with_role(Role.ANALYST), "coroner")
    assert not may_upload_for_source(user_with_role(Role.COMMANDER), "police")


def test_a_deactivated_analyst_has_only_public_access(user_with_role):
    analyst = user_with_role(Role.ANALYST, is_active=False)

    assert not has_capability(analyst, Capability.VIEW_PERSONAL_DATA)


AUDIT_PAGE, AUDIT_API, USER_ADMIN = reverse("dashboards:audit-log"), "/api/v1/audit-events/", "/admin/accounts/user/"


@pytest.mark.parametrize(
    ("role", "audit_page", "audit_api", "user_admin"),
    [
        (None, 302, 401, 302),
        (Role.PUBLIC, 403, 403, 302),
        (Role.SOURCE_UPLOADER, 403, 403, 302),
        (Role.COMMANDER, 403, 403, 302),
        (Role.ANALYST, 200, 200, 403),
        (Role.ADMIN, 200, 200, 200),
    ],
)
def test_restricted_pages_answer_by_role(client, user_with_role, role, audit_page, audit_api, user_admin):
    if role is not None:
        client.force_login(user_with_role(role))

    assert client.get(AUDIT_PAGE).status_code == audit_page
    assert client.get(AUDIT_API).status_code == audit_api
    assert client.get(USER_ADMIN).status_code == user_admin


def test_anonymous_visitor_is_sent_to_log_in_for_the_audit_log(client):
    response = client.get(AUDIT_PAGE)

    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role))
def test_the_public_map_and_geography_api_are_open_to_every_role(client, user_with_role, role):
    client.force_login(user_with_role(role))

    assert client.get(reverse("dashboards:home")).status_code == 200
    assert client.get("/api/v1/geography/units/").status_code == 200


def test_navigation_shows_each_role_only_its_pages(client, user_with_role):
    client.force_login(user_with_role(Role.COMMANDER))
    commander_page = client.get(reverse("dashboards:home")).content.decode()
    client.force_login(user_with_role(Role.ANALYST))
    analyst_page = client.get(reverse("dashboards:home")).content.decode()

    assert AUDIT_PAGE not in commander_page and "/admin/" not in commander_page
    assert AUDIT_PAGE in analyst_page and "/admin/" in analyst_page


def test_the_user_admin_offers_the_sources_there_are_and_refuses_another(client, user_with_role):
    from observatory.accounts.models import User

    client.force_login(user_with_role(Role.ADMIN))
    form = client.get(f"{USER_ADMIN}add/").content.decode()
    data = {
        "username": "fiscal",
        "password1": "x-demo-Password-9",
        "password2": "x-demo-Password-9",
        "usable_password": "true",
        "role": Role.SOURCE_UPLOADER,
    }

    refused = client.post(f"{USER_ADMIN}add/", {**data, "source_code": "polcie"})
    client.post(f"{USER_ADMIN}add/", {**data, "source_code": "police"})

    assert '<option value="police">' in form and '<select name="source_code"' in form
    assert refused.status_code == 200 and "polcie" in refused.content.decode()  # not one of the choices
    assert User.objects.get(username="fiscal").source_code == "police"


def test_an_institution_token_is_shown_once_then_by_its_start(client, user_with_role):
    from rest_framework.authtoken.models import Token

    client.force_login(user_with_role(Role.ADMIN))
    uploader = user_with_role(Role.SOURCE_UPLOADER)

    made = client.post("/admin/authtoken/tokenproxy/add/", {"user": uploader.pk}, follow=True)
    key = Token.objects.get(user=uploader).key
    listed = client.get("/admin/authtoken/tokenproxy/").content.decode()

    assert key in made.content.decode()
    assert key not in listed and f"{key[:6]}…" in listed
