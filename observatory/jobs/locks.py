"""PostgreSQL advisory lock keys, named in one place so that two uses never share a key by accident.

A single key and a pair of keys are two lock spaces that do not overlap: the namespaces below are the first of a
pair, whose second key is a row's id or a hash of its code.
"""

from contextlib import contextmanager

from django.db import connection

# One linkage run or review decision at a time: each re-forms victims from the pairs and decisions the others write.
LINKAGE_LOCK = 0x5EC0_7C11
# One indicator computation or undercount estimation at a time: each publishes over what the last one published.
VINTAGE_LOCK = 0x1D1C_A705
# One open data release at a time: each replaces the victim-level rows and writes its files.
OPEN_DATA_LOCK = 0x0DA7_A5E7
# One CompStat data version build at a time: each copies the police records changed since the last one.
COMPSTAT_BUILD_LOCK = 0xC057_A7B1
# One weekly CompStat report rendered at a time: WeasyPrint is memory-hungry.
COMPSTAT_REPORT_LOCK = 0xC057_A7B2
# One hotspot analysis at a time: each fills every core with its permutations.
HOTSPOT_LOCK = 0x407_5B07
# (namespace, import run id), held by the connection processing the run: a redelivered task does not process the
# same run twice at once.
IMPORT_RUN_LOCK_NAMESPACE = 7401
# (namespace, hashtext(source code)), held by the transaction loading a run of that source: two files of one
# source are not loaded at once (both would create the records they share).
SOURCE_LOAD_LOCK_NAMESPACE = 7402


@contextmanager
def advisory_lock(key: int):
    """Wait for the session-level lock `key`, and release it whatever happens."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def advisory_xact_lock(key: int) -> None:
    """Wait for the lock `key`, held until the current transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
