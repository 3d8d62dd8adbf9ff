"""The application's database role can neither empty nor rewrite the audit log, nor undo its protection
(issue 21, finding 10): the role is no superuser and no owner, with SELECT and INSERT only on the audit table."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from observatory.accounts.models import AuditEvent
from observatory.accounts.services import audit_record

pytestmark = pytest.mark.django_db

ROLE = "observatory_app_test"


@pytest.fixture
def as_app_role(small_hierarchy):
    """Statements of the test run as the application's role (created in the test's transaction, so gone after)."""
    audit_record(actor=None, action="test.before", target_type="test")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') "
            f"THEN CREATE ROLE {ROLE} NOLOGIN; END IF; END $$"
        )
    call_command("grant_app_role", ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refused(statement: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    except DatabaseError:
        return True
    return False


def test_the_app_role_reads_and_appends_to_the_audit_log_and_changes_other_data(as_app_role):
    audit_record(actor=None, action="test.appended", target_type="test")

    assert AuditEvent.objects.filter(action__startswith="test.").count() == 2
    assert not _refused("UPDATE geography_adminunit SET name = name")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accounts_auditevent SET action = 'forged'",
        "DELETE FROM accounts_auditevent",
        "TRUNCATE accounts_auditevent",
        "DROP TRIGGER accounts_auditevent_no_update_or_delete ON accounts_auditevent",
        "ALTER TABLE accounts_auditevent DISABLE TRIGGER ALL",
        "DROP TABLE geography_adminunit CASCADE",
        "CREATE ROLE intruder SUPERUSER",
    ],
)
def test_the_app_role_cannot_empty_rewrite_or_unprotect_the_audit_log(as_app_role, statement):
    assert _refused(statement)
    assert AuditEvent.objects.filter(action="test.before").exists()


def test_a_superuser_role_is_refused_as_the_application_role(db):
    with pytest.raises(Exception, match="superuser"):
        call_command("grant_app_role", connection.settings_dict["USER"])
