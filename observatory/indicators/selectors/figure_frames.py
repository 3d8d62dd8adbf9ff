"""Published figures as a frame: one row per series and month with every figure, suppressed for the public,
with no figure where no source covered the month, and each month's status (provisional or final)."""

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings

from ..figures import FULL, derive, hidden_derived, month_date, month_is_final, month_number, spans_without_data
from ..models import MonthlySeries, Vintage
from ..terms import ALL, RECONCILED, UnitLevel
from .series import unit_labels, valid_in

if TYPE_CHECKING:
    import pandas as pd

SMALL = "<5"
HIDDEN = "x"
FIGURE_COLUMNS = [
    "unit_code",
    "unit_name",
    "level",
    "month",
    "category",
    "basis",
    "sex",
    "age_band",
    "count",
    "population",
    "rate",
    "rate_low",
    "rate_high",
    "annual_rate",
    "annual_rate_low",
    "annual_rate_high",
    "rolling_count",
    "rolling_rate",
    "rolling_rate_low",
    "rolling_rate_high",
    "count_year_before",
    "change_year_before",
    "ytd_count",
    "ytd_count_year_before",
    "change_ytd",
    "unstable",
    "suppressed",
    "coverage",
    "covering_sources",
    "status",
    "vintage",
]
PROVISIONAL, FINAL = "provisional", "final"
_RATES = ["rate", "rate_low", "rate_high", "annual_rate", "annual_rate_low", "annual_rate_high"]
_COUNTS_WITH_RATES = {
    "rolling_count": ["rolling_rate", "rolling_rate_low", "rolling_rate_high"],
    "count_year_before": ["change_year_before"],
    "ytd_count": ["change_ytd"],
    "ytd_count_year_before": ["change_ytd"],
}


# The figures figures.derive computes, in the frame's columns of the same names: from the count to the unstable flag.
_DERIVED_FIGURES = tuple(FIGURE_COLUMNS[FIGURE_COLUMNS.index("count") : FIGURE_COLUMNS.index("unstable") + 1])


def figures_frame(
    *,
    rows: list[MonthlySeries],
    vintage: Vintage,
    month_from: date | None = None,
    month_to: date | None = None,
    public: bool = True,
) -> "pd.DataFrame":
    """One row per series and month with every figure (figures.derive). `public` applies the suppression: a
    suppressed count is "<5" (small) or "x" (hidden so that a total cannot reveal a small one), with its rates
    blank, and so is every 12-month, year-to-date or year-before count that would give a hidden month back."""
    import pandas as pd  # here, not above: the URL configuration imports this module, and pandas is slow to load

    groups: dict[tuple[int, int], list[MonthlySeries]] = {}
    for row in rows:
        groups.setdefault((month_number(row.first_month), len(row.counts)), []).append(row)
    frames = [_group_frame(members=members, first=first) for (first, _), members in groups.items()]
    if not frames:
        return pd.DataFrame(columns=[*FIGURE_COLUMNS, "series_row"])
    frame = pd.concat(frames, ignore_index=True)
    if month_from:
        frame = frame[frame["month_number"] >= month_number(month_from)]
    if month_to:
        frame = frame[frame["month_number"] <= month_number(month_to)]
    frame = frame.copy()
    _add_labels(frame, rows=rows, vintage=vintage)
    if public:
        _suppress(frame)
    _without_false_zeros(frame)
    _with_status(frame, vintage)
    return frame.sort_values(["level", "unit_code", "category", "basis", "sex", "age_band", "month"])[
        [*FIGURE_COLUMNS, "series_row"]
    ]


