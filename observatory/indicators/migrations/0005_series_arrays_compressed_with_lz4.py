"""The arrays of a published series row are compressed with lz4 instead of PostgreSQL's default pglz: a discrepancy
row (victims by overlap pattern, month by month) is always compressed, and pglz took most of the time of writing
them. Servers built without lz4 keep pglz."""
from django.db import migrations

_ARRAYS = {
    "indicators_monthlyseries": ["counts", "populations", "suppression"],
    "indicators_discrepancyseries": ["victims", "patterns", "pattern_counts", "classification_conflicts",
                                     "date_conflicts", "place_conflicts"],
}


def _compression(method: str) -> str:
    statements = " ".join(
        f"ALTER TABLE {table} " + ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in columns)
        + ";" for table, columns in _ARRAYS.items())
    return f"DO $$ BEGIN {statements} EXCEPTION WHEN feature_not_supported THEN NULL; END $$;"


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0004_publication_without_row_triggers"),
    ]

    operations = [migrations.RunSQL(_compression("lz4"), reverse_sql=_compression("pglz"))]
