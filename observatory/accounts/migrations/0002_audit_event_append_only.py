from django.db import migrations

# Row triggers: UPDATE and DELETE of an audit event fail for every client, not only for the ORM.
# TRUNCATE (a table owner's maintenance operation, and how test databases are reset) is not blocked.

FORBID_CHANGES = """
CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_no_update_or_delete
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_append_only();
"""

ALLOW_CHANGES = """
DROP TRIGGER IF EXISTS accounts_auditevent_no_update_or_delete ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunSQL(FORBID_CHANGES, reverse_sql=ALLOW_CHANGES)]
