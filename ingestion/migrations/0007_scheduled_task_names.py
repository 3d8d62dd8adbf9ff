"""The beat schedule names the drop folders' poll and the stalled-run check by the tasks' new names, which say
what they do."""
from django.db import migrations

RENAMED = {
    "ingestion.poll_drop_folders": "ingestion.drop_folders_poll",
    "ingestion.requeue_stalled_runs": "ingestion.stalled_import_runs_requeue",
}


def rename(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED.items():
        PeriodicTask.objects.filter(task=old).update(task=new)


def rename_back(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in RENAMED.items():
        PeriodicTask.objects.filter(task=new).update(task=old)


class Migration(migrations.Migration):

    dependencies = [
        ('ingestion', '0006_import_run_as_a_job'),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
