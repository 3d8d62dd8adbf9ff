from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("geography/", views.geography, name="geography"),
    path("methodology/", views.methodology, name="methodology"),
    path("audit/", views.audit_log, name="audit-log"),
]
