"""The stored CompStat table (plain JSON) as the pages and the report show it: labels in the reader's language."""

from datetime import date

from django.utils.translation import gettext as _

from observatory.records.terms import Category

from .terms import MapPeriod

TOTAL = "_total"


def table_for_display(table: dict) -> list[dict]:
    labels = dict(Category.choices) | {TOTAL: _("All categories")}
    periods = []
    for period in table["periods"]:
        spans = {name: [date.fromisoformat(day) for day in days] for name, days in period["spans"].items()}
        periods.append(
            {
                "code": period["code"],
                "label": MapPeriod(period["code"]).label,
                "spans": spans,
                "rows": [
                    row
                    | {
                        "label": labels[row["category"]],
                        "is_total": row["category"] == TOTAL,
                        "changes": [row["previous"], row["last_year"]],
                    }
                    for row in period["rows"]
                ],
            }
        )
    return periods
