"""Reading published figures: the current vintage or any earlier one, as one row per unit and month.

`series`: the published rows and lists as querysets; `figure_frames`: the figures of those rows as a frame (for
the pages, the API and the exports); `source_coverage`: each source's data cut-off and coverage; `discrepancies`:
the discrepancy report and the victims behind it; `timeline_events`: the events analysts record, as the charts
of a unit mark them.
"""

from .discrepancies import discrepancy_table, victim_cases
from .figure_frames import (
    FIGURE_COLUMNS,
    FINAL,
    HIDDEN,
    PROVISIONAL,
    SMALL,
    figure_csv_rows,
    figure_records,
    figures_frame,
    latest_final_month,
)
from .series import (
    alert_list,
    discrepancy_list,
    latest_vintage,
    monthly_series_of,
    series_list,
    undercount_list,
    unit_by_code,
    unit_labels,
    valid_in,
    vintage_list,
    vintage_or_latest,
)
from .source_coverage import coverage_report, data_cutoffs
from .timeline_events import (
    events_for_unit,
    timeline_event_items,
    timeline_event_list,
    unit_and_ancestor_ids,
    unit_events_in_months,
)

__all__ = [
    "FIGURE_COLUMNS",
    "FINAL",
    "HIDDEN",
    "PROVISIONAL",
    "SMALL",
    "alert_list",
    "coverage_report",
    "data_cutoffs",
    "discrepancy_list",
    "discrepancy_table",
    "events_for_unit",
    "figure_csv_rows",
    "figure_records",
    "figures_frame",
    "latest_final_month",
    "latest_vintage",
    "monthly_series_of",
    "series_list",
    "timeline_event_items",
    "timeline_event_list",
    "undercount_list",
    "unit_and_ancestor_ids",
    "unit_by_code",
    "unit_events_in_months",
    "unit_labels",
    "valid_in",
    "victim_cases",
    "vintage_list",
    "vintage_or_latest",
]
