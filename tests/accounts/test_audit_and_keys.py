import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import translation

from observatory.accounts.models import ApiKey, AuditEvent, User
from observatory.accounts.roles import Role
from observatory.accounts.services import api_key_create, audit_record, user_create, user_set_role

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_changed_or_deleted_even_in_sql(user_with_role):
    event = audit_record(
        actor=user_with_role(Role.ANALYST),
        action="export.personal_data",
        target_type="export",
        target_id=7,
        ip_address="10.0.0.8",
    )

    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    for statement in (
        "UPDATE accounts_auditevent SET action = 'nothing' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "export.personal_data"


def test_role_changes_follow_through_to_admin_access_and_are_audited(user_with_role):
    admin = user_with_role(Role.ADMIN)
    user = user_create(username="maria", password="x-demo-password", role=Role.COMMANDER, created_by=admin)
    assert not user.is_staff

    user_set_role(user=user, role=Role.ANALYST, changed_by=admin, ip_address="192.0.2.10")

    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    event = AuditEvent.objects.filter(action="user.role_changed", target_id=str(user.pk)).first()
    assert event.actor == admin
    assert event.detail["from"] == ["commander", ""] and event.detail["to"] == ["analyst", ""]
    assert event.ip_address == "192.0.2.10"


def test_an_uploader_must_belong_to_a_source(db):
    with translation.override("en"), pytest.raises(ValidationError, match="must belong to a source"):
        user_create(username="sin-fuente", password="x-demo-password", role=Role.SOURCE_UPLOADER)
    assert not User.objects.filter(username="sin-fuente").exists()


def test_api_keys_are_stored_hashed_and_identify_their_holder(client):
    api_key, raw_key = api_key_create(name="Fundación InSight Crime")

    assert raw_key not in (api_key.key_hash, api_key.prefix) and len(api_key.prefix) < len(raw_key)
    assert client.get("/api/v1/geography/units/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code == 200
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is not None
    assert client.get("/api/v1/geography/units/", HTTP_AUTHORIZATION="Api-Key not-a-key").status_code == 401


def test_an_api_key_gives_no_access_beyond_public_data(client):
    _, raw_key = api_key_create(name="ONG")

    assert client.get("/api/v1/audit-events/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code == 403


def test_anonymous_and_keyed_clients_have_their_own_rate_limits(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "2/minute", "api_key": "4/minute"},
    }
    _, raw_key = api_key_create(name="Universidad")
    anonymous = [client.get("/api/v1/geography/populations/").status_code for _ in range(3)]
    keyed = [
        client.get("/api/v1/geography/populations/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code
        for _ in range(5)
    ]

    assert anonymous == [200, 200, 429]
    assert keyed == [200, 200, 200, 200, 429]
    cache.clear()
