"""Linkage runs share the job vocabulary (observatory.jobs.models.Job): `created_at` becomes `queued_at`; the
text `progress` becomes `progress_note` beside a `progress` share from 0 to 1 (1 for those done); `interruptions`, the
attempts whose worker died, becomes `attempts`, every attempt started."""
from django.conf import settings
from django.db import migrations, models

APP, MODEL = "reconciliation", "linkagerun"


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
        ('reconciliation', '0007_linkage_run_notes'),
    ]

    operations = [
        migrations.RenameField(model_name='linkagerun', old_name='created_at', new_name='queued_at'),
        migrations.RenameField(model_name='linkagerun', old_name='progress', new_name='progress_note'),
        migrations.AlterField(
            model_name='linkagerun',
            name='progress_note',
            field=models.CharField(blank=True, max_length=200, verbose_name='progress note'),
        ),
        migrations.AddField(
            model_name='linkagerun',
            name='progress',
            field=models.FloatField(default=0.0, verbose_name='progress'),
        ),
        migrations.RenameField(model_name='linkagerun', old_name='interruptions', new_name='attempts'),
        migrations.AlterField(
            model_name='linkagerun',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='attempts'),
        ),
        migrations.AlterField(
            model_name='linkagerun',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], db_index=True, default='queued', max_length=16, verbose_name='status'),
        ),
        migrations.AlterModelOptions(
            name='linkagerun',
            options={'ordering': ['-queued_at'], 'verbose_name': 'linkage run', 'verbose_name_plural': 'linkage runs'},
        ),
        migrations.RunPython(progress_and_attempts, interruptions_from_attempts),
        migrations.AddConstraint(
            model_name='linkagerun',
            constraint=models.CheckConstraint(condition=models.Q(('progress__gte', 0), ('progress__lte', 1)), name='reconciliation_linkagerun_progress_is_a_share'),
        ),
    ]
