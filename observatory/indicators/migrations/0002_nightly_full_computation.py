"""The nightly full computation of the indicators (after the nightly linkage run), editable in the admin."""
from django.conf import settings
from django.db import migrations

TASK = "indicators.full_compute"


def install(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(minute="30", hour="4", day_of_week="*", day_of_month="*",
                                                       month_of_year="*", timezone=settings.TIME_ZONE)
    PeriodicTask.objects.get_or_create(name="Full indicator computation", defaults={"task": TASK, "crontab": nightly,
                                                                                    "enabled": True})


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_monthly_series_and_vintages"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
