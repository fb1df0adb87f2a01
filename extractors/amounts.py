"""Reading printed Swedish money amounts ("129 530 375 kr", "6 199 701, 00", "1 234 tkr", "–").

`parse_amount` turns one printed amount into whole kronor, or returns None. `amount_issue` tells
why a text that looks like an amount did not parse, so callers can report it as a problem
instead of dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import TypeVar

# Pure functions of one printed text are cached per process: a table's cells are classified
# many times over (rows, columns, fates), and a batch meets the same labels again and again.
# Bounded, so a hostile document cannot grow the caches without limit.
TEXT_CACHE_SIZE = 1 << 16
_TEXT_CACHES: list = []
_F = TypeVar("_F")


def text_cache(function: _F) -> _F:
    """`function` (pure, of hashable texts) cached per process, bounded by TEXT_CACHE_SIZE."""
    cached = lru_cache(maxsize=TEXT_CACHE_SIZE)(function)
    _TEXT_CACHES.append(cached)
    return cached


def clear_text_caches() -> None:
    """Empty every text cache (benchmarks time a cold reading with it)."""
    for cached in _TEXT_CACHES:
        cached.cache_clear()

# Thousands separators seen in the documents: space, no-break space, narrow no-break space,
# thin space (and a few relatives that Word and PDF producers emit).
GROUP_SEPARATORS = " \u00a0\u202f\u2009\u2007\u2008\u200a"
MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
ZERO_DASHES = ("-", "\u2013", "\u2014", "\u2212")

# Unit spellings (lower-cased) and how many kronor one printed unit is.
UNIT_SCALE: dict[str, int] = {
    "kr": 1,
    "kr.": 1,
    "kronor": 1,
    "sek": 1,
    ":-": 1,
    "tkr": 1_000,
    "tsek": 1_000,
    "mkr": 1_000_000,
    "mnkr": 1_000_000,
    "msek": 1_000_000,
}
UNIT_NAME: dict[str, str] = {
    "kr": "kr",
    "kr.": "kr",
    "kronor": "kr",
    "sek": "kr",
    ":-": "kr",
    "tkr": "tkr",
    "tsek": "tkr",
    "mkr": "Mkr",
    "mnkr": "Mkr",
    "msek": "Mkr",
}

_SEP = f"[{GROUP_SEPARATORS}]"
_UNIT_RE = r"(?:kr\.?|kronor|sek|tkr|tsek|mkr|mnkr|msek)"
_NUMBER_RE = re.compile(
    rf"""^(?P<sign>[{MINUS_SIGNS}])?{_SEP}*
        (?P<int>\d+(?:{_SEP}+\d+)*)
        (?:{_SEP}*(?P<dec>[,.]){_SEP}*(?P<frac>\d+|-))?
        {_SEP}*(?P<unit>{_UNIT_RE}|:-)?$""",
    re.IGNORECASE | re.VERBOSE,
)
_DASH_RE = re.compile(rf"^[{''.join(ZERO_DASHES)}]{_SEP}*(?P<unit>{_UNIT_RE})?$", re.IGNORECASE)
_AMOUNTISH_RE = re.compile(rf"^[{MINUS_SIGNS}]?[\d{GROUP_SEPARATORS}.,]+(?:[,.]-|:-)?$")
_GROUPED_RE = re.compile(r"^\d{1,3}(?: \d{3})*$")
_TRAILING_UNIT_RE = re.compile(_UNIT_RE + r"$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedAmount:
    """A printed amount: its value in whole kronor, the printed unit and the printed number."""

    amount_sek: int
    unit: str  # "kr", "tkr", "Mkr", or "" when no unit is printed (kronor assumed)
    printed: Decimal  # the number as printed, before the unit is applied
    raw: str


def normalize_spaces(text: str) -> str:
    """Text with every kind of space turned into one plain space, trimmed."""
    # str.split() without a separator splits at every Unicode space, the group separators
    # (no-break, narrow, thin, figure, punctuation, hair) included.
    return " ".join(text.split())


# Accounting negatives: digit groups or decimals in parentheses ("(1 234)", "(4,9)"); a bare
# "(1)" or "(2024)" is a note or a year, not an amount.
_PARENTHESES_RE = re.compile(r"^\(\s*(?P<inner>\d{1,3}(?: \d{3})+(?:,\d+)?|\d+,\d+)"
                             r"(?P<unit> ?[^\W\d]+\.?)?\s*\)$")


def signed_text(text: str) -> str:
    """An amount's text with spaces normalised and its sign as a minus or nothing: a change
    column prints "+4 932 695" and a spreadsheet's accounting format "(1 234)" for -1 234."""
    t = normalize_spaces(text)
    if t.startswith("+") and len(t) > 1:
        return t[1:].lstrip()
    m = _PARENTHESES_RE.match(t)
    return f"-{m['inner']}{m['unit'] or ''}" if m else t


@text_cache
def looks_like_amount(text: str) -> bool:
    """True when text is meant as an amount: digits or a lone dash, no letters but a unit."""
    t = signed_text(text)
    if not t:
        return False
    if _DASH_RE.match(t):
        return True
    stripped = _TRAILING_UNIT_RE.sub("", t).strip()
    if not stripped or not any(c.isdigit() for c in stripped):
        return False
    return _AMOUNTISH_RE.match(stripped) is not None


