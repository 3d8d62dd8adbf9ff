"""What a vintage says of each source: the day its data reach, and its coverage of the municipalities."""

from datetime import date

from observatory.records.selectors import source_labels

from ..models import Vintage
from ..terms import UnitLevel
from .series import unit_labels


def data_cutoffs(*, vintage: Vintage) -> list[dict]:
    """Each source's name and the day its data reach, as the vintage read them."""
    names = source_labels()
    return [
        {"source": source, "name": names.get(source, source), "day": date.fromisoformat(day)}
        for source, day in sorted(vintage.source_cutoffs.items())
    ]


def coverage_report(*, vintage: Vintage) -> list[dict]:
    """Per source: declared or inferred coverage, how many municipalities over which months, the day its data
    reach, and the declared municipalities it has been silent about for months (named)."""
    cutoffs = {item["source"]: item for item in data_cutoffs(vintage=vintage)}
    names = source_labels()
    silent_units = [run[0] for note in vintage.coverage_notes.values() for run in note.get("silent", [])]
    labels = unit_labels(UnitLevel.MUNICIPALITY, silent_units)
    return [
        {
            "source": source,
            "name": names.get(source, source),
            "day": cutoffs.get(source, {}).get("day"),
            **note,
            "silent": [
                {
                    "code": labels.get(unit, ("", ""))[0],
                    "name": labels.get(unit, ("", ""))[1],
                    "first": first,
                    "last": last,
                }
                for unit, first, last in note.get("silent", [])
            ],
        }
        for source, note in sorted(vintage.coverage_notes.items())
    ]
