"""Indicator vintages share the job vocabulary (observatory.jobs.models.Job): `created_at` becomes `queued_at`; the
text `progress` becomes `progress_note` beside a `progress` share from 0 to 1 (1 for those done); `interruptions`, the
attempts whose worker died, becomes `attempts`, every attempt started."""
from django.conf import settings
from django.db import migrations, models

APP, MODEL = "indicators", "vintage"


def progress_and_attempts(apps, schema_editor):
    Job = apps.get_model(APP, MODEL)
    Job.objects.filter(status="done").update(progress=1.0)
    # A job started and interrupted n times was started n + 1 times, unless it failed on reaching the limit of
    # interruptions, without being started again.
    started = Job.objects.filter(started_at__isnull=False)
    started.filter(attempts__lt=settings.JOB_MAX_INTERRUPTIONS).update(attempts=models.F("attempts") + 1)


def interruptions_from_attempts(apps, schema_editor):
    Job = apps.get_model(APP, MODEL)
    ended_at_the_limit = models.Q(status="failed", attempts__gte=settings.JOB_MAX_INTERRUPTIONS)
    Job.objects.filter(attempts__gt=0).exclude(ended_at_the_limit).update(attempts=models.F("attempts") - 1)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0008_coverage_and_status_of_each_month'),
    ]

    operations = [
        migrations.RenameField(model_name='vintage', old_name='created_at', new_name='queued_at'),
        migrations.RenameField(model_name='vintage', old_name='progress', new_name='progress_note'),
        migrations.AlterField(
            model_name='vintage',
            name='progress_note',
            field=models.CharField(blank=True, max_length=200, verbose_name='progress note'),
        ),
        migrations.AddField(
            model_name='vintage',
            name='progress',
            field=models.FloatField(default=0.0, verbose_name='progress'),
        ),
        migrations.RenameField(model_name='vintage', old_name='interruptions', new_name='attempts'),
        migrations.AlterField(
            model_name='vintage',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='attempts'),
        ),
        migrations.AlterField(
            model_name='vintage',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], db_index=True, default='queued', max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='vintage',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='finished'),
        ),
        migrations.RunPython(progress_and_attempts, interruptions_from_attempts),
        migrations.AddConstraint(
            model_name='vintage',
            constraint=models.CheckConstraint(condition=models.Q(('progress__gte', 0), ('progress__lte', 1)), name='indicators_vintage_progress_is_a_share'),
        ),
    ]
