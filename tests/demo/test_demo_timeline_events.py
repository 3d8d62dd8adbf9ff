"""The demo's events on the timeline: fictional, said to be, on real demo units, within the generated years."""

from datetime import date

import pytest

from observatory.demo.generator import DEFAULT_START_YEAR, DEFAULT_YEARS
from observatory.demo.services import demo_timeline_events_record
from observatory.indicators.models import TimelineEvent
from observatory.indicators.selectors import events_for_unit

pytestmark = pytest.mark.django_db


def test_the_demo_records_its_fictional_events_once_within_its_years_and_mixco_charts_mark_them(small_hierarchy):
    assert len(demo_timeline_events_record()) == 4
    assert demo_timeline_events_record() == []
    first, end = date(DEFAULT_START_YEAR, 1, 1), date(DEFAULT_START_YEAR + DEFAULT_YEARS, 1, 1)
    for event in TimelineEvent.objects.all():
        assert first <= event.start_date and (event.end_date or event.start_date) < end
        assert "ficticia" in event.title_es.lower() and "fictional" in event.title_en.lower()
    kinds = [event.kind for event in events_for_unit(unit=small_hierarchy["mixco"])]
    assert kinds == ["programme_start", "source_definition_change", "truce"]
