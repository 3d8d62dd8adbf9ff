from django.urls import include, path, re_path

from .exception_handlers import path_not_found

urlpatterns = [
    path("v1/", include(("api.v1.urls", "api-v1"), namespace="api-v1")),
    re_path(r"^(?P<unmatched>.*)$", path_not_found),
]