def _match(text: str) -> tuple[re.Match[str] | None, str]:
    t = signed_text(text)
    return _NUMBER_RE.match(t), t


@text_cache
def amount_issue(text: str) -> str | None:
    """Why an amount-like text is no clean whole-kronor amount; None if it parses or is none."""
    if not looks_like_amount(text):
        return None
    t = signed_text(text)
    if _DASH_RE.match(t):
        return None
    m, t = _match(t)
    if m is None:
        return f"'{t}' is not a number in Swedish notation (digits in groups of three, kr/tkr/Mkr)"
    int_part = m["int"]
    if " " in int_part and not _GROUPED_RE.match(int_part):
        return f"'{t}' has digit groups that are not groups of three"
    frac, dec = m["frac"], m["dec"]
    if dec == "." and frac is not None and frac != "-" and len(frac) == 3 and " " not in int_part:
        return f"'{t}' uses a point, which is ambiguous (decimal or thousands separator)"
    value = _value(m)
    if value != int(value):
        return f"'{t}' is not a whole number of kronor (öre or fractions are printed)"
    return None


def _value(m: re.Match[str]) -> Decimal:
    digits = m["int"].replace(" ", "")
    frac = m["frac"] if m["frac"] not in (None, "-") else ""
    printed = Decimal(f"{digits}.{frac}" if frac else digits)
    scale = UNIT_SCALE[m["unit"].lower()] if m["unit"] else 1
    return printed * scale


@text_cache
def parse_amount(text: str) -> ParsedAmount | None:
    """The amount printed in text as whole kronor, or None if it is no clean amount.

    Accepts space/no-break/thin-space thousands separators, ",00" öre (with or without a space
    after the comma), a dash for zero, minus signs, and the units kr, kronor, SEK, tkr and Mkr.
    Öre other than 00 and malformed digit groups give None; `amount_issue` says why. A
    leading "+" and accounting parentheses ("(1 234)" = -1 234) are signs.
    """
    t = signed_text(text)
    dash = _DASH_RE.match(t)
    if dash:
        unit = dash["unit"]
        return ParsedAmount(0, UNIT_NAME[unit.lower()] if unit else "", Decimal(0), text)
    if not looks_like_amount(t) or amount_issue(t) is not None:
        return None
    m, t = _match(t)
    assert m is not None  # amount_issue returned None, so the pattern matched
    value = _value(m)
    sign = -1 if m["sign"] else 1
    unit = UNIT_NAME[m["unit"].lower()] if m["unit"] else ""
    digits = m["int"].replace(" ", "")
    frac = m["frac"] if m["frac"] not in (None, "-") else ""
    printed = Decimal(f"{digits}.{frac}" if frac else digits) * sign
    return ParsedAmount(sign * int(value), unit, printed, text)


# --- Columns of a general allocation table -------------------------------------------------

# Header words that make a column something other than money (checked in this order).
POPULATION_WORDS = ("befolkning", "invånare", "folkmängd", "population")
SHARE_WORDS = ("andel", "procent", "%")
COUNT_WORDS = ("antal", "nedladdning", "jobb", "arbetstillfällen", "besök", "stycken")
# Unit phrases in a header or caption, longest first; "480 miljoner till ..." is an amount,
# not a unit statement, so a phrase right after a digit does not count.
UNIT_PHRASES: tuple[tuple[str, str], ...] = (
    ("miljoner kronor", "Mkr"), ("miljoner kr", "Mkr"), ("mnkr", "Mkr"), ("mkr", "Mkr"),
    ("msek", "Mkr"), ("tusental kronor", "tkr"), ("tusentals kronor", "tkr"),
    ("tusen kronor", "tkr"), ("tkr", "tkr"), ("tsek", "tkr"), ("kronor", "kr"), ("kr", "kr"),
    ("sek", "kr"),
)
UNIT_FACTOR = {"kr": 1, "tkr": 1_000, "Mkr": 1_000_000}
_PERCENT_RE = re.compile(rf"^(?P<num>[{MINUS_SIGNS}]?\d+(?:[,.]\d+)?){_SEP}*%$")
_PLAIN_NUMBER_RE = re.compile(
    rf"^(?P<sign>[{MINUS_SIGNS}])?(?P<int>\d+(?:{_SEP}+\d+)*)(?:[,.](?P<frac>\d+))?$")


@dataclass(frozen=True)
class ColumnType:
    """What a table column holds: "amount" (with its unit) or a kind of other number."""

    kind: str  # "amount", "population", "share_percent" or "count"
    unit: str  # "kr", "tkr", "Mkr" for amounts (the printed unit); "%", "" otherwise
    unit_source: str = ""  # "header", "caption" or "" (cells or the kronor default)


@cache  # keyed by the few words of the lists above
def _word_start(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(word)}")


def _has_word(text: str, word: str) -> bool:
    if not word[0].isalnum():
        return word in text
    return _word_start(word).search(text) is not None


