"""Import runs share the job vocabulary (observatory.jobs.models.Job): `message` becomes `error`, the failure
message; what a run that did not fail said (a file sent before) moves to the new `progress_note`."""
from django.db import migrations, models
from django.db.models.functions import Left


def notes_apart_from_errors(apps, schema_editor):
    ImportRun = apps.get_model("ingestion", "ImportRun")
    said = ImportRun.objects.exclude(status="failed").exclude(error="")
    said.update(progress_note=Left("error", 200), error="")


def notes_back_with_errors(apps, schema_editor):
    ImportRun = apps.get_model("ingestion", "ImportRun")
    ImportRun.objects.exclude(progress_note="").update(error=models.F("progress_note"))


class Migration(migrations.Migration):

    dependencies = [
        ('ingestion', '0005_profile_config_as_written'),
    ]

    operations = [
        migrations.RenameField(model_name='importrun', old_name='message', new_name='error'),
        migrations.AlterField(
            model_name='importrun',
            name='error',
            field=models.TextField(blank=True, verbose_name='error'),
        ),
        migrations.AddField(
            model_name='importrun',
            name='progress_note',
            field=models.CharField(blank=True, max_length=200, verbose_name='progress note'),
        ),
        migrations.RunPython(notes_apart_from_errors, notes_back_with_errors),
        migrations.RemoveConstraint(model_name='importrun', name='progress_is_a_share'),
        migrations.AddConstraint(
            model_name='importrun',
            constraint=models.CheckConstraint(condition=models.Q(('progress__gte', 0), ('progress__lte', 1)), name='ingestion_importrun_progress_is_a_share'),
        ),
    ]
