"""Words of a PDF page as lines and phrases: the units the table finder works on.

Words (from pdfplumber's `extract_words`) are grouped into lines by vertical position and into
phrases by horizontal gaps; amounts are cut after their unit and where words turn into digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.amounts import UNIT_SCALE, looks_like_amount, text_cache
from extractors.base import LayoutSettings
from extractors.rows import CODE_RE, classify_row, collapse

BBox = tuple[float, float, float, float]

DIGITS_RE = re.compile(r"^[\d\-\u2212\u2013,.:]+$")
DEFAULT_LAYOUT = LayoutSettings()
# Two cells of a header line may stand closer than phrase_gap_em (narrow columns, little
# padding) but never as close as two words of one cell: a gap of cell_gap_spaces times the
# page's own word space separates cells, once the page shows enough word spaces to tell
# (between words with letters; digit groups may be set with thin spaces).
DEFAULT_MIN_SPACE_SAMPLES = 3


def _remembered(name: str, compute) -> property:
    """A value of the owner's words, computed again only when they changed: kept with the
    words list it came from and its length. Words are only ever added to these lists (a
    line's while it is grouped, a stray header phrase's as it is merged), never replaced or
    edited, and a line's are sorted before anything reads them (`words_to_lines`)."""

    def get(owner):
        words = owner.words
        kept = owner._kept.get(name)
        if kept is not None and kept[0] is words and kept[1] == len(words):
            return kept[2]
        value = compute(words)
        owner._kept[name] = (words, len(words), value)
        return value

    return property(get)


def words_box(words: list[dict]) -> BBox:
    """The box around words: leftmost x0, highest top, rightmost x1, lowest bottom."""
    return (min(w["x0"] for w in words), min(w["top"] for w in words),
            max(w["x1"] for w in words), max(w["bottom"] for w in words))


def _joined(words: list[dict]) -> str:
    return " ".join(w["text"] for w in words)


def _top(words: list[dict]) -> float:
    return min(w["top"] for w in words)


def _bottom(words: list[dict]) -> float:
    return max(w["bottom"] for w in words)


def _size(words: list[dict]) -> float:
    return max(w["bottom"] - w["top"] for w in words)


def _line_text(words: list[dict]) -> str:
    return collapse(" ".join(w["text"] for w in words))


@dataclass
class Phrase:
    """Words printed close together on one line: one cell of a table row."""

    words: list[dict]
    _kept: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    text = _remembered("text", _joined)
    bbox = _remembered("bbox", words_box)


@dataclass
class Line:
    """Words sharing a baseline on one page, left to right."""

    page: int
    words: list[dict]
    phrases: list[Phrase] = field(default_factory=list)
    kind: str | None = field(default=None, repr=False, compare=False)  # line_kind, once
    space: float | None = field(default=None, repr=False, compare=False)  # the page's word
    # space for this line's font size, when the page shows enough of them
    side: int = 0  # the list it is part of where lists stand side by side (side_by_side.py)
    _kept: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    top = _remembered("top", _top)
    bottom = _remembered("bottom", _bottom)
    size = _remembered("size", _size)
    text = _remembered("text", _line_text)


def words_to_lines(words: list[dict], page: int, layout: LayoutSettings = DEFAULT_LAYOUT
                   ) -> list[Line]:
    """Words grouped into lines by the vertical middle, lines top to bottom, words left to right."""
    lines: list[Line] = []
    tolerance = layout.line_tolerance_em
    top = bottom = 0.0  # the last line's, kept as its words come (min and max as they pick)
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        word_top, word_bottom = word["top"], word["bottom"]
        if lines and abs((word_top + word_bottom) / 2 - (top + bottom) / 2) <= tolerance * (
                word_bottom - word_top):
            lines[-1].words.append(word)
            if word_top < top:
                top = word_top
            if word_bottom > bottom:
                bottom = word_bottom
            continue
        lines.append(Line(page, [word]))
        top, bottom = word_top, word_bottom
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
        line._kept.clear()  # the order changed: the text with it
        line.phrases = line_to_phrases(line, layout)
    _set_spaces(lines, layout)
    return lines


