"""Reading the open data: the victim-level rows (as rows, or as CSV straight from PostgreSQL) and the releases."""

from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Concat

from observatory.csv_stream import BLOCK_BYTES, FORMULA_START_PATTERN

from .models import OpenDataFile, OpenDataRelease, OpenVictim
from .victims import VICTIM_COLUMN_NAMES

_TEXT_FROM_PLACES = ("municipality", "colonia")


def open_victim_list() -> QuerySet[OpenVictim]:
    return OpenVictim.objects.order_by("date", "id")


def _neutralised(name: str) -> Case:
    return Case(
        When(**{f"{name}__regex": FORMULA_START_PATTERN}, then=Concat(Value("'"), F(name))),
        default=F(name),
        output_field=CharField(),
    )


def open_victim_copy_sql(*, victims: QuerySet[OpenVictim]) -> tuple[str, tuple]:
    """PostgreSQL's COPY of `victims` as CSV rows (no header), the contract's columns in order, and its parameters.
    Place names that a spreadsheet would read as a formula start with an apostrophe; every other column is a code,
    a date or a number."""
    cells = {f"{name}_cell": _neutralised(name) for name in _TEXT_FROM_PLACES}
    columns = [f"{name}_cell" if name in _TEXT_FROM_PLACES else name for name in VICTIM_COLUMN_NAMES]
    sql, params = victims.annotate(**cells).values_list(*columns).query.sql_with_params()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params


def open_victim_csv(*, victims: QuerySet[OpenVictim]) -> Iterator[bytes]:
    """`victims` as CSV (UTF-8, a header, the contract's columns), streamed from PostgreSQL's COPY of the same
    query: memory stays flat whatever the number of rows."""
    header = (",".join(VICTIM_COLUMN_NAMES) + "\r\n").encode()
    try:
        statement, params = open_victim_copy_sql(victims=victims)
    except EmptyResultSet:  # a filter that can match nothing (an empty list of values): the header alone
        yield header
        return
    # COPY hands over a row at a time: written to the client in blocks, not one system call per row.
    buffer = bytearray(header)
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for row in copy:
            buffer += row
            if len(buffer) >= BLOCK_BYTES:
                yield bytes(buffer)
                buffer.clear()
    yield bytes(buffer)


def open_victim_years() -> list[int]:
    return sorted({day.year for day in OpenVictim.objects.dates("date", "year")})


def latest_release() -> OpenDataRelease | None:
    """The release whose files are published: the latest built one."""
    return (
        OpenDataRelease.objects.filter(status=OpenDataRelease.Status.DONE, superseded=False)
        .select_related("vintage")
        .order_by("-vintage_id")
        .first()
    )


def open_data_file_list(*, release: OpenDataRelease | None) -> QuerySet[OpenDataFile]:
    files = OpenDataFile.objects.select_related("release__vintage").order_by("dataset", "-year")
    return files.filter(release=release) if release else files.none()
