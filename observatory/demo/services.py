"""Everything `make demo` loads: the demo geography, one account per role, and three years of generated
police, coroner and hospital exports taken in through the real ingestion pipeline."""

import hashlib
from datetime import date
from pathlib import Path

from django.conf import settings

from ingestion.models import ImportRun
from ingestion.services import import_run_create, import_run_process
from observatory.accounts.models import User
from observatory.accounts.roles import Role
from observatory.accounts.services import user_create
from observatory.demo.generator import demo_files_write
from observatory.geography.models import AdminUnit, PoliceJurisdiction
from observatory.geography.services.demo import demo_geography_load
from observatory.indicators.models import TimelineEvent, Vintage
from observatory.indicators.services import TimelineEventDetails, timeline_event_create, vintage_now
from observatory.reconciliation.models import LinkageRun
from observatory.reconciliation.services import linkage_run_now
from observatory.records.models import Source

# Demo accounts only: `load_demo` never runs in production, and the README lists these.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, ""),
    ("analista", Role.ANALYST, ""),
    ("comandante", Role.COMMANDER, ""),
    ("policia", Role.SOURCE_UPLOADER, "police"),
    ("forense", Role.SOURCE_UPLOADER, "coroner"),
    ("hospital", Role.SOURCE_UPLOADER, "hospital"),
]
DEMO_PASSWORD = "observatorio-demo"
DEMO_SOURCES = ("police", "coroner", "hospital")

# Events on the timeline of the demo: the generator draws its victims evenly over the years (no truce, no
# operation), so these are fictional, say so in their titles, and sit on real units within the demo's years.
_EVENT = TimelineEvent.Kind
DEMO_TIMELINE_EVENTS = [
    {
        "kind": _EVENT.PROGRAMME_START,
        "start_date": date(2022, 7, 1),
        "units": [("department", "01")],
        "title_es": "Demo ficticia: programa departamental de prevención de la violencia",
        "title_en": "Fictional demo: the department's violence prevention programme",
        "description_es": "Evento inventado para la demostración: no ocurrió.",
        "description_en": "An event made up for the demo: it did not happen.",
    },
    {
        "kind": _EVENT.SOURCE_DEFINITION_CHANGE,
        "start_date": date(2023, 1, 1),
        "source_id": "coroner",
        "units": [("country", "GT")],
        "title_es": "Demo ficticia: el forense clasifica de otra forma las muertes indeterminadas",
        "title_en": "Fictional demo: the coroner classifies undetermined deaths another way",
        "description_es": "Evento inventado para la demostración: los datos demo no cambian con él.",
        "description_en": "An event made up for the demo: the demo data do not change with it.",
    },
    {
        "kind": _EVENT.TRUCE,
        "start_date": date(2023, 4, 1),
        "end_date": date(2023, 9, 30),
        "units": [("municipality", "0108")],
        "title_es": "Demo ficticia: tregua entre pandillas en Mixco",
        "title_en": "Fictional demo: gang truce in Mixco",
        "description_es": "Evento inventado para la demostración: no hubo tal tregua.",
        "description_en": "An event made up for the demo: there was no such truce.",
    },
    {
        "kind": _EVENT.POLICE_OPERATION,
        "start_date": date(2024, 2, 12),
        "end_date": date(2024, 3, 15),
        "units": [("municipality", "0115")],
        "jurisdictions": ["DEMO-04", "DEMO-07"],
        "title_es": "Demo ficticia: operativo policial en Villa Nueva",
        "title_en": "Fictional demo: police operation in Villa Nueva",
        "description_es": "Evento inventado para la demostración: no hubo tal operativo.",
        "description_en": "An event made up for the demo: there was no such operation.",
    },
]


def demo_accounts_ensure() -> list[str]:
    lines = []
    for username, role, source_code in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(username=username, password=DEMO_PASSWORD, role=role, source_code=source_code)
        lines.append(f"demo account created: {username} ({role.label})")
    return lines


def demo_timeline_events_record() -> list[str]:
    """Record the demo's fictional events on the timeline, as the demo analyst; one already recorded (by its
    Spanish title) is left as it is."""
    analyst = User.objects.filter(username="analista").first()
    lines = []
    for event in DEMO_TIMELINE_EVENTS:
        if TimelineEvent.objects.filter(title_es=event["title_es"]).exists():
            continue
        units = [AdminUnit.objects.get(level=level, code=code) for level, code in event["units"]]
        jurisdictions = list(PoliceJurisdiction.objects.filter(code__in=event.get("jurisdictions", [])))
        details = TimelineEventDetails(**(event | {"units": units, "jurisdictions": jurisdictions}))
        timeline_event_create(details=details, recorded_by=analyst)
        lines.append(f"demo event on the timeline: {event['title_en']}")
    return lines


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def demo_records_load(*, data_dir: Path | None = None) -> list[str]:
    """Generate the demo exports (deterministic) and import each one that was not imported already."""
    data_dir = data_dir or Path(settings.DEMO_DATA_DIR)
    lines = demo_files_write(out_dir=data_dir)
    for source_code in DEMO_SOURCES:
        path = data_dir / f"{source_code}.csv"
        if ImportRun.objects.filter(source_id=source_code, sha256=_sha256(path), status=ImportRun.Status.DONE).exists():
            lines.append(f"{path.name}: already imported")
            continue
        with path.open("rb") as stream:
            run = import_run_create(
                source=Source.objects.get(pk=source_code),
                stream=stream,
                filename=path.name,
                channel=ImportRun.Channel.COMMAND,
                submitted_from="load_demo",
                enqueue=False,
            )
        run = import_run_process(run_id=run.pk)
        lines.append(f"{path.name}: import run #{run.pk} {run.status} {run.summary()}")
    return lines


def demo_victims_link() -> list[str]:
    """Link the demo records into victims here and now, so the demo opens with them (later imports queue their
    own incremental runs)."""
    run = linkage_run_now(kind=LinkageRun.Kind.INCREMENTAL, reason_code=LinkageRun.Reason.DEMO)
    return [
        f"linkage run #{run.pk}: {run.status}, {run.victims_created} victims created, "
        f"{run.review_pairs} pairs to review"
    ]


def demo_indicators_compute() -> list[str]:
    """Compute the indicators here and now, so the demo opens with its figures, discrepancies and estimates."""
    vintage = vintage_now(kind=Vintage.Kind.FULL, reason_code=Vintage.Reason.DEMO)
    return [
        f"indicator vintage #{vintage.pk}: {vintage.status}, {vintage.rows_added} series published, "
        f"{vintage.undercount_strata} undercount strata estimated"
    ]


def demo_load() -> list[str]:
    return (
        demo_geography_load().lines
        + demo_accounts_ensure()
        + demo_timeline_events_record()
        + demo_records_load()
        + demo_victims_link()
        + demo_indicators_compute()
    )
