"""The columns of an allocation table: what each holds (money in which unit, shares,
population, counts), which number notation its cells are printed in, and each money cell read
in that unit and notation.

`column_types` types every column of a table: a unit from the column header, its cells, a
group header, the table's title or caption, or a line near the table that states it
(`unit_statement`: "Belopp i tusental kronor"); the notation its cells choose
(extractors/notation.py), or the table's when the column's own cells cannot tell.
`read_in_column` reads one money cell in its column's unit and notation, or says why it cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from extractors.amounts import (
    GROUP_SEPARATORS,
    MINUS_SIGNS,
    UNIT_FACTOR,
    UNIT_NAME,
    UNIT_PHRASES,
    UNIT_SCALE,
    ParsedAmount,
    match_number,
    normalize_spaces,
    parse_amount,
    signed_text,
    swedish_issue,
    text_cache,
)
from extractors.notation import (
    SWEDISH,
    SWEDISH_DEFAULT,
    NotationChoice,
    choose_notation,
    notation_issue,
    to_swedish,
)
from extractors.vocabulary import unit_words

_SEP = f"[{GROUP_SEPARATORS}]"
_GROUPED_RE = re.compile(r"^\d{1,3}(?: \d{3})*$")
_AMOUNT_LIKE_RE = re.compile(rf"\d{{1,3}}(?:{_SEP}\d{{3}})+|\d{{5,}}")
# Header words that make a column something other than money (checked in this order).
POPULATION_WORDS = ("befolkning", "invånare", "folkmängd", "population")
SHARE_WORDS = ("andel", "procent", "%")
COUNT_WORDS = ("antal", "nedladdning", "jobb", "arbetstillfällen", "besök", "stycken")
_PERCENT_RE = re.compile(rf"^(?P<num>[{MINUS_SIGNS}]?\d+(?:[,.]\d+)?){_SEP}*%$")
_PLAIN_NUMBER_RE = re.compile(
    rf"^(?P<sign>[{MINUS_SIGNS}])?(?P<int>\d+(?:{_SEP}+\d+)*)(?:[,.](?P<frac>\d+))?$")


@dataclass(frozen=True)
class ColumnType:
    """What a table column holds: "amount" (with its unit) or a kind of other number."""

    kind: str  # "amount", "population", "share_percent" or "count"
    unit: str  # "kr", "tkr", "Mkr" for amounts (the printed unit); "%", "" otherwise
    unit_source: str = ""  # "header", "caption" or "" (cells or the kronor default)
    notation: NotationChoice = SWEDISH_DEFAULT  # how its cells print numbers
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:  # hashed once: every money cell's reading is keyed by it
        object.__setattr__(self, "_hash", hash((self.kind, self.unit, self.unit_source,
                                                self.notation)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple:  # rebuilt, never carried: string hashes differ by process
        return ColumnType, (self.kind, self.unit, self.unit_source, self.notation)


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


@text_cache
def unit_statement(text: str) -> str | None:
    """The unit a line of its own near a table states ("Belopp i tusental kronor (tkr)" ->
    "tkr"), or None: the line is short (units.toml, max_words) and prints no amount."""
    t = normalize_spaces(text)
    if len(t.split()) > unit_words().note_max_words or _AMOUNT_LIKE_RE.search(t):
        return None
    return unit_in_text(t)


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
    of population, share and count; then a unit in the caption; else kronor. The notation is
    the one its cells choose (`choose_notation`).
    """
    return _column_type(header, caption, tuple(cells))


@text_cache
def _column_type(header: str, caption: str, cells: tuple[str, ...]) -> ColumnType:
    return replace(_column_kind(header, caption, cells), notation=choose_notation(cells))


def _column_kind(header: str, caption: str, cells: tuple[str, ...]) -> ColumnType:
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


def column_types(columns: list[tuple[str, str, tuple[str, ...]]]) -> list[ColumnType]:
    """The type of each column of one table, given as (header, caption, cells).

    A money column whose own cells leave the notation open ("966 254", "289,330") is read in
    the notation the table's money cells choose together: one exporter printed them all.
    """
    types = [column_type(header, caption, cells) for header, caption, cells in columns]
    money = tuple(c for t, (_, _, cells) in zip(types, columns, strict=True)
                  if t.kind == "amount" for c in cells)
    table = choose_notation(money)
    if not table.settled:
        return types
    return [replace(t, notation=table) if t.kind == "amount" and not t.notation.settled else t
            for t in types]


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
    m, t = match_number(text)
    if m is None or " " not in m["int"] or _GROUPED_RE.match(m["int"]):
        return None
    if m["frac"] not in (None, "-") and set(m["frac"]) != {"0"}:
        return None
    digits = int(m["int"].replace(" ", ""))
    unit = UNIT_NAME[m["unit"].lower()] if m["unit"] else ""
    scale = UNIT_SCALE[m["unit"].lower()] if m["unit"] else 1
    sign = -1 if m["sign"] else 1
    return ParsedAmount(sign * digits * scale, unit, Decimal(sign * digits), text)


@dataclass(frozen=True)
class MoneyReading:
    """One money cell read in its column: the amount (None when unreadable, with ``issue``
    saying why), its unit, its printed step (kronor per last printed digit) and whether its
    digit groups were odd (read by its digits: callers warn)."""

    parsed: ParsedAmount | None
    unit: str = ""
    step: int = 1
    odd: bool = False
    issue: str = ""


@text_cache
def read_in_column(text: str, ctype: ColumnType) -> MoneyReading:
    """A money cell read in its column's unit and notation, or why it cannot be.

    The cell is rewritten in Swedish notation first; one the notation cannot read, or that
    another notation the column leaves open reads as another number, is not read.
    """
    issue = notation_issue(text, ctype.notation)
    if issue:
        return MoneyReading(None, issue=issue)
    notation = ctype.notation.notation
    swedish = normalize_spaces(text) if notation == SWEDISH else to_swedish(text, notation)
    swedish = swedish or normalize_spaces(text)
    parsed, odd = parse_in_unit(swedish, ctype.unit), False
    if parsed is None:
        parsed = odd_grouping_reading(swedish)
        odd = parsed is not None
        if parsed is not None and not parsed.unit and ctype.unit != "kr":
            parsed = replace(parsed, amount_sek=parsed.amount_sek * UNIT_FACTOR[ctype.unit],
                             unit=ctype.unit)
    if parsed is None:
        return MoneyReading(None, issue=_unread_reason(swedish, normalize_spaces(text), ctype))
    unit = parsed.unit or ctype.unit
    exponent = parsed.printed.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if unit == "kr":
        decimals = 0  # öre ("6 199 701, 00") are not a finer rounding of whole kronor
    step = max(1, UNIT_FACTOR.get(unit, 1) // 10 ** decimals)
    return MoneyReading(replace(parsed, raw=text), unit, step, odd)


def _unread_reason(swedish: str, shown: str, ctype: ColumnType) -> str:
    issue = swedish_issue(swedish, shown) or f"'{shown}' is no amount"
    if ctype.unit == "kr" and "öre" in issue:
        issue += (" (if the table is in tkr or Mkr, no header, title, caption or line near "
                  "it says so)")
    return issue
