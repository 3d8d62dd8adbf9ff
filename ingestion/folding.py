"""Values folded for comparison, over whole Arrow columns: a source's words as its vocabularies and missing
values are compared (fold_values), and person names as the linkage matches them (fold_person_names)."""

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .profile_config import fold_value

# A name written for someone not identified, as folded (fold_person_names): the words may come with others, as in
# "N.N. (masculino)", "Persona no identificada" or "Cadáver desconocido 23"; such a name is no name to match on.
PLACEHOLDER_NAME = (
    r"^X$|\b(NN|N N|XX|DESCONOCID[OA]|SIN NOMBRE|NO IDENTIFICAD[OA]|NO IDENTIFICABLE|SIN IDENTIFICAR"
    r"|ANONIM[OA])\b"
)
NAME_PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y", "VDA", "VIUDA", "SAN"})
ASCII_WHITESPACE = r"[ \t\n\r\x0b\x0c\x1c-\x1f]+"  # what str.split() splits ASCII text on

_PARTICLES_PATTERN = r"\b(" + "|".join(sorted(NAME_PARTICLES)) + r")\b"


def _without_accents(values: pa.Array) -> pa.Array:
    """Accents removed (NFKD, then the combining marks dropped); ASCII values, most of them, are left as they are."""
    accented = pc.invert(pc.string_is_ascii(values))
    if not pc.any(accented).as_py():
        return values
    stripped = pc.replace_substring_regex(pc.utf8_normalize(pc.filter(values, accented), form="NFKD"), r"\p{Mn}", "")
    return pc.replace_with_mask(values, accented, stripped.cast(values.type))


def fold_values(values: pa.Array) -> pa.Array:
    """fold_value over an Arrow array of strings: ASCII values in vectorised kernels, the others one by one."""
    folded = pc.replace_substring(pc.ascii_upper(values), ".", " ")
    folded = pc.utf8_trim(pc.replace_substring_regex(folded, ASCII_WHITESPACE, " "), " ")
    accented = pc.invert(pc.string_is_ascii(values))
    if not pc.any(accented).as_py():
        return folded
    others = pa.array([fold_value(value) for value in pc.filter(values, accented).to_pylist()], type=values.type)
    return pc.replace_with_mask(folded, accented, others)


def fold_person_names(names: pd.Series) -> pa.Array:
    """Names compared for matching: accents, case, punctuation and particles (DE, DEL, LA...) removed.
    "María  del Carmen López" -> "MARIA CARMEN LOPEZ". Vectorised (Arrow compute kernels)."""
    folded = _without_accents(pa.array(names.fillna("").astype(str), type=pa.string()))
    folded = pc.replace_substring_regex(pc.utf8_upper(folded), r"[^A-Z ]+", " ")
    folded = pc.replace_substring_regex(folded, _PARTICLES_PATTERN, " ")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(folded, r" +", " "))
