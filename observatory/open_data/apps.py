from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    name = "observatory.open_data"
    label = "open_data"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
