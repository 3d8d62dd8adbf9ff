from observatory.accounts.roles import Capability, has_capability

from .models import DailyAlert


def alert_bell(request) -> dict:
    """For commanders and above: the number of daily alerts of their jurisdictions (all when they have none) raised
    since they last opened the alerts page."""
    user = getattr(request, "user", None)
    if not has_capability(user, Capability.VIEW_OPERATIONAL_DETAIL):
        return {}
    alerts = DailyAlert.objects.all()
    own = list(user.jurisdictions.values_list("pk", flat=True))
    if own:
        alerts = alerts.filter(jurisdiction_id__in=own)
    if user.alerts_seen_at:
        alerts = alerts.filter(raised_at__gt=user.alerts_seen_at)
    return {"new_alert_count": alerts.count()}
