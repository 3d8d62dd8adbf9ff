"""The weekly CompStat report: asked for on the page, rendered in Celery as HTML and, through WeasyPrint, as a
PDF kept with who asked and when."""

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from observatory.geography.models import PoliceJurisdiction
from observatory.hotspots.selectors import hotspots_of_week
from observatory.jobs.locks import COMPSTAT_REPORT_LOCK
from observatory.jobs.services import job_execute
from observatory.queueing import task_enqueue

from .filters import IncidentFilter
from .map_snapshot import map_snapshot_svg
from .models import DataVersion, WeeklyReport
from .periods import last_days
from .queueing import WEEKLY_REPORT_RENDER
from .selectors import data_version_latest
from .services import stored_compstat_table
from .tables import table_for_display


def weekly_report_request(*, user, jurisdiction: PoliceJurisdiction | None, week_ending: date) -> WeeklyReport:
    """A report row, rendered by a task after the commit."""
    report = WeeklyReport.objects.create(
        jurisdiction=jurisdiction,
        week_ending=week_ending,
        requested_by=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        version=data_version_latest(),
    )
    task_enqueue(name=WEEKLY_REPORT_RENDER, args=(report.pk,))
    return report


def report_context(*, version: DataVersion, jurisdiction: PoliceJurisdiction | None, week_ending: date) -> dict:
    """What the printed report and its HTML view show."""
    filters = IncidentFilter(jurisdiction=jurisdiction.pk if jurisdiction else None)
    table = stored_compstat_table(version=version, end=week_ending, filters=filters)
    place = jurisdiction.name if jurisdiction else _("All jurisdictions")
    return {
        "place": place,
        "week_ending": week_ending,
        "version": version,
        "periods": table_for_display(table),
        "population": table["population"],
        "alpha": settings.COMPSTAT_SIGNIFICANCE,
        "hotspots": _week_hotspots(jurisdiction=jurisdiction, week_ending=week_ending),
        "map_svg": map_snapshot_svg(
            span=last_days(week_ending, 7),
            filters=filters,
            title=_("Incidents of the week in %(place)s") % {"place": place},
        ),
    }


REPORT_HOTSPOTS = 10


def _week_hotspots(*, jurisdiction: PoliceJurisdiction | None, week_ending: date) -> list | None:
    """The jurisdiction's hottest cells from the hotspot analysis of the week's month (observatory.hotspots); None
    when no such analysis has been computed (the report says so rather than show an empty list)."""
    if jurisdiction is None:
        return None
    hotspots = hotspots_of_week(jurisdiction_id=jurisdiction.pk, week_end=week_ending)
    return None if hotspots is None else list(hotspots[:REPORT_HOTSPOTS])


def report_html(*, context: dict) -> str:
    return render_to_string("compstat/report.html", context)


def weekly_report_render(*, report_id: int) -> WeeklyReport:
    """Render the report's PDF; a report already done is returned as it is."""
    # Here, not at the top: WeasyPrint loads Pango, which the web process must not load at start-up.
    from weasyprint import HTML

    def work(report: WeeklyReport) -> None:
        version = report.version or data_version_latest()
        with translation.override(report.language):
            html = report_html(
                context=report_context(
                    version=version, jurisdiction=report.jurisdiction, week_ending=report.week_ending
                )
            )
        pdf = HTML(string=html).write_pdf()
        code = report.jurisdiction.code if report.jurisdiction else "all"
        report.file.save(f"compstat-{code}-{report.week_ending:%Y-%m-%d}.pdf", ContentFile(pdf), save=False)

    return job_execute(model=WeeklyReport, job_id=report_id, lock=COMPSTAT_REPORT_LOCK, work=work)
