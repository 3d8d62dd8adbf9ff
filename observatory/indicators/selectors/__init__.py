"""Reading published figures: the current vintage or any earlier one, as one row per unit and month.

`series`: the published rows and lists as querysets; `figure_frames`: the figures of those rows as a frame (for
the pages, the API and the CSV export); `reports`: data cut-offs, coverage and the discrepancy report.
"""

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
from .reports import coverage_report, data_cutoffs, discrepancy_table, victim_cases
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
    "figure_csv_rows",
    "figure_records",
    "figures_frame",
    "latest_final_month",
    "latest_vintage",
    "monthly_series_of",
    "series_list",
    "undercount_list",
    "unit_by_code",
    "unit_labels",
    "valid_in",
    "victim_cases",
    "vintage_list",
    "vintage_or_latest",
]
