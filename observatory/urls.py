from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from observatory.accounts.views import LoginView

from .health import health
from .language import language_switch

urlpatterns = [
    path("", include("observatory.dashboards.urls")),
    path("health/", health, name="health"),
    path("imports/", include("ingestion.urls")),
    path("reconciliation/", include("observatory.reconciliation.urls")),
    path("indicators/", include("observatory.indicators.urls")),
    path("open-data/", include("observatory.open_data.urls")),
    path("compstat/", include("observatory.compstat.urls")),
    path("hotspots/", include("observatory.hotspots.urls")),
    path("api/", include("api.urls")),
    path("i18n/language/", language_switch, name="set_language"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
