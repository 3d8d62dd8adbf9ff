import csv
import io

import numpy as np
import pandas as pd
from django.db import migrations

REHASH_BATCH_ROWS = 100_000


def _compared_line(line: str, separator: str, width: int) -> str:
    """The stored line's values as the importer now compares rows: written with "," (csv module, minimal quotes)."""
    csv.field_size_limit(2**31 - 1)  # values may be longer than the default limit
    values = next(csv.reader([line], delimiter=separator), [])
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=",", lineterminator="\r\n").writerow(values + [""] * (width - len(values)))
    return buffer.getvalue()[:-2]


def content_hashes_whatever_the_separator(apps, schema_editor):
    """Records written from a file whose separator was not "," get their content hash as the importer now
    computes it, over their values written with ",": the same rows sent again in a file saved with another
    separator are then recognised as unchanged. Records written with "," keep theirs (it is the same)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, header, separator FROM ingestion_importrun WHERE separator NOT IN ('', ',')")
        writers = {run_id: (header, separator) for run_id, header, separator in cursor.fetchall()}
        if not writers:
            return
        cursor.execute("CREATE TEMPORARY TABLE records_rehashed (id bigint, content_hash bigint)")
        last_id = 0
        while True:
            cursor.execute("SELECT id, raw, profile_version, last_run_id FROM records_sourcerecord "
                           "WHERE last_run_id = ANY(%s) AND id > %s ORDER BY id LIMIT %s",
                           [list(writers), last_id, REHASH_BATCH_ROWS])
            rows = cursor.fetchall()
            if not rows:
                break
            versioned = np.array([
                f"{_compared_line(raw, writers[writer][1], len(writers[writer][0]))}\x1f{version}".encode()
                for _, raw, version, writer in rows], dtype=object)
            hashes = pd.util.hash_array(versioned, categorize=False).view(np.int64)
            with cursor.copy("COPY records_rehashed (id, content_hash) FROM STDIN") as copy:
                for (record_id, _, _, _), content_hash in zip(rows, hashes.tolist()):
                    copy.write_row((record_id, content_hash))
            last_id = rows[-1][0]
        cursor.execute("UPDATE records_sourcerecord record SET content_hash = rehashed.content_hash "
                       "FROM records_rehashed rehashed WHERE rehashed.id = record.id")
        cursor.execute("DROP TABLE records_rehashed")


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0003_importrun_header"),
        ("records", "0003_row_as_sent_as_one_line"),
    ]

    operations = [
        migrations.RunPython(content_hashes_whatever_the_separator, migrations.RunPython.noop, elidable=True),
    ]
