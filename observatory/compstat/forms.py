from django import forms
from django.utils.translation import gettext_lazy as _

from observatory.records.terms import Category, Weapon

from .terms import HourBand, MapPeriod, Weekday


class CompstatQueryForm(forms.Form):
    """The page's question: where, until when, which period for the map and patterns, and the filters."""

    jurisdiction = forms.TypedChoiceField(label=_("Jurisdiction"), required=False, coerce=int, empty_value=None)
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The police data's cut-off unless another day is chosen."),
    )
    period = forms.ChoiceField(label=_("Map period"), choices=MapPeriod.choices, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All")), *Category.choices], required=False)
    weapon = forms.ChoiceField(label=_("Weapon"), choices=[("", _("All")), *Weapon.choices], required=False)
    weekday = forms.TypedChoiceField(
        label=_("Day of week"),
        choices=[("", _("All")), *Weekday.choices],
        required=False,
        coerce=int,
        empty_value=None,
    )
    hour_band = forms.ChoiceField(label=_("Hours"), choices=[("", _("All")), *HourBand.choices], required=False)
    colonia = forms.TypedChoiceField(label=_("Colonia"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, jurisdictions, colonias, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [("", _("All jurisdictions"))] + [
            (item.pk, item.name) for item in jurisdictions
        ]
        self.fields["colonia"].choices = [("", _("All"))] + [(item.pk, item.name) for item in colonias]


class WeeklyReportForm(forms.Form):
    jurisdiction = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    week_ending = forms.DateField()

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].choices = [("", "")] + [(item.pk, item.name) for item in jurisdictions]
