import django_filters
from django.utils.translation import gettext_lazy as _

from observatory.hotspots.models import HotspotAnalysis


class HotspotAnalysisFilterSet(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(
        field_name="jurisdiction__code", help_text=_("A police jurisdiction's code.")
    )

    category = django_filters.CharFilter(help_text=_("Only analyses of this category."))

    class Meta:
        model = HotspotAnalysis
        fields = ["status", "category", "jurisdiction"]
