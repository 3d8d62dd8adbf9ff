"""The sources become the records' own model, and the records name their import runs by id: state only.

The sources' table keeps its name (ingestion_source) and rows; ingestion's migration 0008 lets go of the model.
The run columns keep their names and types; the revisions' foreign-key constraint to ingestion's runs stays in
the database. The content type of the sources follows the model, so their admin history stays with them."""

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_records(apps, schema_editor):
    _content_type_move(apps, from_app="ingestion", to_app="records")


def content_type_to_ingestion(apps, schema_editor):
    _content_type_move(apps, from_app="records", to_app="ingestion")


def _content_type_move(apps, *, from_app: str, to_app: str) -> None:
    """A new database has no content types yet (they are created after the migrations): nothing to move."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=to_app, model="source").exists():
        ContentType.objects.filter(app_label=from_app, model="source").update(app_label=to_app)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ingestion", "0005_profile_config_as_written"),
        ("records", "0006_source_coverage_declared_by_analysts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Source",
                    fields=[
                        ("code", models.SlugField(max_length=32, primary_key=True, serialize=False, verbose_name="code")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("institution", models.CharField(blank=True, max_length=200, verbose_name="institution")),
                    ],
                    options={
                        "verbose_name": "source",
                        "verbose_name_plural": "sources",
                        "db_table": "ingestion_source",
                        "ordering": ["code"],
                    },
                ),
                migrations.AlterField(
                    model_name="sourcerecord",
                    name="source",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="records.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="sourcecoverage",
                    name="source",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="coverage",
                        to="records.source",
                        verbose_name="source",
                    ),
                ),
                migrations.RemoveField(model_name="sourcerecord", name="first_run"),
                migrations.AddField(model_name="sourcerecord", name="first_run_id", field=models.BigIntegerField()),
                migrations.RemoveField(model_name="sourcerecord", name="last_run"),
                migrations.AddField(model_name="sourcerecord", name="last_run_id", field=models.BigIntegerField()),
                migrations.RemoveField(model_name="sourcerecordrevision", name="replaced_by_run"),
                migrations.AddField(
                    model_name="sourcerecordrevision",
                    name="replaced_by_run_id",
                    field=models.BigIntegerField(db_index=True),
                ),
            ],
        ),
        migrations.RunPython(content_type_to_records, content_type_to_ingestion),
    ]
