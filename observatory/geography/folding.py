"""Folding place names into matching keys: accents, case, punctuation and generic prefixes removed.

"COL. NUEVA SUYAPA", "Colonia Nueva Suyapa" and "nueva suyapa" all fold to "nueva suyapa".
"""
import re
import unicodedata

# Words that say what kind of place follows, not which place ("Col.", "Barrio", "Municipio de").
GENERIC_PREFIXES = frozenset({
    "col", "cols", "colonia", "colonias", "bo", "bario", "barrio", "res", "resid", "residencial", "residenciales",
    "lot", "lotif", "lotificacion", "urb", "urbanizacion", "asent", "asentamiento", "ald", "aldea", "cas",
    "caserio", "cant", "canton", "sector", "cond", "condominio", "mun", "muni", "municipio", "mpio", "depto",
    "dpto", "departamento", "ciudad", "villa", "fracc", "fraccionamiento",
})
PREPOSITIONS = frozenset({"de", "del"})
ARTICLES = frozenset({"el", "la", "los", "las"})
ABBREVIATIONS = {"sn": "san", "sta": "santa", "sto": "santo", "gral": "general", "stgo": "santiago", "ntra": "nuestra",
                 "sra": "senora", "cd": "ciudad"}
_NON_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def fold_place_name(name: str) -> str:
    tokens = _NON_ALPHANUMERIC.sub(" ", strip_accents(name or "").lower()).split()
    tokens = [ABBREVIATIONS.get(token, token) for token in tokens]
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
