import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from observatory.geography.models import PoliceJurisdiction
from observatory.records.terms import Category


class HotspotQueryForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Every category")), *Category.choices], required=False
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Police jurisdiction"),
        queryset=PoliceJurisdiction.objects.order_by("code"),
        required=False,
        empty_label=_("Every jurisdiction"),
        to_field_name="code",
    )
    last_month = forms.DateField(
        label=_("Last month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Empty: the month of the latest police record."),
    )
    months = forms.IntegerField(
        label=_("Months"), min_value=3, max_value=36, required=False, initial=settings.HOTSPOTS_DEFAULT_MONTHS
    )


class DisplacementForm(forms.Form):
    """An operation area drawn on the map (or a cell or colonia picked there), the day it started, the ring width
    and the length of the periods compared."""

    area = forms.CharField(widget=forms.HiddenInput, error_messages={"required": _("Draw an area on the map first.")})
    start = forms.DateField(
        label=_("Operation start"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ring_metres = forms.IntegerField(label=_("Ring width (m)"), min_value=50, max_value=5000, initial=250)
    days = forms.IntegerField(label=_("Days before and after"), min_value=7, max_value=365, initial=28)

    def clean_area(self) -> str:
        try:
            geometry = json.loads(self.cleaned_data["area"])
        except ValueError:
            geometry = None
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise forms.ValidationError(_("The area must be a polygon drawn on the map."))
        return json.dumps(geometry)
