from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("monitor/", views.monitor, name="monitor"),
    path("undercount/", views.undercount, name="undercount"),
    path("coverage/", views.coverage, name="coverage"),
    path("vintages/", views.vintages, name="vintages"),
    path("alerts/", views.alerts, name="alerts"),
    path("discrepancies/", views.discrepancies, name="discrepancies"),
    path("discrepancies/cases/", views.cases, name="cases"),
]
