from django.urls import path

from . import units, views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("geography/", views.geography, name="geography"),
    path("methodology/", views.methodology, name="methodology"),
    path("audit/", views.audit_log, name="audit-log"),
    path("units/search/", units.search, name="unit-search"),
    path("units/<slug:level>/", units.ranking, name="unit-ranking"),
    path("units/<slug:level>/<str:code>/", units.unit_detail, name="unit"),
]
