import numpy as np
import pandas as pd
from django.db import migrations, models

# Each stored array of values becomes one CSV line in the separator of the run that wrote it, with quotes only
# around values holding the separator, a quote or a line break (as ingestion.reading.rows_as_lines writes it).
ARRAYS_TO_LINES = r"""
ALTER TABLE records_sourcerecord ADD COLUMN raw_line text;
UPDATE records_sourcerecord record SET raw_line = (
    SELECT coalesce(string_agg(
        CASE WHEN strpos(value, separator) > 0 OR value ~ '["\r\n]' THEN '"' || replace(value, '"', '""') || '"'
             ELSE value END,
        separator ORDER BY position), '')
    FROM unnest(record.raw) WITH ORDINALITY AS field(value, position),
         (SELECT coalesce(nullif(writer.separator, ''), ',') AS separator
          FROM ingestion_importrun writer WHERE writer.id = record.last_run_id) AS writer
);
UPDATE records_sourcerecord SET raw_line = '""' WHERE raw_line = '' AND cardinality(raw) = 1;
UPDATE records_sourcerecord SET raw_line = '' WHERE raw_line IS NULL;
ALTER TABLE records_sourcerecord DROP COLUMN raw;
ALTER TABLE records_sourcerecord RENAME COLUMN raw_line TO raw;
ALTER TABLE records_sourcerecord ALTER COLUMN raw SET NOT NULL;
"""

REHASH_BATCH_ROWS = 100_000


def content_hashes_recompute(apps, schema_editor):
    """Content hashes as the importer computes them from now on (the row as sent as one line, a unit separator,
    the profile version; hashed as bytes), so that a file imported before this migration and sent again is still
    recognised as unchanged instead of giving every record a revision."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE records_rehashed (id bigint, content_hash bigint)")
        last_id = 0
        while True:
            cursor.execute("SELECT id, raw, profile_version FROM records_sourcerecord WHERE id > %s ORDER BY id "
                           "LIMIT %s", [last_id, REHASH_BATCH_ROWS])
            rows = cursor.fetchall()
            if not rows:
                break
            versioned = np.array([f"{raw}\x1f{version}".encode() for _, raw, version in rows], dtype=object)
            hashes = pd.util.hash_array(versioned, categorize=False).view(np.int64)
            with cursor.copy("COPY records_rehashed (id, content_hash) FROM STDIN") as copy:
                for (record_id, _, _), content_hash in zip(rows, hashes.tolist()):
                    copy.write_row((record_id, content_hash))
            last_id = rows[-1][0]
        cursor.execute("UPDATE records_sourcerecord record SET content_hash = rehashed.content_hash "
                       "FROM records_rehashed rehashed WHERE rehashed.id = record.id")
        cursor.execute("DROP TABLE records_rehashed")


class Migration(migrations.Migration):

    dependencies = [
        ('ingestion', '0003_importrun_header'),
        ('records', '0002_indexes_for_indicator_recounts'),
    ]

    operations = [
        migrations.RunSQL(
            ARRAYS_TO_LINES,
            state_operations=[
                migrations.AlterField(
                    model_name='sourcerecord',
                    name='raw',
                    field=models.TextField(verbose_name='row as sent'),
                ),
            ],
        ),
        migrations.RunPython(content_hashes_recompute, elidable=True),
    ]
