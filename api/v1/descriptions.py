"""Descriptions that several endpoints' fields and parameters share, in both languages (the OpenAPI schema is
generated per language)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter

LEVEL = _("Geography level: country, department, municipality, colonia or police jurisdiction.")
UNIT_CODE = _("Official code of the unit (a police jurisdiction's own code at that level).")
UNIT_NAME = _("Name of the unit.")
CATEGORY = _("Category of events counted (homicide, femicide, assault_injury, ...).")
BASIS = _("What is counted: one source's records (its code: police, coroner, hospital, ...) or reconciled victims.")
SEX = _("Sex of the victims: M, F or U (unknown); empty for everyone.")
AGE_BAND = _("5-year age band of the victims (15-19, ..., 80+, unknown); empty for every age.")
VINTAGE = _("The vintage (computation of the indicators) the figures come from.")
MONTH = _("Month, YYYY-MM.")
MONTHS = _("The figures month by month, oldest first.")
MONTH_STATUS = _("provisional or final; null where there is no data.")
ID = _("Identifier of the row.")

VINTAGE_PARAMETER = _("An earlier vintage's number (default: the latest).")
VINTAGE_PARAMETERS = [OpenApiParameter("vintage", int, description=VINTAGE_PARAMETER)]
MONTH_PARAMETERS = [
    OpenApiParameter("month_from", str, description=_("First month, YYYY-MM (default: the first the vintage has).")),
    OpenApiParameter("month_to", str, description=_("Last month, YYYY-MM (default: the last the vintage has).")),
    *VINTAGE_PARAMETERS,
]
UNIT_PARAMETER = _("Official code of a unit (a department, municipality, colonia or police jurisdiction).")
LEVEL_PARAMETER = _("Only units of this geography level.")
CATEGORY_PARAMETER = _("Only this category of events.")
BASIS_PARAMETER = _("A source's code (police, coroner, hospital, ...) or reconciled.")

# The fields every job (an import run, a vintage) has, observatory/jobs/models.py.
JOB_FIELDS = {
    "status": {"help_text": _("queued, running, done or failed.")},
    "progress": {"help_text": _("Share of the work done, from 0 to 1.")},
    "progress_note": {"help_text": _("What the job is doing now.")},
    "error": {"help_text": _("Why the job failed; empty otherwise.")},
    "attempts": {"help_text": _("Times the job was started (more than one after an interruption).")},
    "queued_at": {"help_text": _("When the job was asked for.")},
    "started_at": {"help_text": _("When it started; null while queued.")},
    "finished_at": {"help_text": _("When it ended; null until then.")},
}

# xgettext:no-python-format
INTERVAL_LOW = _("Low end of its 95% interval.")
# xgettext:no-python-format
INTERVAL_HIGH = _("High end of its 95% interval.")
