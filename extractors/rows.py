"""Printed table rows and what kind each is: cells, grid rows and `classify_row`.

A reader turns every printed row into a `GridRow` of `Cell`s in column order; `classify_row`
tells a coded recipient row ("data"), a row by name ("named"), the Riket row ("total"), header,
title, spacer and anything else apart, from the cell texts alone. Total and subtotal labels,
marks printed instead of numbers and footnote marks are words of extractors/vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.amounts import UNIT_SCALE, looks_like_amount, normalize_spaces, text_cache
from extractors.vocabulary import label_key, table_words

BBox = tuple[float, float, float, float]

TOTAL_LABELS = tuple(sorted(table_words().total_labels))
MAX_NAME_CHARS = 50  # longer "names" are running text that starts with a number
MAX_TITLE_CHARS = 80  # a longer lone text is running text, not a table title
CODE_RE = re.compile(r"^\d{1,4}$")
_CODE_NAME_RE = re.compile(r"^(\d{1,4})\s+(\D.*)$")
_PERCENT_CELL_RE = re.compile(r"^-?\d+(?:[,.]\d+)?\s*%$")
_PROSE_SPLIT_RE = re.compile(r"[\s\d.,:;()\-]+")


@dataclass(frozen=True)
class Cell:
    """One printed cell: its text and, for PDFs, its bounding box (x0, top, x1, bottom)."""

    text: str
    bbox: BBox | None = None
    span: int = 1  # grid columns a merged cell covers (colspan, w:gridSpan), on its first one


@dataclass
class GridRow:
    """A row of cells in column order, with its page (PDF) or table number (DOCX)."""

    cells: list[Cell]
    page: int | None
    is_header: bool = False  # marked as a repeated header row by the document itself
    from_table: bool = True  # False for a paragraph fed in between tables (a title candidate)
    table_id: int | None = None  # the printed table (w:tbl, <table>) it sits in; None in a PDF,
    # whose tables are found by layout. Rows of two printed tables are never one table.


def collapse(text: str) -> str:
    """Text with all whitespace (incl. no-break and thin spaces) collapsed to single spaces."""
    return normalize_spaces(text)


@text_cache
def is_total_label(text: str) -> bool:
    """True for the label of a table's total row ("Riket", "Totalt", "Summa:", "Hela landet")."""
    return label_key(collapse(text)) in table_words().total_labels


@text_cache
def is_subtotal_label(text: str) -> bool:
    """True for the label of a subtotal row ("Summa Stockholms län", "Delsumma"): its first
    word is a subtotal word and the whole label is no total label."""
    key = label_key(collapse(text))
    words = key.split()
    return bool(words) and words[0] in table_words().subtotal_prefixes and not is_total_label(key)


@text_cache
def is_mark(text: str) -> bool:
    """True for a mark printed instead of a number ("..", "–", "*", "<5")."""
    key = label_key(collapse(text))
    if key in table_words().no_number:
        return True
    for sign in table_words().no_number_prefixes:
        rest = key[len(sign):].strip() if key.startswith(sign) else ""
        if rest and rest.replace(" ", "").replace(",", "").isdigit():
            return True
    return False


@text_cache
def split_footnote(text: str) -> tuple[str, str]:
    """("12 345", "*") from "12 345*": a printed number and the footnote mark right after it;
    (text, "") when no mark follows a digit or a unit."""
    t = collapse(text)
    for mark in table_words().footnotes:
        if not t.endswith(mark):
            continue
        rest = t[: len(t) - len(mark)].rstrip()
        if rest and looks_like_amount(rest):
            return rest, mark
    return text, ""


@text_cache
def split_code_name(text: str) -> tuple[str, str]:
    """("0114", "Upplands Väsby") from "0114 Upplands Väsby"; ("", text) when no code leads."""
    t = collapse(text)
    if CODE_RE.match(t):
        return t, ""
    m = _CODE_NAME_RE.match(t)
    return (m[1], m[2]) if m else ("", t)


@text_cache
def _is_recipient_name(text: str) -> bool:
    """A recipient name is short and carries no sentence punctuation (unlike running text)."""
    t = collapse(text)
    return len(t) <= MAX_NAME_CHARS and not any(ch in t for ch in ",;:.()")


@text_cache
def _is_prose(text: str) -> bool:
    """True for words (three letters or more, not a unit) where an amount should be."""
    return any(len(w) >= 3 and w.isalpha() and w.lower() not in UNIT_SCALE
               for w in _PROSE_SPLIT_RE.split(collapse(text)))


@text_cache
def is_value(text: str) -> bool:
    """True for a printed amount, number or percentage ("2 111", "23,39 %", "12 345*")."""
    text = split_footnote(text)[0]
    return looks_like_amount(text) or _PERCENT_CELL_RE.match(collapse(text)) is not None


def _values(cells: list[str]) -> bool:
    """Numbers only, marks printed instead of some of them ("<5", "..") allowed."""
    return any(is_value(t) for t in cells) and all(is_value(t) or is_mark(t) for t in cells)


@text_cache
def _amount_like(text: str) -> bool:
    return looks_like_amount(split_footnote(text)[0])


def _is_named_row(filled: list[str]) -> bool:
    """A recipient printed by name only ("Skåne län | 52 830 451"): a short name that starts
    with a letter, and nothing but numbers after it."""
    name = filled[0]
    return (name[:1].isalpha() and _is_recipient_name(name) and len(filled) >= 2
            and _values(filled[1:]))


def classify_row(texts: list[str]) -> str:
    """The kind of a printed row: spacer, data, named, total, subtotal, header, title or other.

    "data" rows lead with a code, "named" rows with a recipient name and no code; "total" and
    "subtotal" rows with a label of the vocabulary.
    """
    return _classify_row(tuple(texts))


@text_cache
def _classify_row(texts: tuple[str, ...]) -> str:
    cells = [collapse(t) for t in texts]
    filled = [t for t in cells if t]
    if not filled:
        return "spacer"
    amounts = [t for t in filled[1:] if _amount_like(t) and not CODE_RE.match(t)]
    amounts += [t for t in filled[2:] if CODE_RE.match(t)]
    label_code, label_name = split_code_name(filled[0])
    values = len(filled) >= 2 and _values(filled[1:])
    if (amounts or values) and is_total_label(filled[0]):
        return "total"
    if (amounts or values) and is_subtotal_label(filled[0]):
        return "subtotal"
    rest = filled[1:] if label_name else filled[2:]
    if (amounts and label_code and _is_recipient_name(label_name or (filled + [""])[1])
            and not any(_is_prose(t) for t in rest)):
        return "data"
    if values and not label_code and _is_named_row(filled):
        return "named"
    if any(_amount_like(t) or CODE_RE.match(t) for t in filled):
        return "other"
    if len(filled) == 1 and next(i for i, t in enumerate(cells) if t) <= 1:
        return "title" if len(filled[0]) <= MAX_TITLE_CHARS else "other"
    return "header"
