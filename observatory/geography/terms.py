"""The groups a population figure is for: everyone, or a sex, a five-year age band, or both.

The codes are the ones counts are cut by (the records' sex codes, the indicators' age bands), so a count of a group
finds its group's population by its own key. Records also know an unknown sex ("U"): no population exists for it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The sex and the age band of a figure that covers everyone.
EVERYONE = ""


class PopulationSex(models.TextChoices):
    EVERYONE = EVERYONE, _("Everyone")
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


AGE_BAND_WIDTH = 5
# 80 and over is one band, as in the SDG 16.1.1 tables.
AGE_BAND_OPEN_FROM = 80


def age_band_label(lower: int) -> str:
    if lower >= AGE_BAND_OPEN_FROM:
        return f"{AGE_BAND_OPEN_FROM}+"
    return f"{lower:02d}-{lower + AGE_BAND_WIDTH - 1:02d}"


# "00-04" ... "75-79", "80+": every age, once.
POPULATION_AGE_BANDS = tuple(age_band_label(lower) for lower in range(0, AGE_BAND_OPEN_FROM + 1, AGE_BAND_WIDTH))
AGE_BAND_CHOICES = [(EVERYONE, _("All ages")), *((band, band) for band in POPULATION_AGE_BANDS)]
