"""The three default sources with their profiles as shipped, and the beat schedules of the drop folders and
of the stalled-run check (both editable in the admin afterwards)."""
import json
from pathlib import Path

from django.db import migrations

PROFILES_DIR = Path(__file__).resolve().parent.parent / "default_profiles"
SCHEDULES = [
    ("Poll the drop folders", "ingestion.poll_drop_folders", 60),
    ("Queue again import runs whose worker died", "ingestion.requeue_stalled_runs", 300),
]


def install(apps, schema_editor):
    Source = apps.get_model("ingestion", "Source")
    SourceProfile = apps.get_model("ingestion", "SourceProfile")
    for path in sorted(PROFILES_DIR.glob("*.json")):
        config = json.loads(path.read_text(encoding="utf-8"))
        source, _ = Source.objects.get_or_create(code=path.stem, defaults={"name": config.get("name", path.stem)})
        if not SourceProfile.objects.filter(source=source).exists():
            SourceProfile.objects.create(source=source, version=1, config=config, comment="default profile as shipped")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, seconds in SCHEDULES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval, "enabled": True})


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=[task for _, task, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
