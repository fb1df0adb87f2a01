"""Reading printed money amounts ("129 530 375 kr", "6 199 701, 00", "1 234 tkr", "–").

`parse_amount` turns one printed amount into whole kronor, or returns None. `amount_issue` tells
why a text that looks like an amount did not parse, so callers can report it as a problem
instead of dropping it. Amounts are read in Swedish notation, and in another notation when the
cell shows it by itself ("11,154,061", "6.199.701,00": extractors/notation.py); a column is
read in the notation its cells choose (extractors/money_columns.py). The unit spellings are
data (extractors/vocabulary/units.toml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from extractors.notation import SWEDISH, self_evident, to_swedish
from extractors.text_cache import text_cache
from extractors.vocabulary import unit_words

# Thousands separators seen in the documents: space, no-break space, narrow no-break space,
# thin space (and a few relatives that Word and PDF producers emit).
GROUP_SEPARATORS = " \u00a0\u202f\u2009\u2007\u2008\u200a"
MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
ZERO_DASHES = ("-", "\u2013", "\u2014", "\u2212")

# How many kronor one printed unit is.
UNIT_FACTOR = {"kr": 1, "tkr": 1_000, "Mkr": 1_000_000}
# Unit spellings printed after an amount (lower-cased): the unit each names and its kronor.
UNIT_NAME: dict[str, str] = dict(unit_words().cell_units)
UNIT_SCALE: dict[str, int] = {spelling: UNIT_FACTOR[unit] for spelling, unit in UNIT_NAME.items()}
# Unit phrases in a header, caption or note, longest first ("tusental kronor" -> "tkr").
UNIT_PHRASES: tuple[tuple[str, str], ...] = unit_words().phrases

_SEP = f"[{GROUP_SEPARATORS}]"
_UNIT_RE = "(?:" + "|".join(re.escape(s) for s in sorted(
    (s for s in UNIT_NAME if s != ":-"), key=len, reverse=True)) + ")"
_NUMBER_RE = re.compile(
    rf"""^(?P<sign>[{MINUS_SIGNS}])?{_SEP}*
        (?P<int>\d+(?:{_SEP}+\d+)*)
        (?:{_SEP}*(?P<dec>[,.]){_SEP}*(?P<frac>\d+|-))?
        {_SEP}*(?P<unit>{_UNIT_RE}|:-)?$""",
    re.IGNORECASE | re.VERBOSE,
)
_DASH_RE = re.compile(rf"^[{''.join(ZERO_DASHES)}]{_SEP}*(?P<unit>{_UNIT_RE})?$", re.IGNORECASE)
_AMOUNTISH_RE = re.compile(rf"^[{MINUS_SIGNS}]?[\d{GROUP_SEPARATORS}.,'\u2019]+(?:[,.]-|:-)?$")
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


# A unit printed before the amount, as a spreadsheet's currency format may ("SEK 129,530,375",
# "kr 1 234"): read as if printed after it.
_LEADING_UNIT_RE = re.compile(rf"^(?P<unit>{_UNIT_RE})\.?\s*(?=[{MINUS_SIGNS}+(]?\d)",
                              re.IGNORECASE)


def signed_text(text: str) -> str:
    """An amount's text with spaces normalised, a leading unit moved after the number, and its
    sign as a minus or nothing: a change column prints "+4 932 695" and a spreadsheet's
    accounting format "(1 234)" for -1 234."""
    t = normalize_spaces(text)
    lead = _LEADING_UNIT_RE.match(t)
    if lead:
        t = f"{t[lead.end():]} {lead['unit']}"
    if t.startswith("+") and len(t) > 1:
        return t[1:].lstrip()
    m = _PARENTHESES_RE.match(t)
    return f"-{m['inner']}{m['unit'] or ''}" if m else t


# No amount prints a run of letters longer than its unit ("kronor"): a word that long makes
# a text (a sentence, a name) no amount before any pattern is tried on it.
_LONG_WORD_RE = re.compile(rf"[^\W\d_]{{{max(len(s) for s in UNIT_NAME) + 1}}}")


@text_cache
def looks_like_amount(text: str) -> bool:
    """True when text is meant as an amount: digits or a lone dash, no letters but a unit."""
    if _LONG_WORD_RE.search(text):
        return False
    t = signed_text(text)
    if not t:
        return False
    if _DASH_RE.match(t):
        return True
    stripped = _TRAILING_UNIT_RE.sub("", t).strip()
    if not stripped or not any(c.isdigit() for c in stripped):
        return False
    return _AMOUNTISH_RE.match(stripped) is not None


def match_number(text: str) -> tuple[re.Match[str] | None, str]:
    """The Swedish-notation pattern matched on text (spaces normalised, sign as a minus), and
    that text."""
    t = signed_text(text)
    return _NUMBER_RE.match(t), t




def in_swedish(text: str) -> str:
    """An amount's text in Swedish notation: rewritten from the one notation it shows by itself
    ("11,154,061" -> "11 154 061", "6.199.701,00" -> "6 199 701,00", "1'234" -> "1 234"), else
    as printed."""
    t = signed_text(text)
    shown = self_evident(t)
    return to_swedish(t, shown or SWEDISH) or t


@text_cache
def amount_issue(text: str) -> str | None:
    """Why an amount-like text is no clean whole-kronor amount; None if it parses or is none."""
    if not looks_like_amount(text):
        return None
    t = signed_text(text)
    if _DASH_RE.match(t):
        return None
    return swedish_issue(in_swedish(t), t)


@text_cache
def reads_as_number(text: str) -> bool:
    """True when text is one printed number in some notation, its digits in groups of three,
    decimals allowed ("145 811,5" is one number in tkr; "1 234 5" is none)."""
    t = signed_text(text)
    if not looks_like_amount(t):
        return False
    if _DASH_RE.match(t):
        return True
    m, _ = match_number(in_swedish(t))
    return m is not None and (" " not in m["int"] or _GROUPED_RE.match(m["int"]) is not None)


def swedish_issue(swedish: str, shown: str) -> str | None:
    """Why a text in Swedish notation is no clean whole-kronor amount (quoting it as shown)."""
    m, _ = match_number(swedish)
    if m is None:
        return (f"'{shown}' is not a number in Swedish notation (digits in groups of three, "
                "kr/tkr/Mkr), nor in one the cell shows by itself ('11,154,061', "
                "'6.199.701,00')")
    int_part = m["int"]
    if " " in int_part and not _GROUPED_RE.match(int_part):
        return f"'{shown}' has digit groups that are not groups of three"
    frac, dec = m["frac"], m["dec"]
    if dec == "." and frac is not None and frac != "-" and len(frac) == 3 and " " not in int_part:
        return f"'{shown}' uses a point, which is ambiguous (decimal or thousands separator)"
    value = _value(m)
    if value == int(value):
        return None
    kronor = not m["unit"] or UNIT_SCALE[m["unit"].lower()] == 1
    if dec == "," and len(frac) == 3 and " " not in int_part:
        return (f"'{shown}' is ambiguous: {int_part} {frac} with a comma grouping thousands, "
                f"{int_part},{frac} with a decimal comma")
    if kronor and len(frac) <= 2:
        return (f"'{shown}' is not a whole number of kronor: it prints {frac.ljust(2, '0')} "
                "öre, and amounts are read in whole kronor, never rounded")
    return f"'{shown}' is not a whole number of kronor (öre or fractions are printed)"


def _value(m: re.Match[str]) -> Decimal:
    digits = m["int"].replace(" ", "")
    frac = m["frac"] if m["frac"] not in (None, "-") else ""
    printed = Decimal(f"{digits}.{frac}" if frac else digits)
    scale = UNIT_SCALE[m["unit"].lower()] if m["unit"] else 1
    return printed * scale


# A whole number as most cells print it ("129 530 375 kr", "0114"): digits grouped by plain
# spaces in threes or not grouped, and at most one unit word after a space. Such a text reads
# the same in every notation and has no issue, so `parse_amount` reads it straight; at most
# MAX_PLAIN_DIGITS digits, so no Decimal step rounds (28 significant digits).
_PLAIN_RE = re.compile(r"(?P<int>[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?: (?P<unit>[a-z]+))?")
MAX_PLAIN_DIGITS = 18


def _plain_amount(text: str) -> ParsedAmount | None:
    """`parse_amount` of a plainly printed whole number (`_PLAIN_RE`), None for any other text."""
    m = _PLAIN_RE.fullmatch(text)
    unit = m["unit"] if m is not None else None
    if m is None or (unit is not None and unit not in UNIT_SCALE):
        return None
    digits = m["int"].replace(" ", "")
    if len(digits) > MAX_PLAIN_DIGITS:
        return None
    scale = UNIT_SCALE[unit] if unit else 1
    return ParsedAmount(int(digits) * scale, UNIT_NAME[unit] if unit else "", Decimal(digits),
                        text)


@text_cache
def parse_amount(text: str) -> ParsedAmount | None:
    """The amount printed in text as whole kronor, or None if it is no clean amount.

    Accepts space/no-break/thin-space/apostrophe thousands separators, ",00" öre (with or
    without a space after the comma), a dash for zero, minus signs, the units of units.toml
    (kr, kronor, SEK, :-, tkr, Mkr), and another notation the cell shows by itself
    ("11,154,061", "6.199.701,00"). Öre other than 00 and malformed digit groups give None;
    `amount_issue` says why. A leading "+" and accounting parentheses ("(1 234)" = -1 234)
    are signs.
    """
    return _plain_amount(text) or _read_amount(text)


def _read_amount(text: str) -> ParsedAmount | None:
    """`parse_amount` of any text, in all its steps."""
    t = signed_text(text)
    dash = _DASH_RE.match(t)
    if dash:
        unit = dash["unit"]
        return ParsedAmount(0, UNIT_NAME[unit.lower()] if unit else "", Decimal(0), text)
    if not looks_like_amount(t) or amount_issue(t) is not None:
        return None
    m, _ = match_number(in_swedish(t))
    assert m is not None  # amount_issue returned None, so the pattern matched
    value = _value(m)
    sign = -1 if m["sign"] else 1
    unit = UNIT_NAME[m["unit"].lower()] if m["unit"] else ""
    digits = m["int"].replace(" ", "")
    frac = m["frac"] if m["frac"] not in (None, "-") else ""
    printed = Decimal(f"{digits}.{frac}" if frac else digits) * sign
    return ParsedAmount(sign * int(value), unit, printed, text)


