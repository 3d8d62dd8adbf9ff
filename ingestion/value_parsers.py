"""Values as partners write them, read: ages ("2 años y 3 meses", "RN"), numbers with a decimal comma, ICD-10
codes, id numbers. Each distinct value of a column is read once (per_distinct), then spread over its rows."""

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from observatory.geography.folding import strip_accents

from .profile_config import fold_value

UNKNOWN_AGES = frozenset({998, 999})
MAX_AGE_YEARS = 120
# An age as written: "23", "23 AÑOS", "8 meses", "2 años y 3 meses", "15 días", "3 sem.", "RN" (newborn).
# Parts are a number and a word; two numbers in a row need a space between them, so that no string of digits can
# be split in exponentially many ways before failing to match (a 30-digit "age" took minutes).
AGE_TEXT = re.compile(r"\s*\d+(?:[.,]\d+)?(?:\s*[A-Z]+)?(?:(?:\s+|(?<=[A-Z])\s*)\d+(?:[.,]\d+)?(?:\s*[A-Z]+)?)*\s*")
AGE_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([A-Z]*)")
AGE_CONNECTORS = re.compile(r"\bY\b|\bCON\b|,(?!\d)|(?<=[A-Z])\.")
AGE_WORDS = {
    "": "years",
    "A": "years",
    "ANO": "years",
    "ANOS": "years",
    "ANIOS": "years",
    "ANIO": "years",
    "M": "months",
    "MES": "months",
    "MESES": "months",
    "S": "weeks",
    "SEM": "weeks",
    "SEMANA": "weeks",
    "SEMANAS": "weeks",
    "D": "days",
    "DIA": "days",
    "DIAS": "days",
    "H": "hours",
    "HR": "hours",
    "HRS": "hours",
    "HORA": "hours",
    "HORAS": "hours",
}
AGE_DIVISORS = {"years": 1.0, "months": 12.0, "weeks": 365.25 / 7, "days": 365.25, "hours": 365.25 * 24}
NEWBORN_WORDS = frozenset({"RN", "R N", "RECIEN NACIDO", "RECIEN NACIDA", "NEONATO", "NEONATA"})
ICD10_PATTERN = re.compile(r"^[A-Z]\d\d[0-9A-Z]?$")
PLAIN_NUMBER = r"^-?[0-9]+([.,][0-9]+)?$"  # read in one vectorised cast; other spellings go through float()


def object_column(values: np.ndarray) -> pd.Series:
    """Python values (strings, None) as an object column, as they are: a plain array would be converted to a
    string column on assignment, at a cost that adds up over a large file."""
    return pd.Series(values, dtype=object, copy=False)


def per_distinct(values: pd.Series, interpret: Callable[[str], object]) -> np.ndarray:
    """Apply `interpret` once per distinct value and spread the results back over the rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [interpret(value) for value in np.asarray(uniques, dtype=object)]
    return results[codes]


def per_distinct_with_reason(
    values: pd.Series, interpret: Callable[[str], tuple[object, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Like per_distinct for an `interpret` giving (value, problem): the values, and the problems ("" if none)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    interpreted = [interpret(value) for value in np.asarray(uniques, dtype=object)]
    results, reasons = np.empty(len(uniques), dtype=object), np.empty(len(uniques), dtype=object)
    results[:] = [result for result, _ in interpreted]
    reasons[:] = [reason for _, reason in interpreted]
    return results[codes], reasons[codes]


def age_parse(value: str, unit: str, *, units: dict[str, str]) -> tuple[object, str]:
    """An age as written, in years rounded to hundredths, and the problem with it ("" if none); a bare number
    counts what the unit column says (`unit`, read through the profile's `units`), else years."""
    if not value:
        return None, ""
    text = AGE_CONNECTORS.sub(" ", strip_accents(value).upper())
    if fold_value(text) in NEWBORN_WORDS:
        return 0.0, ""
    if not AGE_TEXT.fullmatch(text):
        return None, _("'%(value)s' is not an age") % {"value": value}
    written = AGE_PART.findall(text)
    parts = [(float(number.replace(",", ".")), AGE_WORDS.get(word)) for number, word in written]
    if any(part_unit is None for _, part_unit in parts) or (len(parts) > 1 and any(not w for _, w in written)):
        return None, _("'%(value)s' is not an age") % {"value": value}  # an unknown word, or "2 años 3"
    if len(parts) == 1:
        number, word_unit = parts[0]
        if number in UNKNOWN_AGES:
            return None, ""
        if unit and not written[0][1]:  # a bare number: the unit column says what it counts
            word_unit = units.get(fold_value(unit), word_unit)
        parts = [(number, word_unit)]
    years = round(sum(number / AGE_DIVISORS[part_unit] for number, part_unit in parts), 2)
    if years > MAX_AGE_YEARS:
        return None, _("the age %(value)s is not plausible") % {"value": value}
    return years, ""


def icd10_code(value: str) -> str:
    """A code as written ("x59.9 ") as ICD-10 writes it ("X599"); valid or not, ICD10_PATTERN tells."""
    return value.upper().replace(".", "").replace(" ", "") if value else ""


def icd10_in_ranges(codes: pd.Series, ranges: tuple[str, ...]) -> np.ndarray:
    """Which codes fall in one of `ranges` ("V01-V99", "Y35"), compared by their first three characters."""
    three = codes.fillna("").str.slice(0, 3)
    matches = np.zeros(len(codes), dtype=bool)
    for code_range in ranges:
        low, _, high = code_range.partition("-")
        high = high or low
        matches |= ((three >= low[:3]) & (three <= high[:3]) & (three != "")).to_numpy()
    return matches


def clean_id_numbers(values: pd.Series) -> np.ndarray:
    """Digits only; fewer than 4 digits, or one digit repeated (000000), is no id at all."""
    digits = pc.replace_substring_regex(pa.array(values.astype(str), type=pa.string()), r"\D", "")
    unusable = pc.or_(
        pc.less(pc.utf8_length(digits), 4), pc.match_substring_regex(digits, r"^(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)$")
    )
    return pc.if_else(unusable, "", pc.utf8_slice_codeunits(digits, 0, 40)).to_numpy(zero_copy_only=False)


def _parse_number(value: str) -> float | None:
    if not value:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return None


def numbers_parse(values: pd.Series) -> np.ndarray:
    """Each value as a float (NaN when empty or not a number); a decimal comma reads as a point."""
    texts = pa.array(values, type=pa.large_string())
    plain = pc.match_substring_regex(texts, PLAIN_NUMBER)
    numbers = pc.cast(pc.replace_substring(pc.if_else(plain, texts, "0"), ",", "."), pa.float64()).to_numpy().copy()
    others = ~plain.to_numpy(zero_copy_only=False)
    if others.any():
        parsed = per_distinct(values[others], _parse_number)
        numbers[others] = np.array([np.nan if item is None else item for item in parsed], dtype=float)
    return numbers


def formats_said(formats: tuple[str, ...]) -> str:
    """A profile's date and time formats as people write them: dd/mm/aaaa (in Spanish), HH:MM."""
    codes = {
        "%d": pgettext("date format", "dd"),
        "%m": pgettext("date format", "mm"),
        "%Y": pgettext("date format", "yyyy"),
        "%y": pgettext("date format", "yy"),
        "%H": "HH",
        "%M": "MM",
        "%S": "SS",
    }
    said = []
    for pattern in formats:
        for code, written in codes.items():
            pattern = pattern.replace(code, written)
        said.append(pattern)
    return " | ".join(said)