def _group_frame(*, members: list[MonthlySeries], first: int) -> "pd.DataFrame":
    """The figures of series that share their months (first month `first`), one row per series and month, with
    what the later stages need: suppression marks, figures over a hidden month, coverage, the series' keys."""
    import pandas as pd

    populations = np.array([row.populations or [np.nan] * len(row.counts) for row in members], dtype=float)
    share = _coverage_of(members)
    # A partly covered unit's rates are over the population its sources looked at.
    derived = derive(
        counts=np.array([row.counts for row in members]),
        populations=populations * np.where(share > 0, share / FULL, 1.0),
        first_month=first,
        confidence=settings.INDICATORS_CONFIDENCE,
        unstable_below=settings.INDICATORS_UNSTABLE_BELOW,
    )
    n_months = len(derived.months)
    frame = pd.DataFrame({name: getattr(derived, name).ravel() for name in _DERIVED_FIGURES})
    frame["month_number"] = np.tile(derived.months, len(members))
    frame["population"] = populations.ravel()
    suppression = np.array([row.suppression for row in members])
    frame["suppression"] = suppression.ravel()
    for figure, over_hidden in hidden_derived(suppression != 0, derived.months).items():
        frame[f"over_hidden_{figure}"] = over_hidden.ravel()
    _add_coverage_columns(frame, members, share, first)
    frame["series_row"] = np.repeat([row.pk for row in members], n_months)
    for column, values in (
        ("level", [row.level for row in members]),
        ("unit_id", [row.unit_id for row in members]),
        ("category", [row.series for row in members]),
        ("basis", [row.basis for row in members]),
        ("sex", [row.sex for row in members]),
        ("age_band", [row.age_band for row in members]),
    ):
        frame[column] = np.repeat(np.array(values, dtype=object), n_months)
    return frame


def _add_labels(frame: "pd.DataFrame", *, rows: list[MonthlySeries], vintage: Vintage) -> None:
    """The month as text, the unit's code and name, the suppression's name and the vintage; whole numbers as
    integers (None where missing)."""
    labels = {
        level: unit_labels(level, [row.unit_id for row in rows if row.level == level])
        for level in dict.fromkeys(row.level for row in rows)
    }
    frame["month"] = [f"{month_date(number):%Y-%m}" for number in frame["month_number"]]
    frame["unit_code"] = [
        labels[level].get(unit, ("", ""))[0] for level, unit in zip(frame["level"], frame["unit_id"], strict=False)
    ]
    frame["unit_name"] = [
        labels[level].get(unit, ("", ""))[1] for level, unit in zip(frame["level"], frame["unit_id"], strict=False)
    ]
    frame["suppressed"] = frame["suppression"].map({0: "", 1: "primary", 2: "complementary"})
    frame["vintage"] = vintage.pk
    whole = ["count", "population", "rolling_count", "count_year_before", "ytd_count", "ytd_count_year_before"]
    frame[whole] = frame[whole].astype("Int64").astype(object).where(frame[whole].notna(), None)


def figure_records(frame: "pd.DataFrame") -> list[dict]:
    """The rows of figures_frame as dicts, with None where a figure is missing (for templates and the API)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def figure_csv_rows(frame: "pd.DataFrame") -> Iterator[list[str]]:
    """The header and rows of figures_frame as CSV cells: rates to four decimals, flags as true/false, a missing
    figure as an empty cell. The export command and the pages' CSV download write the same file."""
    yield FIGURE_COLUMNS
    for record in frame[FIGURE_COLUMNS].itertuples(index=False, name=None):
        yield [_csv_cell(value) for value in record]


def _csv_cell(value) -> str:
    if value is None or value != value:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


def _suppress(frame: "pd.DataFrame") -> None:
    """Hidden counts as "<5" or "x" with every figure computed from them blank; derived counts over a hidden month
    (12 months, year to date, a year before) as "x" with their rates and changes blank (suppression.hidden_derived)."""
    dependents = {column for columns in _COUNTS_WITH_RATES.values() for column in columns}
    affected = ["count", "unstable", *_RATES, *_COUNTS_WITH_RATES, *sorted(dependents)]
    frame[affected] = frame[affected].astype(object)
    hidden = (frame["suppression"] != 0).to_numpy()
    frame.loc[hidden, "count"] = np.where(frame.loc[hidden, "suppression"] == 1, SMALL, HIDDEN)
    frame.loc[hidden, ["unstable", *_RATES, "change_year_before", "change_ytd"]] = None
    for column, dependent in _COUNTS_WITH_RATES.items():
        over_hidden = frame[f"over_hidden_{column}"].to_numpy(dtype=bool) & frame[column].notna().to_numpy()
        frame.loc[over_hidden, column] = HIDDEN
        frame.loc[over_hidden, dependent] = None


def _coverage_of(members: list[MonthlySeries]) -> np.ndarray:
    """Each month's coverage in permille; full where a series predates coverage."""
    return np.array(
        [row.coverage if row.coverage is not None else [FULL] * len(row.counts) for row in members], dtype=np.int64
    )


