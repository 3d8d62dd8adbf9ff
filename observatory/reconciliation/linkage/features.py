"""The records as the linkage model sees them: one row per source record, with the derived columns its
comparisons and blocking rules use (sorted name tokens, the interval of days the event can lie in, ...)."""
from collections.abc import Iterable

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection

from observatory.records.terms import Category

# What happened, in families that several sources can describe differently without disagreeing: a hospital's
# assault injury and the coroner's homicide are one story (the victim died later); a police "missing person"
# can end as any death.
CATEGORY_FAMILIES = {
    Category.HOMICIDE: "violence", Category.ASSAULT_INJURY: "violence", Category.LEGAL_INTERVENTION: "violence",
    Category.KIDNAPPING: "violence", Category.ROAD_TRAFFIC_DEATH: "traffic", Category.ROAD_TRAFFIC_INJURY: "traffic",
    Category.SUICIDE: "suicide", Category.UNDETERMINED_DEATH: "undetermined", Category.OTHER_ACCIDENT: "accident",
    Category.NATURAL_DEATH: "natural", Category.ROBBERY: "property", Category.THEFT: "property",
    Category.EXTORTION: "property", Category.SEXUAL_VIOLENCE: "sexual_violence",
}
MISSING_CATEGORIES = (Category.DISAPPEARANCE,)
DEATH_CATEGORIES = (Category.HOMICIDE, Category.SUICIDE, Category.ROAD_TRAFFIC_DEATH, Category.UNDETERMINED_DEATH,
                    Category.LEGAL_INTERVENTION, Category.NATURAL_DEATH)
# Words of the names institutions give someone they could not identify.
PLACEHOLDER_NAME_PARTS = frozenset({"NN", "N", "XX", "X", "DESCONOCIDO", "DESCONOCIDA", "PACIENTE", "SIN", "NOMBRE",
                                    "NO", "IDENTIFICADO", "IDENTIFICADA", "IDENTIFICAR", "ANONIMO", "ANONIMA"})
# A body is recovered up to this many days after death: when only the recovery date is known, the death lies
# in the days before it.
RECOVERY_LAG_DAYS = 3

_COLUMNS = ("id", "source_id", "content_hash", "name_folded", "is_unidentified", "id_number", "sex", "age_years",
            "category", "outcome", "weapon", "municipality_id", "colonia_id", "event_date", "event_time", "death_date",
            "recovery_date", "discharge_date")


def records_frame(*, record_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """All source records (or the given ones) with the linkage's derived columns, ordered by id."""
    query = f"SELECT {', '.join(_COLUMNS)} FROM records_sourcerecord"
    params: list = []
    if record_ids is not None:
        query += " WHERE id = ANY(%s)"
        params.append(list(record_ids))
    with connection.cursor() as cursor:
        cursor.execute(query + " ORDER BY id", params)
        frame = pd.DataFrame(cursor.fetchall(), columns=list(_COLUMNS))
    return linkage_columns(frame)


def linkage_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Derive what the model compares from normalised record values."""
    out = pd.DataFrame({"unique_id": frame["id"].astype("int64"), "source": frame["source_id"].astype(str)})
    out["content_hash"] = frame["content_hash"].astype("int64")
    names = frame["name_folded"].fillna("").astype(str).where(~frame["is_unidentified"].astype(bool), "")
    sorted_tokens = names.str.split().map(_name_tokens)
    out["name_sorted"] = sorted_tokens.map(lambda parts: " ".join(parts) if parts else None)
    # Initials ("J NELSON ESTRADA") match any name they could stand for, so only whole names are counted.
    out["name_tokens"] = sorted_tokens.map(lambda parts: [part for part in parts if len(part) > 1] or None
                                           if parts else None)
    out["id_number"] = frame["id_number"].fillna("").astype(str).replace("", None)
    out["sex"] = frame["sex"].astype(str).where(frame["sex"].isin(["M", "F"]), None)
    out["age"] = pd.to_numeric(frame["age_years"], errors="coerce").astype("float64")
    out["family"] = frame["category"].map(CATEGORY_FAMILIES).astype(object).where(lambda v: v.notna(), None)
    out["is_missing_report"] = frame["category"].isin(MISSING_CATEGORIES).to_numpy()
    out["died"] = ((frame["outcome"] == "died") | frame["category"].isin(DEATH_CATEGORIES)).to_numpy()
    out["weapon"] = frame["weapon"].astype(str).where(~frame["weapon"].isin(["", "unknown", "other"]), None)
    out["municipality_id"] = frame["municipality_id"].astype("Int64")
    out["colonia_id"] = frame["colonia_id"].astype("Int64")
    first_day, last_day = _event_interval(frame)
    out["first_day"] = first_day
    out["last_day"] = last_day
    out["event_minute"] = _event_minutes(frame)
    out["one_per_victim"] = out["source"].isin(settings.RECONCILIATION_ONE_RECORD_PER_VICTIM_SOURCES).to_numpy()
    return out


def _name_tokens(parts: list[str]) -> list[str] | None:
    """Sorted distinct name parts, or None for no name or a placeholder ("PACIENTE DESCONOCIDO", "N.N.")."""
    if not parts or set(parts) <= PLACEHOLDER_NAME_PARTS or all(len(part) == 1 for part in parts):
        return None
    return sorted(set(parts))


def _days(values: pd.Series) -> pd.Series:
    return (pd.to_datetime(values, errors="coerce") - pd.Timestamp("1970-01-01")).dt.days.astype("Int64")


def _event_minutes(frame: pd.DataFrame) -> pd.Series:
    """Minutes since 1970 of the event (an assault, an admission), where its time of day is known."""
    times = pd.to_timedelta(frame["event_time"].astype(str).where(frame["event_time"].notna()), errors="coerce")
    return (_days(frame["event_date"]) * 1440 + (times.dt.total_seconds() // 60).astype("Int64")).astype("Int64")


def _event_interval(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The first and last day the event can lie on: from the event (assault, admission) to the death or the
    recovery of the body. A discharge counts only when the patient died."""
    event, death, recovery = _days(frame["event_date"]), _days(frame["death_date"]), _days(frame["recovery_date"])
    discharge = _days(frame["discharge_date"]).where(frame["outcome"] == "died")
    death_window_start = (recovery - RECOVERY_LAG_DAYS).where(death.isna())
    known = pd.concat([event, death, recovery, discharge, death_window_start], axis=1)
    first = known.min(axis=1, skipna=True).astype("Int64")
    last = known.max(axis=1, skipna=True).astype("Int64")
    return first, last


def as_splink_input(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with pandas' nullable columns turned into plain objects DuckDB reads as NULL."""
    out = frame.drop(columns=["content_hash"]).copy()
    for column in ("municipality_id", "colonia_id", "first_day", "last_day", "event_minute"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    out["age"] = out["age"].astype(object).where(out["age"].notna(), None)
    out["name_tokens"] = out["name_tokens"].map(lambda parts: list(parts) if parts else None)
    out["is_missing_report"] = out["is_missing_report"].astype(bool)
    out["one_per_victim"] = out["one_per_victim"].astype(bool)
    out["died"] = out["died"].astype(bool)
    return out.replace({np.nan: None})
