from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from observatory.records.rows import run_layouts_provide


class IngestionConfig(AppConfig):
    name = "ingestion"
    verbose_name = _("Ingestion")

    def ready(self) -> None:
        from .selectors import import_run_layouts  # models load only once the registry is ready

        run_layouts_provide(lookup=import_run_layouts)
