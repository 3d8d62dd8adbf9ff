"""Model rows written with PostgreSQL COPY (its text format, values adapted by psycopg), without building model
instances: a full linkage run creates tens of thousands of victims, their record links and their history at once,
where the ORM's INSERTs would take a minute. Tables of many rows whose columns are encoded whole go through
binary_copy instead."""

import json
from collections.abc import Iterable

from django.contrib.gis.db.models import GeometryField
from django.db import connection, models
from django.utils import timezone


def _geometry_text(value):
    return None if value is None else value.hexewkb.decode()


def _json_text(value):
    return None if value is None else json.dumps(value)


def _converter(field: models.Field):
    """How COPY's text format wants the field's value, or None when psycopg adapts it as it is."""
    if isinstance(field, GeometryField):
        return _geometry_text
    if isinstance(field, models.JSONField):
        return _json_text
    return None


def rows_copy(*, model: type[models.Model], rows: Iterable[dict], with_ids: bool = False) -> int:
    """Insert rows given as {attname: value}, without building model instances: a field left out takes its default,
    auto_now fields now; ids are given only `with_ids`. Returns the count."""
    now = timezone.now()
    fields = [field for field in model._meta.concrete_fields if with_ids or not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    stamped = {
        field.attname for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    defaults = {
        field.attname: now if field.attname in stamped else field.get_default()
        for field in fields
        if not field.primary_key
    }
    converters = [(field.attname, _converter(field)) for field in fields]
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = {**defaults, **row}
            copy.write_row([convert(values[name]) if convert else values[name] for name, convert in converters])
            count += 1
    return count


def ids_reserve(*, model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys from the model's sequence, for rows about to be copied in."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def rows_update(*, model: type[models.Model], objects: list[models.Model], fields: list[str]) -> None:
    """Write these fields of saved instances (and any auto_now field) through COPY into a temporary table and
    one UPDATE."""
    if not objects:
        return
    now = timezone.now()
    meta = model._meta
    chosen = [meta.get_field(name) for name in fields]
    chosen += [field for field in meta.concrete_fields if getattr(field, "auto_now", False) and field not in chosen]
    for instance in objects:
        for field in chosen:
            if getattr(field, "auto_now", False):
                setattr(instance, field.attname, now)
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    columns = [quote(field.column) for field in chosen]
    converters = [(field.attname, _converter(field)) for field in chosen]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE rows_update AS SELECT {key}, {', '.join(columns)} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY rows_update ({key}, {', '.join(columns)}) FROM STDIN") as copy:
            for instance in objects:
                values = instance.__dict__
                copy.write_row(
                    [instance.pk, *(convert(values[name]) if convert else values[name] for name, convert in converters)]
                )
        assignments = ", ".join(f"{column} = rows_update.{column}" for column in columns)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM rows_update WHERE {table}.{key} = rows_update.{key}")
        cursor.execute("DROP TABLE rows_update")
