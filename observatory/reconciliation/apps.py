from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReconciliationConfig(AppConfig):
    name = "observatory.reconciliation"
    label = "reconciliation"
    verbose_name = _("Reconciliation")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
