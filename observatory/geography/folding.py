"""Folding place names into matching keys: accents, case, punctuation and generic prefixes removed.

"COL. NUEVA SUYAPA", "Colonia Nueva Suyapa" and "nueva suyapa" all fold to "nueva suyapa".
"""

import re
import unicodedata

# Words that say what kind of place follows, not which place ("Col.", "Barrio", "Municipio de").
GENERIC_PREFIXES = frozenset(
    {
        "col",
        "cols",
        "colonia",
        "colonias",
        "bo",
        "bario",
        "barrio",
        "res",
        "resid",
        "residencial",
        "residenciales",
        "lot",
        "lotif",
        "lotificacion",
        "urb",
        "urbanizacion",
        "asent",
        "asentamiento",
        "ald",
        "aldea",
        "cas",
        "caserio",
        "cant",
        "canton",
        "sector",
        "cond",
        "condominio",
        "mun",
        "muni",
        "municipio",
        "mpio",
        "depto",
        "dpto",
        "departamento",
        "ciudad",
        "villa",
        "fracc",
        "fraccionamiento",
    }
)
# The generic prefixes that introduce a neighbourhood, not a municipality or department: in a free-text place
# description ("Barranco de la Col. El Zapote") the words after one of these may name a colonia.
NEIGHBOURHOOD_PREFIXES = GENERIC_PREFIXES - {
    "mun",
    "muni",
    "municipio",
    "mpio",
    "depto",
    "dpto",
    "departamento",
    "ciudad",
}
_NEIGHBOURHOOD_WORD = re.compile(r"\b(?:{})\b".format("|".join(sorted(NEIGHBOURHOOD_PREFIXES))), re.IGNORECASE)
PREPOSITIONS = frozenset({"de", "del"})
ARTICLES = frozenset({"el", "la", "los", "las"})
ABBREVIATIONS = {
    "sn": "san",
    "sta": "santa",
    "sto": "santo",
    "gral": "general",
    "stgo": "santiago",
    "ntra": "nuestra",
    "sra": "senora",
    "cd": "ciudad",
}
_NON_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
# Words that do not name a place: generic prefixes ("Col.", "Barrio"), prepositions and articles.
NOT_A_PLACE_NAME = GENERIC_PREFIXES | PREPOSITIONS | ARTICLES


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def place_words(text: str) -> list[str]:
    """The words of a place name or description, folded: no accents, lower case, abbreviations written out."""
    tokens = _NON_ALPHANUMERIC.sub(" ", strip_accents(text or "").lower()).split()
    return [ABBREVIATIONS.get(token, token) for token in tokens]


def fold_place_name(name: str) -> str:
    return _fold_words(place_words(name))


def _fold_words(tokens: list[str]) -> str:
    prefixes_dropped = 0
    while len(tokens) > 1 and tokens[0] in GENERIC_PREFIXES and not _is_a_name(tokens):
        tokens = tokens[1:]
        prefixes_dropped += 1
    if prefixes_dropped:
        while len(tokens) > 1 and tokens[0] in PREPOSITIONS:
            tokens = tokens[1:]
    while len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    return " ".join(tokens)


def _is_a_name(tokens: list[str]) -> bool:
    """A prefix word followed by an adjective is part of the name: "Villa Nueva", "Ciudad Vieja"."""
    return len(tokens) == 2 and tokens[1] in {"nueva", "nuevo", "vieja", "viejo", "hermosa", "real", "canales"}


def neighbourhood_keys(text: str, *, longest: int = 6) -> list[list[str]]:
    """The matching keys a colonia named in a free-text place description could have: for each word that
    introduces a neighbourhood ("Col.", "Barrio", "Aldea"), the folded words after it, the longest run first
    (at most `longest` words). "Barranco de la Col. El Zapote, calle 3" gives
    [["zapote calle 3", "zapote calle", "zapote"]]."""
    if not _NEIGHBOURHOOD_WORD.search(strip_accents(text)):  # most name none: skip the folding
        return []
    words = place_words(text)
    mentions = []
    for start, word in enumerate(words):
        if word not in NEIGHBOURHOOD_PREFIXES or start + 1 == len(words):
            continue
        following = words[start : start + 1 + longest]
        keys = [_fold_words(following[:end]) for end in range(len(following), 1, -1)]
        keys = list(dict.fromkeys(key for key in keys if key not in NOT_A_PLACE_NAME))
        if keys:
            mentions.append(keys)
    return mentions
