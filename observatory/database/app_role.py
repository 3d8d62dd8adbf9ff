"""The PostgreSQL role the application runs as: neither owner nor superuser, so it cannot drop a trigger, alter a
table or empty the audit log, whatever a flaw in the application lets an attacker send. Migrations run as the
owner; this grants the application what it needs on the tables they created: data only, and on append-only tables
(the audit log) reading and adding rows, nothing else."""

from django.db import connection
from psycopg import sql


def app_role_grant(*, role: str, append_only_tables: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise ValueError(f"There is no PostgreSQL role “{role}”: create it first (CREATE ROLE {role} LOGIN).")
        if found[0]:
            raise ValueError(f"The role “{role}” is a superuser: the application must run as an ordinary role.")
        name = sql.Identifier(role)
        database = sql.Identifier(connection.settings_dict["NAME"])
        for statement in (
            "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {role}",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ):
            cursor.execute(sql.SQL(statement).format(database=database, role=name))
        for table in append_only_tables:
            cursor.execute(
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {role}").format(
                    table=sql.Identifier(table), role=name
                )
            )
