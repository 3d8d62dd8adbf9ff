"""The commander's filters: hour bands and the days of the week, as the pages and the API name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HourBand(models.TextChoices):
    EARLY = "early", _("Early morning (00–05 h)")
    MORNING = "morning", _("Morning (06–11 h)")
    AFTERNOON = "afternoon", _("Afternoon (12–17 h)")
    NIGHT = "night", _("Night (18–23 h)")


HOUR_BAND_HOURS = {
    HourBand.EARLY: (0, 5),
    HourBand.MORNING: (6, 11),
    HourBand.AFTERNOON: (12, 17),
    HourBand.NIGHT: (18, 23),
}


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class MapPeriod(models.TextChoices):
    WEEK = "week", _("Week to date")
    SEVEN_DAYS = "7d", _("Last 7 days")
    TWENTY_EIGHT_DAYS = "28d", _("Last 28 days")
    YEAR_TO_DATE = "ytd", _("Year to date")
