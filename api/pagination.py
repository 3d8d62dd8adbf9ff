from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination


class _RefusesUnorderedQuerysets:
    """Paging an unordered queryset repeats and skips rows between pages; refuse it outright."""

    def paginate_queryset(self, queryset, request, view=None):
        if hasattr(queryset, "ordered") and not queryset.ordered:
            raise ValueError(f"{view.__class__.__name__} pages an unordered queryset; order it first.")
        return super().paginate_queryset(queryset, request, view)


class OrderedPageNumberPagination(_RefusesUnorderedQuerysets, PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


class OrderedGeoJsonPagination(_RefusesUnorderedQuerysets, GeoJsonPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000
