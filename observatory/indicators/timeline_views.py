"""Analysts' pages for the events marked on the charts: the list, recording one, changing it and deleting it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability
from observatory.accounts.services import client_ip

from .forms import TimelineEventForm, TimelineEventQueryForm
from .models import TimelineEvent
from .selectors import timeline_event_items, timeline_event_list
from .services import timeline_event_create, timeline_event_delete, timeline_event_update


@require_http_methods(["GET"])
@capability_required(Capability.MANAGE_TIMELINE_EVENTS)
def event_list(request):
    form = TimelineEventQueryForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    events = list(timeline_event_list(kind=kind or None))
    items = timeline_event_items(events=events, language=get_language())
    for item, event in zip(items, events, strict=True):
        item["recorded_by"] = event.recorded_by.get_username() if event.recorded_by else ""
        item["recorded_at"] = event.recorded_at
    return render(request, "indicators/timeline_event_list.html", {"form": form, "events": items})


def _event_form_page(request, *, event: TimelineEvent | None):
    """The form of a new event or of one recorded already; saved through the service, whose refusals the form
    shows next to their fields."""
    initial = TimelineEventForm.initial_of(event) if event else {}
    form = TimelineEventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                event = timeline_event_create(
                    details=form.details(), recorded_by=request.user, ip_address=client_ip(request)
                )
                messages.success(request, _("Event recorded: it is marked on the charts of its units."))
            else:
                timeline_event_update(
                    event=event, details=form.details(), changed_by=request.user, ip_address=client_ip(request)
                )
                messages.success(request, _("Event changed."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("indicators:event-list")
    return render(request, "indicators/timeline_event_form.html", {"form": form, "event": event})


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_TIMELINE_EVENTS)
def event_create(request):
    return _event_form_page(request, event=None)


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_TIMELINE_EVENTS)
def event_edit(request, pk: int):
    return _event_form_page(request, event=get_object_or_404(TimelineEvent, pk=pk))


@require_http_methods(["GET", "POST"])
@capability_required(Capability.MANAGE_TIMELINE_EVENTS)
def event_delete(request, pk: int):
    event = get_object_or_404(TimelineEvent, pk=pk)
    if request.method == "POST":
        timeline_event_delete(event=event, deleted_by=request.user, ip_address=client_ip(request))
        messages.success(request, _("Event deleted: the charts no longer mark it."))
        return redirect("indicators:event-list")
    item = timeline_event_items(events=[event], language=get_language())[0]
    return render(request, "indicators/timeline_event_delete.html", {"event": item})
