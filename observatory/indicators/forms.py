from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from observatory.geography.models import AdminUnit, Level, PoliceJurisdiction
from observatory.records.models import Source
from observatory.records.selectors import source_labels

from .models import Alert, MonthlySeries, TimelineEvent
from .services import TimelineEventDetails
from .terms import RECONCILED, Series, UnitLevel


def unit_choices(level: str) -> list[tuple[str, str]]:
    model = PoliceJurisdiction if level == UnitLevel.JURISDICTION else AdminUnit
    units = model.objects.all() if model is PoliceJurisdiction else model.objects.filter(level=level)
    return [(code, f"{name} ({code})") for code, name in units.order_by("name").values_list("code", "name")]


def basis_choices() -> list[tuple[str, str]]:
    """Reconciled victims, every source, and any basis figures were published on (a source since removed)."""
    choices = {RECONCILED: _("Reconciled victims"), **source_labels()}
    # Every basis published has its country's series: reading those few rows, not every unit's.
    published = MonthlySeries.objects.filter(valid_to__isnull=True, level=UnitLevel.COUNTRY)
    for basis in published.values_list("basis", flat=True).distinct():
        choices.setdefault(basis, basis)
    return sorted(choices.items(), key=lambda item: (item[0] != RECONCILED, item[0]))


class PlainSelect(forms.Select):
    """A select written in one pass, not through a template per option: a level's units number hundreds (340
    municipalities), and the template per option made their list most of the figures page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        attributes = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(value)} if value is not None else set()
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((code, mark_safe(" selected") if str(code) in chosen else "", label) for code, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(attributes), options)


class _MonthField(forms.DateField):
    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"})


class FigureQueryForm(forms.Form):
    """Which series to show: the unit list follows the level chosen (on the page, `units_by_level` lets a script
    change the list without a reload). Every refusal says, in the reader's language, what to do instead."""

    level = forms.ChoiceField(
        label=_("Level"),
        choices=UnitLevel.choices,
        initial=UnitLevel.COUNTRY,
        error_messages={"invalid_choice": _("Choose a level from the list.")},
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False, widget=PlainSelect)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Series.choices,
        initial=Series.HOMICIDE,
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    basis = forms.ChoiceField(
        label=_("Basis"),
        initial=RECONCILED,
        error_messages={"invalid_choice": _("Choose from the list: reconciled victims, or one source alone.")},
    )
    month_from = _MonthField(
        label=_("From"), required=False, error_messages={"invalid": _("Write the month as 2024-03 (year-month).")}
    )
    month_to = _MonthField(
        label=_("To"), required=False, error_messages={"invalid": _("Write the month as 2024-03 (year-month).")}
    )
    vintage = forms.IntegerField(
        label=_("Vintage"),
        required=False,
        min_value=1,
        help_text=_("An earlier vintage's figures; the latest if empty."),
        error_messages={
            "invalid": _("A vintage is the number of a computation, as listed on the Vintages page."),
            "min_value": _("A vintage is the number of a computation, as listed on the Vintages page."),
        },
    )

    def __init__(self, data=None, **kwargs):
        values = {name: data.get(name) for name in data} if data else {}
        for name, field in self.base_fields.items():
            if field.initial is not None and not values.get(name):
                values[name] = str(field.initial)
        level = values["level"] if values["level"] in UnitLevel.values else UnitLevel.COUNTRY
        units = unit_choices(level)
        if not values.get("unit") and units:
            values["unit"] = units[0][0]
        super().__init__(values, **kwargs)
        self.fields["unit"].choices = units
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not among the units of the level %(level)s: choose one from the list."
        ) % {"value": "%(value)s", "level": UnitLevel(level).label}
        self.fields["basis"].choices = basis_choices()

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("month_from"), cleaned.get("month_to")
        if first and last and first > last:
            self.add_error("month_to", _("The last month comes before the first: swap them."))
        return cleaned

    def units_by_level(self) -> dict[str, list[tuple[str, str]]]:
        """{level: [(code, label), ...]} for every level, for the script that refills the unit list."""
        return {level: unit_choices(level) for level in UnitLevel.values}


class DiscrepancyQueryForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=UnitLevel.choices, initial=UnitLevel.MUNICIPALITY)
    category = forms.ChoiceField(label=_("Category"), choices=Series.choices, initial=Series.HOMICIDE)
    month = _MonthField(label=_("Month"), required=False, help_text=_("The latest final month if empty."))


class AlertQueryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *Alert.Kind.choices], required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All")), *UnitLevel.choices], required=False)
    month_from = _MonthField(label=_("From"), required=False)


class _UnitChoiceField(forms.ModelMultipleChoiceField):
    """Every administrative unit as a check box, country first, then departments, municipalities and colonias,
    each labelled with its level, code and the unit it belongs to (two municipalities may share a name)."""

    def __init__(self, **kwargs):
        rank = Case(
            *(When(level=level, then=Value(position)) for position, level in enumerate(Level.values)),
            output_field=IntegerField(),
        )
        units = AdminUnit.objects.select_related("parent").annotate(rank=rank).order_by("rank", "name", "code")
        super().__init__(queryset=units, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)

    def label_from_instance(self, unit):
        within = f", {unit.parent.name}" if unit.parent_id and unit.parent.level != Level.COUNTRY else ""
        return f"{unit.name} · {unit.get_level_display()} {unit.code}{within}"


_DATE_ERRORS = {"invalid": _("Write the date as 2024-03-15 (year-month-day).")}


class TimelineEventForm(forms.Form):
    """An event on the timeline. The fields only parse what was typed: the service decides whether the event may
    be recorded (a unit, the end after the start, a title, the source of a change of definitions or coverage), and
    the page shows all its refusals at once."""

    kind = forms.ChoiceField(label=_("Kind"), choices=TimelineEvent.Kind.choices)
    start_date = forms.DateField(
        label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), error_messages=_DATE_ERRORS
    )
    end_date = forms.DateField(
        label=_("End"),
        required=False,
        help_text=_("Empty for an event of one day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_DATE_ERRORS,
    )
    units = _UnitChoiceField(label=_("Administrative units"))
    jurisdictions = forms.ModelMultipleChoiceField(
        label=_("Police jurisdictions"),
        queryset=PoliceJurisdiction.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    source = forms.ModelChoiceField(
        label=_("Source concerned"),
        queryset=Source.objects.order_by("name"),
        required=False,
        help_text=_("Required for a change of a source's definitions or coverage."),
    )
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200, required=False)
    description_es = forms.CharField(
        label=_("Description in Spanish"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    @classmethod
    def initial_of(cls, event: TimelineEvent) -> dict:
        initial = {name: getattr(event, name) for name in cls.base_fields if name not in ("units", "jurisdictions")}
        return initial | {"units": list(event.units.all()), "jurisdictions": list(event.jurisdictions.all())}

    def details(self) -> TimelineEventDetails:
        data = self.cleaned_data
        return TimelineEventDetails(
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            units=list(data["units"]),
            jurisdictions=list(data["jurisdictions"]),
            source_id=data["source"].pk if data["source"] else None,
            title_es=data["title_es"],
            title_en=data["title_en"],
            description_es=data["description_es"],
            description_en=data["description_en"],
        )


class TimelineEventQueryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *TimelineEvent.Kind.choices], required=False)
