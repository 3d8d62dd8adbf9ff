"""A victim's reconciled attributes, from the records linked to them, by documented precedence.

- category, manner of death and its ICD-10 cause: the autopsy first (forensic medicine decides the manner), then
  the police, then the hospital; a missing-person report never outranks a death;
- date, time and place: the police record with coordinates inside its municipality, then by the "place"
  precedence (police, coroner, hospital);
- injury diagnosis: the hospital;
- name: the most complete (most name parts, then precedence); ID number, sex: by the "person" precedence;
  age: the autopsy, then the hospital, then the police;
- case status: disputed when the sources describe different kinds of event (police "under investigation",
  coroner homicide), confirmed with an autopsy and another source, corroborated with two sources and no autopsy,
  otherwise single-source.
Each attribute remembers the record it came from.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

from observatory.records.terms import Category, GeoMethod, Outcome, Sex

from .vocabulary import CATEGORY_FAMILIES, DEATH_CATEGORIES, MISSING_CATEGORIES

_VALID_COORDINATES = (GeoMethod.COORDINATES, GeoMethod.COORDINATES_SWAPPED)
_MANNER_CATEGORIES = {
    "homicide": Category.HOMICIDE,
    "suicide": Category.SUICIDE,
    "undetermined": Category.UNDETERMINED_DEATH,
}


def _ranked(records: Sequence[dict], precedence_key: str) -> list[dict]:
    if len(records) < 2:
        return list(records)
    order = settings.RECONCILIATION_PRECEDENCE[precedence_key]
    return sorted(
        records,
        key=lambda record: (
            order.index(record["source_id"]) if record["source_id"] in order else len(order),
            record["id"],
        ),
    )


def _first(records: Sequence[dict], field: str, precedence_key: str, *, unknown=("",)) -> tuple[object, int | None]:
    for record in _ranked(records, precedence_key):
        value = record[field]
        if value is not None and value not in unknown:
            return value, record["id"]
    return None, None


def case_status(*, sources: set[str], families: set[str]) -> str:
    if len(families) > 1:
        return "disputed"
    if len(sources) > 1 and sources & set(settings.RECONCILIATION_AUTOPSY_SOURCES):
        return "confirmed"
    return "corroborated" if len(sources) > 1 else "single_source"


@dataclass
class _Chosen:
    """The values chosen so far, and the record each came from."""

    values: dict[str, object] = field(default_factory=dict)
    origin: dict[str, int] = field(default_factory=dict)

    def take(self, name: str, value, record_id: int | None) -> None:
        self.values[name] = value
        if record_id is not None:
            self.origin[name] = record_id


def victim_attributes(records: Sequence[dict]) -> dict:
    """The reconciled values of a victim's fields (see the module docstring) and `attribute_sources`."""
    chosen = _Chosen()
    events = [record for record in records if record["category"] not in MISSING_CATEGORIES] or list(records)
    _what_happened(chosen, records=records, events=events)
    _where_and_when(chosen, records=records, events=events)
    _who(chosen, records=records)
    sources = {record["source_id"] for record in records}
    died = any(r["outcome"] == Outcome.DIED or r["category"] in DEATH_CATEGORIES for r in records)
    families = {CATEGORY_FAMILIES[r["category"]] for r in records if r["category"] in CATEGORY_FAMILIES}
    chosen.values.update(
        died=died,
        was_reported_missing=died and any(r["category"] in MISSING_CATEGORIES for r in records),
        sources=sorted(sources),
        record_count=len(records),
        case_status=case_status(sources=sources, families=families),
        attribute_sources=chosen.origin,
    )
    return chosen.values


def _what_happened(chosen: _Chosen, *, records: Sequence[dict], events: list[dict]) -> None:
    """Category (the coroner's manner of death overrides another source's category of death), manner, causes,
    injury, weapon, and whether a homicide was a femicide."""
    category, category_from = _first(events, "category", "category")
    chosen.take("category", category or "", category_from)
    manner, manner_from = _first(records, "manner", "manner")
    chosen.take("manner", manner or "", manner_from)
    if manner in _MANNER_CATEGORIES and category in DEATH_CATEGORIES and category_from != manner_from:
        chosen.take("category", _MANNER_CATEGORIES[manner], manner_from)
    chosen.take("icd10_cause", *_or_blank(_first(records, "icd10_cause", "manner")))
    chosen.take("icd10_injury", *_or_blank(_first(records, "icd10_injury", "injury")))
    chosen.take("weapon", *_or_blank(_first(events, "weapon", "category", unknown=("", "unknown"))))
    chosen.values["is_femicide"] = chosen.values["category"] == Category.HOMICIDE and any(
        r["is_femicide"] for r in records
    )


def _where_and_when(chosen: _Chosen, *, records: Sequence[dict], events: list[dict]) -> None:
    """Place from one record (located by coordinates first), the event's date and time, and the date of death."""
    located = [record for record in records if record["geo_method"] in _VALID_COORDINATES]
    place_record = (
        _ranked(located, "place")
        or _ranked([r for r in events if r["municipality_id"]], "place")
        or _ranked(events, "place")
    )[0]
    for name in ("municipality_id", "colonia_id", "point"):
        chosen.take(name, place_record[name], place_record["id"])
    event_date, event_from = _first([place_record], "event_date", "place")
    if event_date is None:
        event_date, event_from = _first(events, "event_date", "place")
    chosen.take("event_date", event_date, event_from)
    chosen.take("event_time", *_first(events, "event_time", "place"))
    death_date, death_from = _first(records, "death_date", "manner")
    if death_date is None:
        death_date, death_from = _first(records, "recovery_date", "manner")
    chosen.take("death_date", death_date, death_from)


def _who(chosen: _Chosen, *, records: Sequence[dict]) -> None:
    """The most complete name (none: unidentified), ID number, sex and age."""
    named = [record for record in records if not record["is_unidentified"] and record["full_name"]]
    if named:
        ranked = _ranked(named, "person")
        best = max(ranked, key=lambda record: (len(record["name_folded"].split()), -ranked.index(record)))
        chosen.take("full_name", best["full_name"], best["id"])
    else:
        chosen.values["full_name"] = ""
    chosen.values["is_unidentified"] = not named
    chosen.take("id_number", *_or_blank(_first(records, "id_number", "person")))
    chosen.take("sex", *_first(records, "sex", "person", unknown=("", Sex.UNKNOWN)))
    chosen.values["sex"] = chosen.values["sex"] or Sex.UNKNOWN
    chosen.take("age_years", *_first(records, "age_years", "age"))


def _or_blank(found: tuple[object, int | None]) -> tuple[object, int | None]:
    value, record_id = found
    return (value if value is not None else ""), record_id
