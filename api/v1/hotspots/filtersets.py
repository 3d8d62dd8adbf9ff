import django_filters

from observatory.hotspots.models import HotspotAnalysis


class HotspotAnalysisFilterSet(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(field_name="jurisdiction__code", help_text="A police jurisdiction's code.")

    class Meta:
        model = HotspotAnalysis
        fields = ["status", "category", "jurisdiction"]
