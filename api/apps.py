from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from . import (
            receivers,  # noqa: F401  (connects the signal receivers)
            schema,  # noqa: F401 - registers the OpenAPI security schemes (API key, token)
        )
