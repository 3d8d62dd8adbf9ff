import csv

import numpy as np
import pandas as pd
from django.db import migrations

REHASH_BATCH_ROWS = 100_000
COMPARED_JOIN = "\x1f"


def _compared(line: str, header: list[str], separator: str, profile_version: int) -> bytes:
    """What the importer now hashes for a row (ingestion.normalising.content_hashes): its values in the order of
    their column names, then the sorted names and the profile version."""
    csv.field_size_limit(2**31 - 1)  # values may be longer than the default limit
    values = next(csv.reader([line], delimiter=separator or ","), [])
    by_name = dict(zip(header, values + [""] * (len(header) - len(values))))
    names = sorted(header)
    values = COMPARED_JOIN.join(by_name[name] for name in names)
    return f"{values}\x1e{COMPARED_JOIN.join(names)}\x1e{profile_version}".encode()


def content_hashes_whatever_the_column_order(apps, schema_editor):
    """Every record's content hash as the importer now computes it, so that the same rows sent again in a file
    whose columns come in another order (or another separator) are recognised as unchanged. A victim's link that
    held the record's old hash takes the new one: the record did not change, linkage need not see it again."""
    with schema_editor.connection.cursor() as cursor:
        # Runs from before headers were recorded left none: their records keep the hash they have.
        cursor.execute("SELECT id, header, separator FROM ingestion_importrun WHERE cardinality(header) > 0")
        writers = {run_id: (header, separator) for run_id, header, separator in cursor.fetchall()}
        cursor.execute("CREATE TEMPORARY TABLE records_rehashed (id bigint, old_hash bigint, content_hash bigint)")
        last_id = 0
        while True:
            cursor.execute("SELECT id, raw, profile_version, last_run_id, content_hash FROM records_sourcerecord "
                           "WHERE last_run_id = ANY(%s) AND id > %s ORDER BY id LIMIT %s",
                           [list(writers), last_id, REHASH_BATCH_ROWS])
            rows = cursor.fetchall()
            if not rows:
                break
            compared = np.array([_compared(raw, *writers[writer], version) for _, raw, version, writer, _ in rows],
                                dtype=object)
            hashes = pd.util.hash_array(compared, categorize=False).view(np.int64)
            with cursor.copy("COPY records_rehashed (id, old_hash, content_hash) FROM STDIN") as copy:
                for (record_id, _, _, _, old_hash), content_hash in zip(rows, hashes.tolist()):
                    if content_hash != old_hash:
                        copy.write_row((record_id, old_hash, content_hash))
            last_id = rows[-1][0]
        cursor.execute("UPDATE records_sourcerecord record SET content_hash = rehashed.content_hash "
                       "FROM records_rehashed rehashed WHERE rehashed.id = record.id")
        cursor.execute("UPDATE reconciliation_victimrecord link SET content_hash = rehashed.content_hash "
                       "FROM records_rehashed rehashed "
                       "WHERE rehashed.id = link.record_id AND link.content_hash = rehashed.old_hash")
        cursor.execute("DROP TABLE records_rehashed")


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0003_importrun_header"),
        ("reconciliation", "0005_linkage_keys"),
        ("records", "0004_content_hashes_whatever_the_separator"),
    ]

    operations = [
        migrations.RunPython(content_hashes_whatever_the_column_order, migrations.RunPython.noop, elidable=True),
    ]
