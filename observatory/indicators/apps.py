from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "observatory.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
