from django.urls import path

from . import views

app_name = "ingestion"

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("new/", views.run_create, name="run-create"),
    path("unmapped/", views.unmapped_values, name="unmapped-values"),
    path("<int:run_id>/", views.run_detail, name="run-detail"),
]
