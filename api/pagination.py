"""How JSON lists are paged. Every list takes `page_size` up to PAGE_SIZE_MAX rows and refuses more with 400 (never
silently fewer rows): every row at once is the CSV's job (`?format=csv`, streamed, no cap). Small lists go by page
number with their total count; the large tables (monthly figures, victim-level rows, the audit log) by a cursor
that carries the last row's sort key, so a page costs the same at the millionth row as at the first, with the
total count only when asked (`?count=true`)."""

import base64
import binascii
import json
from operator import attrgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework_gis.pagination import GeoJsonPagination

PAGE_SIZE_MAX = 400
PAGE_SIZE_DESCRIPTION = _(
    "Rows per page, at most 400 (more answers 400); for every row at once ask for the CSV (format=csv)."
)


class _RefusesUnorderedQuerysets:
    """Paging an unordered queryset repeats and skips rows between pages; refuse it outright."""

    def paginate_queryset(self, queryset, request, view=None):
        if hasattr(queryset, "ordered") and not queryset.ordered:
            raise ValueError(f"{view.__class__.__name__} pages an unordered queryset; order it first.")
        return super().paginate_queryset(queryset, request, view)


class _CheckedPageSize:
    """`page_size` between 1 and PAGE_SIZE_MAX, or a 400 that says why."""

    page_size_query_param = "page_size"
    page_size_query_description = PAGE_SIZE_DESCRIPTION
    max_page_size = PAGE_SIZE_MAX

    def get_page_size(self, request):
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return api_settings.PAGE_SIZE
        if not asked.isdigit() or not 1 <= int(asked) <= PAGE_SIZE_MAX:
            raise ValidationError(
                {
                    self.page_size_query_param: gettext(
                        "Ask for 1 to %(max)d rows per page; for every row at once, ask for the CSV (format=csv)."
                    )
                    % {"max": PAGE_SIZE_MAX}
                }
            )
        return int(asked)


class OrderedPageNumberPagination(_RefusesUnorderedQuerysets, _CheckedPageSize, PageNumberPagination):
    pass


class OrderedGeoJsonPagination(_RefusesUnorderedQuerysets, _CheckedPageSize, GeoJsonPagination):
    pass


def _after(ordering: list[str], position: list) -> Q:
    """Rows after `position` in `ordering` (field names, '-' for descending): the first field past it, or equal
    there and the second past it, and so on."""
    after = Q(pk__in=[])
    equal = Q()
    for name, value in zip(ordering, position, strict=True):
        field = name.lstrip("-")
        after |= equal & Q(**{f"{field}__{'lt' if name.startswith('-') else 'gt'}": value})
        equal &= Q(**{field: value})
    return after


class KeysetCursorPagination(_CheckedPageSize, BasePagination):
    """Forward pages by `cursor` (the `next` link), the rows' own order with the primary key last to break ties;
    `count=true` adds the total."""

    cursor_query_param = "cursor"
    count_query_param = "count"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        ordering = [*(queryset.query.order_by or queryset.model._meta.ordering), "pk"]
        self.count = queryset.count() if request.query_params.get(self.count_query_param) == "true" else None
        position = self._position(request, length=len(ordering))
        if position is not None:
            queryset = queryset.filter(_after(ordering, position))
        rows = list(queryset.order_by(*ordering)[: self.page_size + 1])
        page, more = rows[: self.page_size], len(rows) > self.page_size
        self.next_position = [attrgetter(name.lstrip("-"))(page[-1]) for name in ordering] if more else None
        return page

    def _position(self, request, *, length: int) -> list | None:
        cursor = request.query_params.get(self.cursor_query_param)
        if not cursor:
            return None
        try:
            position = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            position = None
        if not isinstance(position, list) or len(position) != length:
            raise ValidationError({self.cursor_query_param: gettext("This cursor is not one this list gave.")})
        return position

    def get_next_link(self) -> str | None:
        if self.next_position is None:
            return None
        cursor = base64.urlsafe_b64encode(json.dumps(self.next_position, cls=DjangoJSONEncoder).encode()).decode()
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        counted = {} if self.count is None else {"count": self.count}
        return Response({**counted, "next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "count": {"type": "integer", "description": gettext("Every matching row; with count=true only.")},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Where the page starts: the cursor of the previous page's next link.")),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(PAGE_SIZE_DESCRIPTION),
                "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
            },
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": str(_("true: the answer gives the number of every matching row (count).")),
                "schema": {"type": "boolean"},
            },
        ]
