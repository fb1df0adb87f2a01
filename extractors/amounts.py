"""Reading printed Swedish money amounts ("129 530 375 kr", "6 199 701, 00", "1 234 tkr", "–").

`parse_amount` turns one printed amount into whole kronor, or returns None. `amount_issue` tells
why a text that looks like an amount did not parse, so callers can report it as a problem
instead of dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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


@dataclass(frozen=True)
class ParsedAmount:
    """A printed amount: its value in whole kronor, the printed unit and the printed number."""

    amount_sek: int
    unit: str  # "kr", "tkr", "Mkr", or "" when no unit is printed (kronor assumed)
    printed: Decimal  # the number as printed, before the unit is applied
    raw: str


def normalize_spaces(text: str) -> str:
    """Text with every kind of space turned into one plain space, trimmed."""
    for ch in GROUP_SEPARATORS[1:]:
        text = text.replace(ch, " ")
    return " ".join(text.split())


def looks_like_amount(text: str) -> bool:
    """True when text is meant as an amount: digits or a lone dash, no letters but a unit."""
    t = normalize_spaces(text)
    if not t:
        return False
    if _DASH_RE.match(t):
        return True
    stripped = re.sub(_UNIT_RE + r"$", "", t, flags=re.IGNORECASE).strip()
    if not stripped or not any(c.isdigit() for c in stripped):
        return False
    return _AMOUNTISH_RE.match(stripped) is not None


def _match(text: str) -> tuple[re.Match[str] | None, str]:
    t = normalize_spaces(text)
    return _NUMBER_RE.match(t), t


def amount_issue(text: str) -> str | None:
    """Why an amount-like text is no clean whole-kronor amount; None if it parses or is none."""
    if not looks_like_amount(text):
        return None
    t = normalize_spaces(text)
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


def parse_amount(text: str) -> ParsedAmount | None:
    """The amount printed in text as whole kronor, or None if it is no clean amount.

    Accepts space/no-break/thin-space thousands separators, ",00" öre (with or without a space
    after the comma), a dash for zero, minus signs, and the units kr, kronor, SEK, tkr and Mkr.
    Öre other than 00 and malformed digit groups give None; `amount_issue` says why.
    """
    t = normalize_spaces(text)
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
