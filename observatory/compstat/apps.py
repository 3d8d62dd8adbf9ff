from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompstatConfig(AppConfig):
    name = "observatory.compstat"
    label = "compstat"
    verbose_name = _("CompStat")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
