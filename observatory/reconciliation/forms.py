"""Forms of the reconciliation pages: an analyst's decision on a pair, and asking for a linkage run."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CandidatePair, LinkageRun


class PairDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Are these two records the same person?"),
        choices=CandidatePair.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why: what convinced you, for whoever reads the decision later."),
    )


class LinkageRunRequestForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(kind.value, kind.label) for kind in (LinkageRun.Kind.INCREMENTAL, LinkageRun.Kind.FULL)]
    )
