"""The beat schedule names the nightly full linkage run by the tasks' new names, which say what they do."""
from django.db import migrations

RENAMED = {"reconciliation.full_run": "reconciliation.full_linkage_run_execute"}


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
        ('reconciliation', '0008_linkage_run_as_a_job'),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
