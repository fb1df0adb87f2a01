"""Number notations: which mark groups thousands and which marks decimals in a printed amount.

Swedish documents print ``129 530 375`` and ``6 199 701,00``: spaces group thousands, a comma
marks decimals (a point with one or two digits is read as a decimal point too). Exporters set
to other locales print the same amount as ``129,530,375`` / ``6,199,701.00`` (English: commas
group, a point marks decimals) or ``129.530.375`` / ``6.199.701,00`` (German, Danish: points
group, a comma marks decimals). Spaces of every kind and apostrophes (``1'234'567``) group
thousands in all three.

One cell cannot always tell: ``966,254`` is 966 254 with commas grouping and 966,254 with a
decimal comma. So a column is read in one notation, chosen by the evidence of all its cells
(`choose_notation`): the notation that reads the most of them, Swedish on a tie. A cell that
rules a notation out (``11,154,061``: two commas, each before three digits) is the evidence; a
cell the chosen notation cannot read, or that a notation left open reads as another number, is
named (`notation_issue`) rather than read by a guess. With no evidence at all the Swedish
reading stands, as it always has.

Everything here is a pure function of the printed text; the amount readers (extractors/
amounts.py) turn the Swedish form `to_swedish` gives into kronor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extractors.text_cache import text_cache

SWEDISH = "swedish"  # spaces group thousands, a decimal comma ("6 199 701,00")
COMMA_GROUPS = "comma-groups"  # commas group thousands, a decimal point ("6,199,701.00")
POINT_GROUPS = "point-groups"  # points group thousands, a decimal comma ("6.199.701,00")
NOTATIONS = (SWEDISH, COMMA_GROUPS, POINT_GROUPS)  # the order breaks ties: Swedish first
DESCRIPTIONS = {
    SWEDISH: "spaces grouping thousands and a decimal comma (129 530 375; 6 199 701,00)",
    COMMA_GROUPS: "commas grouping thousands and a decimal point (129,530,375; 6,199,701.00)",
    POINT_GROUPS: "points grouping thousands and a decimal comma (129.530.375; 6.199.701,00)",
}

_APOSTROPHE_RE = re.compile(r"(?<=\d)['\u2019](?=\d)")
NOTATION_MARKS = re.compile("[,.'\u2019]")  # the marks that tell notations apart
# A comma (or point) between digits that is not followed by exactly three digits groups nothing.
_BAD_GROUP = {",": re.compile(r"(?<=\d),(?=\d)(?!\d{3}(?!\d))"),
              ".": re.compile(r"(?<=\d)\.(?=\d)(?!\d{3}(?!\d))")}
_BETWEEN = {",": re.compile(r"(?<=\d),(?=\d)"), ".": re.compile(r"(?<=\d)\.(?=\d)")}
# The number of a cell in Swedish form: sign, digits in space groups, decimals, a unit after
# (or before it, as a spreadsheet's currency format prints "SEK 129,530,375").
_SWEDISH_RE = re.compile(
    r"^(?:[^\W\d_]+\.?\s*)?(?P<sign>[-\u2212\u2013])?\s*(?P<int>\d+(?: \d+)*)"
    r"(?:\s*[,.]\s*(?P<frac>\d+|-))?"
    r"(?P<rest>\s*(?:[^\W\d_]+\.?|:-))?$")


def _spaced(text: str) -> str:
    return " ".join(text.split())


def to_swedish(text: str, notation: str) -> str | None:
    """The text with its number rewritten in Swedish notation (spaces grouping thousands, a
    decimal comma), or None when the notation cannot read it ("1,5" with commas grouping)."""
    t = _APOSTROPHE_RE.sub(" ", _spaced(text))
    if notation == COMMA_GROUPS:
        if _BAD_GROUP[","].search(t) or t.count(".") > 1:
            return None
        return _BETWEEN["."].sub(",", _BETWEEN[","].sub(" ", t))
    if notation == POINT_GROUPS:
        if _BAD_GROUP["."].search(t) or t.count(",") > 1:
            return None
        return _BETWEEN["."].sub(" ", t)
    if t.count(",") > 1 or t.count(".") > 1 or ("," in t and "." in t):
        return None  # two decimal marks, or a comma and a point: no Swedish number
    return t


def printed_number(text: str, notation: str) -> Decimal | None:
    """The number a cell prints when read in notation (sign and decimals, before any unit),
    or None when that notation cannot read it. Digit groups are not checked here."""
    swedish = to_swedish(text, notation)
    m = _SWEDISH_RE.match(swedish) if swedish is not None else None
    if m is None:
        return None
    frac = m["frac"] if m["frac"] not in (None, "-") else ""
    try:
        value = Decimal(m["int"].replace(" ", "") + (f".{frac}" if frac else ""))
    except InvalidOperation:
        return None
    return -value if m["sign"] else value


@text_cache
def readings(text: str) -> dict[str, Decimal]:
    """The number each notation reads in a cell, for the notations that read it."""
    if not NOTATION_MARKS.search(text):  # no comma, point or apostrophe: all read it alike
        value = printed_number(text, SWEDISH)
        return dict.fromkeys(NOTATIONS, value) if value is not None else {}
    found = {n: printed_number(text, n) for n in NOTATIONS}
    return {n: v for n, v in found.items() if v is not None}


def self_evident(text: str) -> str | None:
    """The notation a cell shows by itself: the one notation that reads it, or Swedish when
    every notation that reads it reads the same number; None when readings differ."""
    found = readings(text)
    if len(found) == 1:
        return next(iter(found))
    if found and len(set(found.values())) == 1:
        return SWEDISH if SWEDISH in found else next(iter(found))
    return None


@dataclass(frozen=True)
class NotationChoice:
    """The notation a column (or table) is read in, the notations its cells leave open and a
    cell that shows it ("11,154,061", empty when no cell tells the notations apart).

    A notation is ruled out when it reads fewer of the cells than the chosen one; with none
    ruled out, Swedish, the documents' own notation, is assumed."""

    notation: str = SWEDISH
    evidence: str = ""
    open: tuple[str, ...] = NOTATIONS

    @property
    def settled(self) -> bool:
        return len(self.open) < len(NOTATIONS)


