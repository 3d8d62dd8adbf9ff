from django.urls import path

from . import views

app_name = "compstat"

urlpatterns = [
    path("", views.compstat, name="page"),
    path("reports/", views.report_list, name="reports"),
    path("reports/print/", views.report_print, name="report-print"),
    path("reports/<int:pk>/pdf/", views.report_download, name="report-download"),
]
