import numpy as np
import pytest
from django.urls import reverse

from observatory.accounts.roles import Role
from observatory.indicators.daily_alerts import daily_alerts_replace, daily_spikes
from observatory.indicators.models import DailyAlert

from .conftest import CUTOFF

pytestmark = pytest.mark.django_db


def test_a_window_well_above_its_past_daily_mean_is_flagged_and_a_usual_one_is_not():
    flagged, expected, probability = daily_spikes(
        observed=np.array([20, 10, 4]),
        history=np.array([130, 130, 0]),
        window_days=28,
        history_days=364,
        p_value=0.01,
        min_excess=3,
    )
    assert expected.tolist() == [10.0, 10.0, 0.0]
    assert flagged.tolist() == [True, False, True]
    assert probability[1] > 0.4


def test_the_alerts_of_the_commanders_jurisdictions_ring_the_bell_until_the_page_is_opened(
    client, user_with_role, built
):
    assert daily_alerts_replace() == 2  # robberies in Norte (12 against 1 a year), homicides in Sur (4 against 0)
    alert = DailyAlert.objects.get(jurisdiction_id=built["norte"].pk)
    assert (alert.category, alert.window_last, alert.observed) == ("robbery", CUTOFF, 12)
    assert daily_alerts_replace() == 2
    assert DailyAlert.objects.count() == 2  # computed again, the same alerts, first raised when they were
    commander = user_with_role(Role.COMMANDER)
    commander.jurisdictions.add(built["norte"])
    client.force_login(commander)
    assert client.get(reverse("compstat:page")).context["new_alert_count"] == 1
    page = client.get(reverse("indicators:alerts"))
    assert [item.category for item in page.context["daily_alerts"]] == ["robbery"]
    assert "Norte" in page.content.decode()
    assert client.get(reverse("compstat:page")).context["new_alert_count"] == 0
