from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .accounts.views import AuditEventViewSet
from .geography.views import AdminUnitViewSet, PoliceJurisdictionViewSet, PopulationViewSet
from .indicators.views import (
    AlertViewSet,
    MonthlySeriesViewSet,
    TimelineEventViewSet,
    UndercountViewSet,
    VintageViewSet,
)
from .ingestion.views import ImportRunViewSet
from .maps.views import ChoroplethViewSet
from .open_data.views import OpenDataFileViewSet, OpenVictimViewSet
from .reconciliation.views import LinkageQualityViewSet
from .reports.views import DiscrepancyViewSet, HiddenViolenceViewSet, SourceCoverageViewSet
from .sdmx.views import SdmxViewSet

router = DefaultRouter()
router.register("geography/units", AdminUnitViewSet, basename="unit")
router.register("geography/jurisdictions", PoliceJurisdictionViewSet, basename="jurisdiction")
router.register("geography/populations", PopulationViewSet, basename="population")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("imports", ImportRunViewSet, basename="import-run")
router.register("indicators/monthly", MonthlySeriesViewSet, basename="monthly-series")
router.register("indicators/vintages", VintageViewSet, basename="vintage")
router.register("indicators/undercount", UndercountViewSet, basename="undercount")
router.register("indicators/alerts", AlertViewSet, basename="alert")
router.register("indicators/events", TimelineEventViewSet, basename="timeline-event")
router.register("indicators/map", ChoroplethViewSet, basename="choropleth")
router.register("indicators/discrepancies", DiscrepancyViewSet, basename="discrepancy")
router.register("indicators/hidden-violence", HiddenViolenceViewSet, basename="hidden-violence")
router.register("indicators/coverage", SourceCoverageViewSet, basename="source-coverage")
router.register("indicators/sdmx", SdmxViewSet, basename="sdmx")
router.register("reconciliation/linkage-quality", LinkageQualityViewSet, basename="linkage-quality")
router.register("open-data/victims", OpenVictimViewSet, basename="open-victim")
router.register("open-data/downloads", OpenDataFileViewSet, basename="open-data-file")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-v1:schema"), name="docs"),
]
