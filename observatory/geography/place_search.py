"""Finding a unit by what a reader types: an official name or an alias, any accents or case, from its first
letters on ("mix" finds Mixco), at every level, police jurisdictions included.

Folding drops the words that say what kind of place follows ("Ciudad de", "Municipio de", "Colonia"), and so
"Ciudad de Guatemala" folds to the same key as the country, the department and the municipality of Guatemala. The
dropped words are not thrown away: they say which level the reader means, and its units come first."""

from dataclasses import dataclass

from django.db.models import Q

from .folding import NEIGHBOURHOOD_PREFIXES, fold_place_name, place_words
from .models import AdminUnit, Level, PlaceName, PoliceJurisdiction

JURISDICTION = "jurisdiction"
LEVEL_ORDER = (Level.COUNTRY, Level.DEPARTMENT, Level.MUNICIPALITY, Level.COLONIA, JURISDICTION)
# The kind-of-place words that name a level; the others (prepositions, articles) name none.
LEVEL_WORDS = {
    **dict.fromkeys(NEIGHBOURHOOD_PREFIXES, Level.COLONIA),
    **dict.fromkeys(("ciudad", "mun", "muni", "municipio", "mpio"), Level.MUNICIPALITY),
    **dict.fromkeys(("depto", "dpto", "departamento"), Level.DEPARTMENT),
}
# Entries read before ranking: a key of two letters matches a few hundred names at most.
_CANDIDATES = 500


@dataclass(frozen=True)
class PlaceMatch:
    """A unit found: its level, code and official name, its parent's name, and the alias that matched (empty
    when the official name did)."""

    level: str
    code: str
    name: str
    parent_name: str
    alias: str


def _level_hint(text: str, key: str) -> str | None:
    """The level the words folding dropped name ("Ciudad de Guatemala": municipality), if any."""
    words = place_words(text)
    dropped = words[: max(len(words) - len(key.split()), 0)]
    return next((LEVEL_WORDS[word] for word in dropped if word in LEVEL_WORDS), None)


def _rank(*, name: str, folded: str, level: str, typed: str, key: str, hint: str | None) -> tuple:
    """Exactly as typed first, then the whole key, the level the reader named, then a key's beginning; within
    each, the larger units first."""
    return (
        " ".join(place_words(name)) != typed,
        folded != key,
        hint is not None and level != hint,
        not folded.startswith(key),
        LEVEL_ORDER.index(level),
        len(name),
        name,
    )


def place_search(*, text: str, limit: int = 10) -> list[PlaceMatch]:
    """The units whose official name or alias begins with, or has a word beginning with, the folded text;
    best first, one entry per unit."""
    key = fold_place_name(text)
    if not key:
        return []
    typed, hint = " ".join(place_words(text)), _level_hint(text, key)
    entries = (
        PlaceName.objects.filter(Q(folded__startswith=key) | Q(folded__contains=" " + key))
        .select_related("unit__parent")
        .only("name", "folded", "kind", "level", "unit__code", "unit__name", "unit__level", "unit__parent__name")
        .order_by("folded")[:_CANDIDATES]
    )
    ranked: dict[tuple[str, str], tuple[tuple, PlaceMatch]] = {}
    for entry in entries:
        unit: AdminUnit = entry.unit
        match = PlaceMatch(
            level=unit.level,
            code=unit.code,
            name=unit.name,
            parent_name=unit.parent.name if unit.parent else "",
            alias="" if entry.kind == PlaceName.Kind.OFFICIAL else entry.name,
        )
        rank = _rank(name=entry.name, folded=entry.folded, level=unit.level, typed=typed, key=key, hint=hint)
        _keep_best(ranked, (unit.level, unit.code), rank, match)
    for code, name in PoliceJurisdiction.objects.values_list("code", "name"):
        folded = fold_place_name(name)
        if folded.startswith(key) or f" {key}" in folded:
            rank = _rank(name=name, folded=folded, level=JURISDICTION, typed=typed, key=key, hint=hint)
            _keep_best(ranked, (JURISDICTION, code), rank, PlaceMatch(JURISDICTION, code, name, "", ""))
    return [match for _rank_of, match in sorted(ranked.values(), key=lambda item: item[0])][:limit]


def _keep_best(ranked: dict, unit: tuple[str, str], rank: tuple, match: PlaceMatch) -> None:
    if unit not in ranked or rank < ranked[unit][0]:
        ranked[unit] = (rank, match)