_UNIT_PHRASE_RES = tuple((phrase, re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])"), unit)
                         for phrase, unit in UNIT_PHRASES)


@text_cache
def unit_in_text(text: str) -> str | None:
    """The unit a header or caption states ("Miljoner kronor" -> "Mkr"), or None.

    A unit word straight after a number ("480 miljoner kronor") is an amount, not a statement
    of the table's unit, and does not count.
    """
    t = normalize_spaces(text).lower()
    for phrase, pattern, unit in _UNIT_PHRASE_RES:
        if phrase not in t:  # the plain test first: most texts hold no unit at all
            continue
        for m in pattern.finditer(t):
            before = t[: m.start()].rstrip()
            if not before or not before[-1].isdigit():
                return unit
    return None


def cells_unit(cells: tuple[str, ...]) -> str | None:
    """The money unit most of a column's printed cells carry ("12 345 kr"), or None."""
    filled = [c for c in cells if normalize_spaces(c)]
    units = [p.unit for p in (parse_amount(c) for c in filled) if p is not None and p.unit]
    if filled and len(units) * 2 > len(filled):
        return max(set(units), key=units.count)
    return None


def column_type(header: str, caption: str = "", cells: tuple[str, ...] = ()) -> ColumnType:
    """The type of a column from its header, the table's caption and its printed cells.

    A money unit in the header ("Antal kronor", "Andel av ramen, tkr", "Fördelning efter
    befolkningsandel (kr)") or in most cells makes it money whatever its words; then the words
    of population, share and count; then a unit in the caption; else kronor.
    """
    return _column_type(header, caption, tuple(cells))


@text_cache
def _column_type(header: str, caption: str, cells: tuple[str, ...]) -> ColumnType:
    h = normalize_spaces(header).lower()
    unit = unit_in_text(header)
    if unit:
        return ColumnType("amount", unit, "header")
    unit = cells_unit(cells)
    if unit:
        return ColumnType("amount", unit)
    if any(_has_word(h, w) for w in POPULATION_WORDS):
        return ColumnType("population", "")
    if any(_has_word(h, w) for w in SHARE_WORDS) or (
        cells and all(_PERCENT_RE.match(normalize_spaces(c)) for c in cells if c.strip())
        and any(c.strip() for c in cells)
    ):
        return ColumnType("share_percent", "%")
    if any(_has_word(h, w) for w in COUNT_WORDS):
        return ColumnType("count", "")
    unit = unit_in_text(caption) if caption else None
    if unit:
        return ColumnType("amount", unit, "caption")
    return ColumnType("amount", "kr")


@dataclass(frozen=True)
class ParsedNumber:
    """A printed number that is not money: its value and how many decimals were printed."""

    value: Decimal
    decimals: int
    raw: str


@text_cache
def parse_number(text: str) -> ParsedNumber | None:
    """A share, population or count as printed ("10,52 %", "2 415 139", "7"), or None."""
    t = signed_text(text)
    m = _PERCENT_RE.match(t)
    digits = None
    if m:
        digits = m["num"]
    else:
        m2 = _PLAIN_NUMBER_RE.match(t)
        if m2 is None:
            return None
        if " " in m2["int"] and not _GROUPED_RE.match(m2["int"]):
            return None
        digits = (("-" if m2["sign"] else "") + m2["int"].replace(" ", "")
                  + (f".{m2['frac']}" if m2["frac"] else ""))
    digits = digits.replace(",", ".")
    for sign in MINUS_SIGNS[1:]:
        digits = digits.replace(sign, "-")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return ParsedNumber(Decimal(digits), decimals, text)


@text_cache
def parse_in_unit(text: str, unit: str) -> ParsedAmount | None:
    """An amount printed without a unit in a column whose header or caption gives one.

    "2 111" under "Miljoner kronor" is 2 111 000 000 kr; a unit printed in the cell wins.
    Decimals are allowed as long as the result is whole kronor ("9,5" Mkr).
    """
    direct = parse_amount(text)
    if direct is not None and (direct.unit or unit == "kr"):
        return direct
    number = parse_number(text)
    if number is None or "%" in text:
        return None
    value = number.value * UNIT_FACTOR.get(unit, 1)
    if value != int(value):
        return None
    return ParsedAmount(int(value), unit, number.value, text)


def odd_grouping_reading(text: str) -> ParsedAmount | None:
    """An amount whose digit groups are not groups of three ("544 99 160 kr"), read by its
    digits (54 499 160 kr); None for any other kind of text. Callers must warn about it."""
    m, t = _match(text)
    if m is None or " " not in m["int"] or _GROUPED_RE.match(m["int"]):
        return None
    if m["frac"] not in (None, "-") and set(m["frac"]) != {"0"}:
        return None
    digits = int(m["int"].replace(" ", ""))
    unit = UNIT_NAME[m["unit"].lower()] if m["unit"] else ""
    scale = UNIT_SCALE[m["unit"].lower()] if m["unit"] else 1
    sign = -1 if m["sign"] else 1
    return ParsedAmount(sign * digits * scale, unit, Decimal(sign * digits), text)
