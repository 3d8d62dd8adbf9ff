from django.urls import path

from . import timeline_views, views

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
    path("events/", timeline_views.event_list, name="event-list"),
    path("events/new/", timeline_views.event_create, name="event-create"),
    path("events/<int:pk>/", timeline_views.event_edit, name="event-edit"),
    path("events/<int:pk>/delete/", timeline_views.event_delete, name="event-delete"),
]
