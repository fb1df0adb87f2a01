"""Which column of a table prints its rows' SCB codes, told by the numbers wherever it stands.

A table may print the code after the name ("Region | Länskod | ...", "Kommun | Kod | Belopp"),
so a column of small whole numbers is no money column by its place alone. A column right of
the rows' names is the code column when every cell it fills in a recipient row is a whole
number without digit groups of one code width (2 digits for län and region, 4 for kommun,
leading zeros printed or not), each an SCB code printed once, and most of them the code of
their own row's name by SCB's lists (extractors/vocabulary/scb/). A leading code ("01 |
Stockholm", "0114 Upplands Väsby") is read by extractors/kinds.py as before.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache

from extractors.grid import TableBlock
from extractors.rows import classify_row, collapse, split_code_name
from extractors.text_cache import text_cache
from extractors.vocabulary import SCB_DIR

KOMMUN_WIDTH, LAN_WIDTH = 4, 2  # digits of an SCB kommun code and of a län (region) code
_BARE_RE = re.compile(r"^\d{1,4}$")
_LETTER_RE = re.compile(r"[^\W\d_]")
_DASHES_RE = re.compile(r"[\-\u2010-\u2014\u2212]")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u"})


def fold_name(text: str) -> str:
    """A name compared letter by letter: NFC, case-folded, å/ä/ö folded, dashes as spaces."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_FOLD)
    return " ".join(_DASHES_RE.sub(" ", text).split())


def _forms(*values: str) -> tuple[str, ...]:
    parts = [p for v in values for p in v.split("|")]
    return tuple(sorted({fold_name(p.removesuffix(" län")) for p in parts if p.strip()}))


def _rows(file_name: str) -> list[dict[str, str]]:
    with (SCB_DIR / file_name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def scb_name_forms() -> dict[str, tuple[str, ...]]:
    """Every SCB code (2-digit län, 4-digit kommun) and the folded name forms of its place:
    the short name, the genitive or county stem ("falu", "stockholms") and the aliases."""
    forms = {r["scb_code"]: _forms(r["name"], r["genitive"], r["aliases"])
             for r in _rows("kommun.csv")}
    forms.update({r["lan_code"]: _forms(r["name"], r["county_name"], r["aliases"])
                  for r in _rows("lan.csv")})
    return forms


def names_code(name: str, code: str) -> bool:
    """Whether a printed name names the place of an SCB code: one of its name forms starts a
    word of the name ("Ales kommun" for 1440 Ale, "Region Jämtland Härjedalen" for 23)."""
    folded = fold_name(name)
    return any(re.search(r"(?<![a-z0-9])" + re.escape(form), folded)
               for form in scb_name_forms().get(code, ()))


def _row_name(texts: list[str], col: int) -> str:
    """The row's name: its first cell left of col that prints a letter (a code before the
    name split off), "" when none does."""
    for text in texts[:col]:
        if _LETTER_RE.search(text):
            return split_code_name(text)[1]
    return ""


def is_code_column(cells: list[tuple[str, str]]) -> bool:
    """Whether (printed value, row name) pairs are a code column: bare whole numbers of one
    code width, each an SCB code printed once, and more than half of them their row's code."""
    if not cells or not all(_BARE_RE.match(value) for value, _ in cells):
        return False
    width = KOMMUN_WIDTH if max(len(v) for v, _ in cells) > LAN_WIDTH else LAN_WIDTH
    codes = [v.zfill(width) for v, _ in cells]
    forms = scb_name_forms()
    if len(set(codes)) < len(codes) or not all(len(c) == width and c in forms for c in codes):
        return False
    named = sum(names_code(name, code) for code, (_, name) in zip(codes, cells, strict=True))
    return named * 2 > len(cells)


def code_column(block: TableBlock) -> int | None:
    """The column right of the rows' names that prints their SCB codes (see the module's
    docstring), or None when the codes lead the rows or no column prints them."""
    return code_column_of(tuple(tuple(c.text for c in r.cells) for r in block.rows))


@text_cache
def code_column_of(cells: tuple[tuple[str, ...], ...]) -> int | None:
    """`code_column` of a block's body cells as printed, row by row (found once per table:
    the kind, the pieces and the money readers all ask)."""
    rows = [texts for texts in ([collapse(t) for t in r] for r in cells)
            if classify_row(texts) in ("data", "named")]
    width = max((len(t) for t in rows), default=0)
    for col in range(1, width):
        cells = [(t[col], _row_name(t, col)) for t in rows if col < len(t) and t[col]]
        if cells and all(name for _, name in cells) and is_code_column(cells):
            return col
    return None
