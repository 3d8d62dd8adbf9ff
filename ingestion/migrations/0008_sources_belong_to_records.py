"""The sources are the records' model now (records' migration 0007): the runs and profiles point at it, and
ingestion lets go of the model. State only: the table, its rows and the foreign keys stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ingestion", "0007_scheduled_task_names"),
        ("records", "0007_sources_and_run_ids_belong_to_records"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sourceprofile",
                    name="source",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="profiles",
                        to="records.source",
                        verbose_name="source",
                    ),
                ),
                migrations.AlterField(
                    model_name="importrun",
                    name="source",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="runs",
                        to="records.source",
                        verbose_name="source",
                    ),
                ),
                migrations.DeleteModel(name="Source"),
            ],
        ),
    ]
