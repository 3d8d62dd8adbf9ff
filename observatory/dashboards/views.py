from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability
from observatory.accounts.selectors import audit_event_list
from observatory.geography.models import Level

AUDIT_EVENTS_PER_PAGE = 50


@require_GET
def home(request):
    """The public map of the geography: departments, municipalities, demo colonias and police jurisdictions."""
    return render(request, "dashboards/home.html", {"levels": Level})


@require_GET
@capability_required(Capability.VIEW_AUDIT_LOG)
def audit_log(request):
    events = audit_event_list(action=request.GET.get("action") or None)
    page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboards/audit_log.html", {"page": page, "action": request.GET.get("action", "")})
