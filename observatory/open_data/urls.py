from django.urls import path

from . import views

app_name = "open_data"

urlpatterns = [
    path("", views.downloads, name="downloads"),
    path("files/<int:release>/<str:name>", views.file_download, name="file"),
]
