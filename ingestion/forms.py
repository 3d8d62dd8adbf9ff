"""Forms of the ingestion pages and the admin: sending a file, mapping a value, saving a source profile."""

import json

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from observatory.accounts.roles import may_upload_for_source
from observatory.errors import ApplicationError
from observatory.records.models import Source
from observatory.records.selectors import source_list_for
from observatory.records.terms import TERMS_BY_VOCABULARY

from .models import SourceProfile
from .profile_config import FEMICIDE_TERM, KNOWN_FIELDS
from .selectors import source_profile_current
from .services import source_profile_save


class ImportUploadForm(forms.Form):
    """A file for one source. Every existing source validates, so that posting another institution's source is
    answered with the reason rather than with "not a valid choice"; the select offers only the user's own."""

    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(),
        empty_label=_("Choose the source"),
        error_messages={
            "required": _("Choose the source the file comes from."),
            "invalid_choice": _("There is no such source."),
        },
    )
    # A file part with an empty name never reaches the form (Django's parser drops it): it is "required" too.
    file = forms.FileField(
        label=_("File"), allow_empty_file=True, error_messages={"required": _("Choose the file to send.")}
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offered = [(source.pk, source.label) for source in source_list_for(user=user)]
        if len(offered) == 1:
            self.fields["source"].initial = offered[0][0]
        else:
            offered.insert(0, ("", self.fields["source"].empty_label))
        self.fields["source"].widget.choices = offered

    def clean_source(self):
        source = self.cleaned_data["source"]
        if not may_upload_for_source(self.user, source.code):
            raise forms.ValidationError(
                _("This account sends files for the source “%(own)s” only, not for “%(other)s”."),
                code="other_source",
                params={"own": self.user.source_code or "—", "other": source.code},
            )
        return source

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.INGEST_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("%(name)s is %(size)s, over the limit of %(limit)s."),
                code="too_large",
                params={
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.INGEST_MAX_UPLOAD_BYTES),
                },
            )
        return upload


class VocabularyMappingForm(forms.Form):
    """One source value to map onto one term of the vocabulary that reads its column."""

    source = forms.ModelChoiceField(queryset=Source.objects.all())
    column = forms.CharField(max_length=200)
    value = forms.CharField(max_length=1000, strip=False)
    term = forms.CharField(max_length=64, error_messages={"required": _("Choose the term the value means.")})

    def clean_source(self):
        source = self.cleaned_data["source"]
        if source_profile_current(source=source) is None:
            raise forms.ValidationError(_("The source %(source)s has no profile yet."), params={"source": source.code})
        return source


class ProfileConfigField(forms.JSONField):
    """The profile as indented JSON, to be read and edited by a person."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


def profile_reference_said() -> str:
    """What a profile may say, from the lists the profile is checked against (README: "Writing a profile")."""
    fields = "; ".join(f"{name} ({' | '.join(sorted(types))})" for name, types in KNOWN_FIELDS.items())
    vocabularies = "; ".join(
        f"{name}: {', '.join([*terms.values, *([FEMICIDE_TERM] if name == 'category' else [])])}"
        for name, terms in TERMS_BY_VOCABULARY.items()
    )
    return format_html(
        "{}<br>{} {}<br>{} {}",
        _(
            "Keys: name, encoding, separator, record_id {columns, join}, missing_values, fields, "
            'vocabularies, rules (README, "Writing a profile").'
        ),
        _("Fields (type):"),
        fields,
        _("Vocabularies (terms):"),
        vocabularies,
    )


class SourceProfileAdminForm(forms.ModelForm):
    """Saving never overwrites a profile: the edited configuration becomes a new version through the service.

    The service is called once every other check has passed, so that the problems it finds (ApplicationError)
    show as errors of this form; the admin's change view has no inlines that could still fail afterwards.
    """

    config = ProfileConfigField(
        label=_("configuration"),
        widget=forms.Textarea(
            attrs={"rows": 40, "cols": 120, "class": "vLargeTextField profile-config", "spellcheck": "false"}
        ),
        help_text=lazy(profile_reference_said, str)(),
    )
    comment = forms.CharField(
        label=_("what changed"), max_length=300, help_text=_("Saved with the new version and in the audit log.")
    )
    record_id_change_confirmed = forms.BooleanField(
        label=_("change how record ids are built"),
        required=False,
        help_text=_("Only when the institution changed its record ids: the records stored keep theirs."),
    )

    changed_by = None  # set per request by the admin
    ip_address = None

    class Meta:
        model = SourceProfile
        fields = ["source", "config", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["comment"] = ""
            self.initial["config"] = self.instance.config_in_written_order
        self.saved_profile: SourceProfile | None = None
        self.created_new_version = False

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        source = self.instance.source if self.instance.pk else self.cleaned_data["source"]
        current = source_profile_current(source=source)
        try:
            self.saved_profile = source_profile_save(
                source=source,
                config=self.cleaned_data["config"],
                comment=self.cleaned_data["comment"],
                created_by=self.changed_by,
                ip_address=self.ip_address,
                record_id_change_confirmed=(self.cleaned_data["record_id_change_confirmed"]),
            )
        except ApplicationError as error:
            self.add_error(
                "record_id_change_confirmed" if error.code == "record_id_changed" else "config",
                error.extra.get("problems") or error.message,
            )
            return
        self.created_new_version = current is None or self.saved_profile.pk != current.pk
