"""Profiles keep their configuration as written (the database's JSON orders keys by length). Shipped profiles
still as shipped get their file's order; other stored versions show the database's order, as before."""
import json
from pathlib import Path

from django.db import migrations, models

PROFILES_DIR = Path(__file__).resolve().parent.parent / "default_profiles"


def shipped_order(apps, schema_editor):
    SourceProfile = apps.get_model("ingestion", "SourceProfile")
    for path in sorted(PROFILES_DIR.glob("*.json")):
        shipped = json.loads(path.read_text(encoding="utf-8"))
        for profile in SourceProfile.objects.filter(source_id=path.stem, config_written=""):
            if profile.config == shipped:
                profile.config_written = json.dumps(shipped, ensure_ascii=False, indent=2)
                profile.save(update_fields=["config_written"])


class Migration(migrations.Migration):
    dependencies = [
        ("ingestion", "0004_row_issues_without_run_constraint"),
    ]

    operations = [
        migrations.AddField(
            model_name="sourceprofile",
            name="config_written",
            field=models.TextField(blank=True, editable=False, verbose_name="configuration as written"),
        ),
        migrations.RunPython(shipped_order, migrations.RunPython.noop),
    ]
