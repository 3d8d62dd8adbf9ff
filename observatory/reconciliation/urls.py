from django.urls import path

from . import views

app_name = "reconciliation"

urlpatterns = [
    path("review/", views.review_list, name="review-list"),
    path("review/<int:pair_id>/", views.pair_detail, name="pair-detail"),
    path("victims/", views.victim_list_page, name="victim-list"),
    path("victims/<int:victim_id>/", views.victim_detail, name="victim-detail"),
    path("runs/", views.run_list, name="run-list"),
    path("runs/new/", views.run_create, name="run-create"),
    path("runs/<int:run_id>/status/", views.run_status, name="run-status"),
]