def _add_coverage_columns(frame: "pd.DataFrame", members: list[MonthlySeries], share: np.ndarray, first: int) -> None:
    """Each month's coverage and covering mask (-1: unknown), the vintage that wrote it, and whether its rolling,
    year-before and year-to-date spans hold a month with no data: computed on whole series, before the months
    asked for are chosen."""
    spans = spans_without_data(no_data=share == 0, first_month=first)
    frame["coverage_permille"] = share.ravel()
    frame["coverage_known"] = np.repeat([row.coverage is not None for row in members], share.shape[1])
    frame["covering_mask"] = np.concatenate(
        [row.covering_sources if row.covering_sources is not None else [-1] * len(row.counts) for row in members]
    )
    frame["written_by"] = np.repeat([row.valid_from_id for row in members], share.shape[1])
    for name in ("rolling", "year_before", "ytd", "ytd_year_before"):
        frame[f"{name}_without_data"] = getattr(spans, name).ravel()


def _without_false_zeros(frame: "pd.DataFrame") -> None:
    """No source of the basis covered the unit that month: no figure, rather than a zero; nor any rolling,
    year-before or year-to-date figure adding up such a month. Partly covered aggregates keep their figures, with
    their share in `coverage` (a fraction; none for series that predate coverage)."""
    rolling = ["rolling_count", "rolling_rate", "rolling_rate_low", "rolling_rate_high"]
    affected = [
        "count",
        *_RATES,
        *rolling,
        "count_year_before",
        "change_year_before",
        "ytd_count",
        "ytd_count_year_before",
        "change_ytd",
    ]
    frame[affected] = frame[affected].astype(object)
    no_data = (frame["coverage_permille"] == 0).to_numpy()
    frame.loc[no_data, ["count", *_RATES, "change_year_before", "change_ytd"]] = None
    frame.loc[no_data, "unstable"] = False
    frame.loc[frame["rolling_without_data"].to_numpy(), rolling] = None
    frame.loc[frame["year_before_without_data"].to_numpy(), ["count_year_before", "change_year_before"]] = None
    frame.loc[frame["ytd_without_data"].to_numpy(), ["ytd_count", "change_ytd"]] = None
    frame.loc[frame["ytd_year_before_without_data"].to_numpy(), ["ytd_count_year_before", "change_ytd"]] = None
    frame["coverage"] = np.where(frame["coverage_known"], frame["coverage_permille"] / FULL, None)


def _with_status(frame: "pd.DataFrame", vintage: Vintage) -> None:
    """`status` of each month: provisional while a source covering it has not sent data past the month's end plus
    the vintage's settling days, final after; none for a month with no data or a vintage that kept no cut-offs.
    A provisional month has no change against the year before. `covering_sources` names the covering sources."""
    sources_of = dict(
        Vintage.objects.filter(pk__in=frame["written_by"].unique().tolist()).values_list("pk", "coverage_sources")
    )
    cutoffs = {source: date.fromisoformat(day) for source, day in vintage.source_cutoffs.items()}
    combinations = frame[["written_by", "covering_mask", "month_number"]].drop_duplicates()
    names, statuses = {}, {}
    for written_by, mask, month in combinations.itertuples(index=False, name=None):
        covering = [
            source for bit, source in enumerate(sources_of.get(written_by, [])) if mask >= 0 and mask >> bit & 1
        ]
        names[(written_by, mask)] = "+".join(covering)
        if covering and vintage.settling_days is not None:
            final = all(
                month_is_final(month=month, cutoff=cutoffs.get(source), settling_days=vintage.settling_days)
                for source in covering
            )
            statuses[(written_by, mask, month)] = FINAL if final else PROVISIONAL
    frame["covering_sources"] = [names[key] for key in zip(frame["written_by"], frame["covering_mask"], strict=False)]
    frame["status"] = [
        statuses.get(key)
        for key in zip(frame["written_by"], frame["covering_mask"], frame["month_number"], strict=False)
    ]
    provisional = (frame["status"] == PROVISIONAL).to_numpy()
    frame.loc[provisional, ["change_year_before", "change_ytd"]] = None


def latest_final_month(*, vintage: Vintage, category: str) -> date | None:
    """The latest month of the country's reconciled series of a category that is final: the first month a report
    opens on (every source covering any part of the country has sent data past it)."""
    rows = list(
        MonthlySeries.objects.filter(
            valid_in(vintage), level=UnitLevel.COUNTRY, series=category, basis=RECONCILED, sex=ALL, age_band=ALL
        )
    )
    if not rows:
        return None
    frame = figures_frame(rows=rows, vintage=vintage, public=False)
    final = frame.loc[frame["status"] == FINAL, "month"]
    return date.fromisoformat(final.max() + "-01") if len(final) else None