def _set_spaces(lines: list[Line], layout: LayoutSettings) -> None:
    """Give each line the median gap between words with letters on lines of its font size."""
    gaps: dict[float, list[float]] = {}
    for line in lines:
        wide = layout.phrase_gap_em * line.size
        for a, b in zip(line.words, line.words[1:], strict=False):
            gap = b["x0"] - a["x1"]
            if 0 < gap < wide and _letters(a["text"]) and _letters(b["text"]):
                gaps.setdefault(round(line.size), []).append(gap)
    for line in lines:
        found = sorted(gaps.get(round(line.size), []))
        if len(found) >= DEFAULT_MIN_SPACE_SAMPLES:
            line.space = found[len(found) // 2]


def _letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


@text_cache
def word_kind(text: str) -> str:
    """unit, digit or alpha: what a printed word is, for cutting lines into cells."""
    if text.lower() in UNIT_SCALE:
        return "unit"
    if DIGITS_RE.match(text):
        return "digit"
    # A misprinted digit group ("68O") stays with its amount, to be reported as unparsed.
    letters = sum(ch.isalpha() for ch in text)
    return "digit" if letters <= 1 and any(ch.isdigit() for ch in text) else "alpha"


def line_to_phrases(line: Line, layout: LayoutSettings = DEFAULT_LAYOUT) -> list[Phrase]:
    """Cells of a line: cut at wide gaps, after a unit (unless the unit opens the cell, as
    "SEK 129,530,375" does), and where words turn into digits."""
    phrases: list[Phrase] = []
    prev = prev_kind = None
    wide = layout.phrase_gap_em * line.size if line.words else 0.0
    for word in line.words:
        kind = word_kind(word["text"])
        if prev is not None:
            gap = word["x0"] - prev["x1"]
            new = (
                gap > wide
                or prev_kind == "unit" and not (len(phrases[-1].words) == 1 and kind == "digit")
                or (prev_kind == "alpha") != (kind == "alpha") and kind != "unit"
            )
            if not new:
                phrases[-1].words.append(word)
                prev, prev_kind = word, kind
                continue
        phrases.append(Phrase([word]))
        prev, prev_kind = word, kind
    return phrases


def gap_groups(line: Line, layout: LayoutSettings = DEFAULT_LAYOUT) -> list[list[dict]]:
    """The line's words cut only at gaps wider than a word space (a header cell may mix words
    and digits): wider than phrase_gap_em, or than cell_gap_spaces of the page's own word
    spaces."""
    groups: list[list[dict]] = []
    wide = layout.phrase_gap_em * line.size if line.words else 0.0
    if line.space is not None:
        wide = min(wide, layout.cell_gap_spaces * line.space)
    for word in line.words:
        if groups and word["x0"] - groups[-1][-1]["x1"] <= wide:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def line_kind(line: Line) -> str:
    """data, named, total, header, title, spacer or other, from the line's phrases."""
    if line.kind is None:
        line.kind = classify_row([p.text for p in line.phrases])
    return line.kind


def amount_phrases(line: Line) -> list[Phrase]:
    """The line's phrases that print amounts (not the leading code or name)."""
    return [p for i, p in enumerate(line.phrases) if i > 0 and looks_like_amount(p.text)]


_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def code_or_year(phrase: Phrase, first: BBox | None, tol: float) -> bool:
    """A bare number that may be a code (where the row prints its code) or a year (a header
    over an amount column): no wrapped piece of an amount. A short group on an amount edge
    elsewhere ("58" over "558" / "036") is the first line of a cell centred on a tall row."""
    if not CODE_RE.match(phrase.text):
        return False
    return bool(_YEAR_RE.match(phrase.text)) or first is None or abs(
        phrase.bbox[0] - first[0]) <= tol or phrase.bbox[2] <= first[2] + tol
