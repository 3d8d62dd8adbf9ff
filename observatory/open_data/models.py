"""What the public may download: the de-identified victim-level rows (docs/privacy.md) and the bulk files of each
publication. Everything here is built from the reconciled victims and the published figures by services.py."""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from observatory.jobs.models import Job


class PublicVictimId(models.Model):
    """The open data's id of a victim: drawn at random once and kept, so a victim keeps it from one release to the
    next; nothing of it comes from a source record id or from the victim's own id. A merge keeps the surviving
    victim's id; a split gives each part a new one."""

    victim = models.OneToOneField("reconciliation.Victim", on_delete=models.CASCADE, primary_key=True, related_name="+")
    public_id = models.CharField(_("public id"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("public victim id")
        verbose_name_plural = _("public victim ids")

    def __str__(self) -> str:
        return self.public_id


class OpenVictim(models.Model):
    """One row of the victim-level open data as the latest release built it: exactly the columns docs/privacy.md
    allows (see victims.VICTIM_COLUMNS), the place snapped (see services.open_victims_rebuild)."""

    id = models.CharField(_("public id"), max_length=20, primary_key=True)
    date = models.DateField(_("date"))
    month = models.CharField(_("month"), max_length=7)
    municipality_code = models.CharField(_("municipality code"), max_length=32, blank=True)
    municipality = models.CharField(_("municipality"), max_length=200, blank=True)
    colonia_code = models.CharField(_("colonia code"), max_length=32, blank=True)
    colonia = models.CharField(_("colonia"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=32, blank=True)
    weapon = models.CharField(_("weapon / mechanism"), max_length=32, blank=True)
    sex = models.CharField(_("sex"), max_length=1)
    age_band = models.CharField(_("age band"), max_length=8)
    place_type = models.CharField(_("place type"), max_length=32, blank=True)
    sources = models.CharField(_("sources"), max_length=200)
    case_status = models.CharField(_("case status"), max_length=16)
    # The snapped place (a grid cell's centre or the colonia's centroid), and the same as two numbers rounded to
    # five decimals, as the files give them.
    location = models.PointField(_("location"), srid=4326, null=True)
    longitude = models.FloatField(_("longitude"), null=True)
    latitude = models.FloatField(_("latitude"), null=True)

    class Meta:
        verbose_name = _("open victim row")
        verbose_name_plural = _("open victim rows")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date", "id"], name="open_victims_by_date")]

    def __str__(self) -> str:
        return self.id


class OpenDataRelease(Job):
    """The bulk files of one publication (vintage): built after the vintage is published, with the victim-level
    rows and the public ids. A release whose vintage a later one has replaced before it was built builds nothing."""

    vintage = models.OneToOneField(
        "indicators.Vintage", verbose_name=_("vintage"), on_delete=models.CASCADE, related_name="+"
    )
    victims = models.PositiveIntegerField(_("victim rows published"), default=0)
    superseded = models.BooleanField(_("replaced before it was built"), default=False)

    class Meta(Job.Meta):
        verbose_name = _("open data release")
        verbose_name_plural = _("open data releases")
        ordering = ["-vintage_id"]

    def __str__(self) -> str:
        return f"#{self.pk} vintage {self.vintage_id} ({self.get_status_display()})"


class OpenDataFile(models.Model):
    """One downloadable file of a release: a zipped Frictionless Data Package of one dataset and year."""

    class Dataset(models.TextChoices):
        MONTHLY = "monthly", _("Monthly figures")
        VICTIMS = "victims", _("Victim-level open data")

    release = models.ForeignKey(OpenDataRelease, on_delete=models.CASCADE, related_name="files")
    dataset = models.CharField(_("dataset"), max_length=16, choices=Dataset.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("file name"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("bytes"))
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("open data file")
        verbose_name_plural = _("open data files")
        ordering = ["dataset", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["release", "dataset", "year"], name="one_file_per_dataset_and_year")
        ]

    def __str__(self) -> str:
        return self.name
