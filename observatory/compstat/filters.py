"""The incident filters every CompStat page and request shares, as one value and its SQL condition."""

from dataclasses import asdict, dataclass

from .terms import HOUR_BAND_HOURS, HourBand


@dataclass(frozen=True)
class IncidentFilter:
    category: str = ""
    weapon: str = ""
    weekday: int | None = None
    hour_band: str = ""
    jurisdiction: int | None = None
    colonia: int | None = None

    @classmethod
    def from_values(cls, values: dict) -> "IncidentFilter":
        """From a form's or a filterset's cleaned data (absent or empty values do not filter)."""
        return cls(
            category=values.get("category") or "",
            weapon=values.get("weapon") or "",
            weekday=int(values["weekday"]) if values.get("weekday") else None,
            hour_band=values.get("hour_band") or "",
            jurisdiction=_pk(values.get("jurisdiction")),
            colonia=_pk(values.get("colonia")),
        )

    def as_dict(self) -> dict:
        return asdict(self)

    def sql(self) -> tuple[str, dict]:
        """`AND …` conditions on compstat_incident (alias i) and their parameters."""
        conditions, params = [], {}
        for name in ("category", "weapon", "weekday", "colonia"):
            value = getattr(self, name)
            if value:
                column = {"colonia": "colonia_id"}.get(name, name)
                conditions.append(f"i.{column} = %(filter_{name})s")
                params[f"filter_{name}"] = value
        if self.jurisdiction:
            conditions.append("i.jurisdiction_id = %(filter_jurisdiction)s")
            params["filter_jurisdiction"] = self.jurisdiction
        if self.hour_band:
            first, last = HOUR_BAND_HOURS[HourBand(self.hour_band)]
            conditions.append("i.hour BETWEEN %(filter_hour_first)s AND %(filter_hour_last)s")
            params |= {"filter_hour_first": first, "filter_hour_last": last}
        return "".join(f" AND {condition}" for condition in conditions), params


def _pk(value) -> int | None:
    if value in (None, ""):
        return None
    return int(getattr(value, "pk", value))
