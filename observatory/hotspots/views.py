"""The hotspot page (commanders and above): the stored analysis of the filters chosen (queued when there is none),
its map, the months' Predictive Accuracy Index, the emerging classes, the colonias and the displacement check."""

from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from observatory.accounts.permissions import capability_required
from observatory.accounts.roles import Capability

from .forms import DisplacementForm, HotspotQueryForm
from .selectors import displacement_check, emerging_counts, hotspot_area_list, records_cutoff
from .services import hotspot_analysis_request
from .terms import AreaKind, Confidence, EmergingClass, MoranCluster


@capability_required(Capability.VIEW_OPERATIONAL_DETAIL)
@require_GET
def hotspot_map(request):
    form = HotspotQueryForm(request.GET or None)
    cutoff = records_cutoff(source=settings.HOTSPOTS_SOURCE)
    context = {"form": form, "cutoff": cutoff, "confidences": Confidence.choices, "clusters": MoranCluster.choices}
    if cutoff is None or (request.GET and not form.is_valid()):
        return render(request, "hotspots/map.html", context)
    chosen = form.cleaned_data if request.GET else {}
    analysis = hotspot_analysis_request(
        category=chosen.get("category") or "",
        jurisdiction=chosen.get("jurisdiction"),
        last_month=chosen.get("last_month") or cutoff.replace(day=1),
        months=chosen.get("months") or settings.HOTSPOTS_DEFAULT_MONTHS,
        requested_by=request.user,
    )
    context["analysis"] = analysis
    if analysis.status == analysis.Status.DONE:
        counts = emerging_counts(analysis=analysis)
        context["emerging"] = [(value, label, counts.get(value, 0)) for value, label in EmergingClass.choices]
        context["colonias"] = hotspot_area_list(analysis=analysis, kind=AreaKind.COLONIA, only_notable=False).order_by(
            "-count"
        )[:20]
        context.update(_displacement(request, analysis))
    return render(request, "hotspots/map.html", context)


def _displacement(request, analysis) -> dict:
    """The displacement form, and its result once an area was drawn and the form sent."""
    if "area" not in request.GET:
        return {"displacement_form": DisplacementForm(initial={"start": date.today()})}
    displacement_form = DisplacementForm(request.GET)
    if not displacement_form.is_valid():
        return {"displacement_form": displacement_form}
    chosen = displacement_form.cleaned_data
    return {
        "displacement_form": displacement_form,
        "displacement": displacement_check(
            area_geojson=chosen["area"],
            ring_metres=chosen["ring_metres"],
            on=chosen["start"],
            days=chosen["days"],
            category=analysis.category,
            jurisdiction_id=analysis.jurisdiction_id,
        ),
    }
