from django.db import migrations


class Migration(migrations.Migration):
    """Recomputed the content hashes of records written from files whose separator was not ",". Superseded by
    0005, which recomputes every record's hash whatever its file's separator and column order: nothing left to do."""

    dependencies = [
        ("ingestion", "0003_importrun_header"),
        ("records", "0003_row_as_sent_as_one_line"),
    ]

    operations = []