SWEDISH_DEFAULT = NotationChoice()


def choose_notation(cells: tuple[str, ...]) -> NotationChoice:
    """The notation that reads the most of the cells, Swedish on a tie, with its evidence."""
    counts = dict.fromkeys(NOTATIONS, 0)
    found = [readings(cell) for cell in cells]
    for one in found:
        for notation in one:
            counts[notation] += 1
    best = max(NOTATIONS, key=lambda n: (counts[n], -NOTATIONS.index(n)))
    still = tuple(n for n in NOTATIONS if counts[n] == counts[best])
    if len(still) == len(NOTATIONS):
        return SWEDISH_DEFAULT
    evidence = next((_spaced(cell) for cell, one in zip(cells, found, strict=True)
                     if best in one and len(one) < len(NOTATIONS)), "")
    return NotationChoice(best, evidence, still)


def notation_issue(text: str, choice: NotationChoice) -> str | None:
    """Why a cell cannot be read in its column's notation, None when it can.

    A cell the notation does not read names the cell that settled the notation; a cell that
    another notation the cells leave open reads as another number is ambiguous and says both
    readings. Where no cell tells the notations apart, the Swedish reading stands as it always
    has ("1,234" Mkr), and a cell it cannot read says both readings there (`swedish_issue`).
    """
    found = readings(text)
    if not found or choice.notation not in found:
        if found and choice.settled:
            t = _spaced(text)
            return (f"'{t}' does not read in the notation of the rest of its column or table, "
                    f"{DESCRIPTIONS[choice.notation]} as '{choice.evidence}' shows")
        return None  # no number in any notation: the amount readers say what is wrong
    if not choice.settled:  # with no evidence at all, the Swedish reading stands
        return None
    own = found[choice.notation]
    others = {n: v for n, v in found.items() if v != own and n in choice.open}
    if others:
        other, value = next(iter(others.items()))
        t = _spaced(text)
        return (f"'{t}' is {_show(own)} read with {DESCRIPTIONS[choice.notation]}, but "
                f"{_show(value)} read with {DESCRIPTIONS[other]}, and no other amount of its "
                "column or table tells which")
    return None


def _show(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return sign + grouped + (f",{frac}" if frac else "")
