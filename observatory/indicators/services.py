"""Computing the indicators as a new vintage, the only code that writes published figures; and the events that
analysts record on the timeline of the charts."""

import time
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from observatory.accounts.models import User
from observatory.accounts.services import audit_record
from observatory.geography.models import AdminUnit, PoliceJurisdiction
from observatory.jobs.locks import VINTAGE_LOCK, advisory_xact_lock
from observatory.jobs.services import job_execute
from observatory.queueing import task_enqueue

from .models import TimelineEvent, Vintage
from .page_cache import public_pages_renew
from .queueing import UNDERCOUNT_ESTIMATE, VINTAGE_COMPUTE
from .signals import vintage_published


def vintage_create(
    *, kind: str, reason_code: str = "", reason_params: dict | None = None, requested_by: User | None = None
) -> Vintage:
    """Queue a computation for after the current transaction commits. A queued incremental computation that has
    not started yet already covers whatever changed before it starts, so a second one is not created; its task is
    sent again, in case the first was lost with the broker (a task for a vintage done returns at once)."""
    if kind == Vintage.Kind.INCREMENTAL:
        waiting = Vintage.objects.filter(status=Vintage.Status.QUEUED, kind=kind).first()
        if waiting is not None:
            task_enqueue(name=VINTAGE_COMPUTE, args=(waiting.pk,))
            return waiting
    vintage = Vintage.objects.create(
        kind=kind, reason_code=reason_code, reason_params=reason_params or {}, requested_by=requested_by
    )
    task_enqueue(name=VINTAGE_COMPUTE, args=(vintage.pk,))
    return vintage


def vintage_now(*, kind: str, reason_code: str = "", requested_by: User | None = None) -> Vintage:
    """Create a computation and run it in this process, undercount estimates included (the command, tests)."""
    vintage = Vintage.objects.create(kind=kind, reason_code=reason_code, requested_by=requested_by)
    vintage = vintage_execute(vintage_id=vintage.pk, queue_undercount=False)
    undercount_estimate(vintage_id=vintage.pk)
    vintage.refresh_from_db()
    return vintage


def undercount_estimate(*, vintage_id: int) -> int:
    """Multiple systems estimates for the strata whose overlap counts a vintage changed. Returns how many."""
    from .undercount_strata import undercount_update  # statsmodels and scipy: loaded only to estimate

    started = time.perf_counter()
    with transaction.atomic():
        advisory_xact_lock(VINTAGE_LOCK)
        strata = undercount_update(vintage=Vintage.objects.get(pk=vintage_id))
        Vintage.objects.filter(pk=vintage_id).update(
            undercount_strata=strata, undercount_seconds=time.perf_counter() - started
        )
    return strata


def vintage_execute(*, vintage_id: int, queue_undercount: bool = True) -> Vintage:
    """Run a queued computation to its end; safe to call again for one a killed worker left behind. The
    undercount estimates follow as their own task (their model fits take longer than the figures)."""
    # Loaded before the clock starts (pandas, scipy): a worker has them loaded already.
    from .computation import vintage_compute

    def compute(vintage: Vintage) -> None:
        vintage_compute(vintage)
        if queue_undercount:
            task_enqueue(name=UNDERCOUNT_ESTIMATE, args=(vintage.pk,))

    vintage = job_execute(model=Vintage, job_id=vintage_id, lock=VINTAGE_LOCK, work=compute)
    if vintage.status == Vintage.Status.DONE:
        vintage_published.send(sender=Vintage, vintage_id=vintage.pk)
    return vintage


@dataclass(frozen=True)
class TimelineEventDetails:
    """What an analyst writes about an event on the timeline: everything but who recorded it and when."""

    kind: str
    start_date: date
    end_date: date | None = None
    units: list[AdminUnit] = field(default_factory=list)
    jurisdictions: list[PoliceJurisdiction] = field(default_factory=list)
    source_id: str | None = None
    title_es: str = ""
    title_en: str = ""
    description_es: str = ""
    description_en: str = ""

    def audit_detail(self) -> dict:
        detail = asdict(self) | {
            "units": sorted(unit.code for unit in self.units),
            "jurisdictions": sorted(jurisdiction.code for jurisdiction in self.jurisdictions),
        }
        return {name: value.isoformat() if isinstance(value, date) else value for name, value in detail.items()}


def _timeline_event_save(
    *, event: TimelineEvent, details: TimelineEventDetails, action: str, actor: User | None, ip_address: str | None
) -> TimelineEvent:
    """Write the details on the event, or refuse them with every reason at once (ValidationError by field), and
    audit the change as `action`."""
    for name in ("kind", "start_date", "end_date", "source_id", "title_es", "title_en"):
        setattr(event, name, getattr(details, name))
    event.description_es, event.description_en = details.description_es, details.description_en
    errors = {}
    if not details.units and not details.jurisdictions:
        errors["units"] = [_("Choose at least one unit or police jurisdiction the event concerns.")]
    try:
        event.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    event.save()
    event.units.set(details.units)
    event.jurisdictions.set(details.jurisdictions)
    audit_record(
        actor=actor,
        action=action,
        target_type="timeline_event",
        target_id=event.pk,
        detail=details.audit_detail(),
        ip_address=ip_address,
    )
    public_pages_renew()  # the public charts and unit pages mark the events
    return event


@transaction.atomic
def timeline_event_create(
    *, details: TimelineEventDetails, recorded_by: User | None, ip_address: str | None = None
) -> TimelineEvent:
    """Record an event; refused with a ValidationError naming the field (end before start, no unit, no title)."""
    return _timeline_event_save(
        event=TimelineEvent(recorded_by=recorded_by),
        details=details,
        action="timeline_event.created",
        actor=recorded_by,
        ip_address=ip_address,
    )


@transaction.atomic
def timeline_event_update(
    *, event: TimelineEvent, details: TimelineEventDetails, changed_by: User | None, ip_address: str | None = None
) -> TimelineEvent:
    return _timeline_event_save(
        event=event, details=details, action="timeline_event.changed", actor=changed_by, ip_address=ip_address
    )


@transaction.atomic
def timeline_event_delete(*, event: TimelineEvent, deleted_by: User | None, ip_address: str | None = None) -> None:
    audit_record(
        actor=deleted_by,
        action="timeline_event.deleted",
        target_type="timeline_event",
        target_id=event.pk,
        detail={"kind": event.kind, "start_date": event.start_date.isoformat(), "title_es": event.title_es},
        ip_address=ip_address,
    )
    event.delete()
    public_pages_renew()
