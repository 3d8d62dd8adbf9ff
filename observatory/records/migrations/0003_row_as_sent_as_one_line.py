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
    ]
