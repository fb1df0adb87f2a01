"""Geometry of printed PDF tables without ruling lines: words to lines, phrases and table blocks.

The annex PDFs print right-aligned amounts separated by wide gaps. Words (from pdfplumber's
`extract_words`) are grouped into lines by vertical position and into phrases by horizontal
gaps; amounts are cut after their unit. A table starts at the header band right above its
first coded line. Amount columns are anchored on their right edge (x1), clustered over every
line of the table on all its pages; header words are given to the column they sit over and
joined line by line into one measure name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.amounts import UNIT_SCALE, looks_like_amount
from extractors.base import Problem
from extractors.errors import SettingsError
from extractors.grid import TableBlock
from extractors.rows import Cell, GridRow, classify_row, collapse

BBox = tuple[float, float, float, float]

DEFAULT_PHRASE_GAP_EM = 0.6  # a gap wider than this many font sizes separates two cells
DEFAULT_HEADER_GAP_EM = 0.6  # header lines closer than this (white space, in font sizes) join
DEFAULT_ANCHOR_TOLERANCE_PT = 2.5  # right edges within this distance form one amount column
DEFAULT_LINE_TOLERANCE_EM = 0.5  # words whose middles differ by less than this share a line

_DIGITS_RE = re.compile(r"^[\d\-\u2212\u2013,.:]+$")


@dataclass(frozen=True)
class LayoutSettings:
    """Tolerances of the PDF table reconstruction; every field has a DEFAULT_* constant."""

    phrase_gap_em: float = DEFAULT_PHRASE_GAP_EM
    header_gap_em: float = DEFAULT_HEADER_GAP_EM
    anchor_tolerance_pt: float = DEFAULT_ANCHOR_TOLERANCE_PT
    line_tolerance_em: float = DEFAULT_LINE_TOLERANCE_EM

    def __post_init__(self) -> None:
        for name in ("phrase_gap_em", "header_gap_em", "anchor_tolerance_pt", "line_tolerance_em"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive, got {getattr(self, name)!r}")


DEFAULT_LAYOUT = LayoutSettings()


@dataclass
class Phrase:
    """Words printed close together on one line: one cell of a table row."""

    words: list[dict]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def bbox(self) -> BBox:
        return (min(w["x0"] for w in self.words), min(w["top"] for w in self.words),
                max(w["x1"] for w in self.words), max(w["bottom"] for w in self.words))


@dataclass
class Line:
    """Words sharing a baseline on one page, left to right."""

    page: int
    words: list[dict]
    phrases: list[Phrase] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def size(self) -> float:
        return max(w["bottom"] - w["top"] for w in self.words)

    @property
    def text(self) -> str:
        return collapse(" ".join(w["text"] for w in self.words))


def words_to_lines(words: list[dict], page: int, layout: LayoutSettings = DEFAULT_LAYOUT
                   ) -> list[Line]:
    """Words grouped into lines by the vertical middle, lines top to bottom, words left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        size = word["bottom"] - word["top"]
        if lines:
            last = lines[-1]
            if abs(middle - (last.top + last.bottom) / 2) <= layout.line_tolerance_em * size:
                last.words.append(word)
                continue
        lines.append(Line(page, [word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
        line.phrases = line_to_phrases(line, layout)
    return lines


def _kind(text: str) -> str:
    if text.lower() in UNIT_SCALE:
        return "unit"
    if _DIGITS_RE.match(text):
        return "digit"
    # A misprinted digit group ("68O") stays with its amount, to be reported as unparsed.
    letters = sum(ch.isalpha() for ch in text)
    return "digit" if letters <= 1 and any(ch.isdigit() for ch in text) else "alpha"


def line_to_phrases(line: Line, layout: LayoutSettings = DEFAULT_LAYOUT) -> list[Phrase]:
    """Cells of a line: cut at wide gaps, after a unit, and where words turn into digits."""
    phrases: list[Phrase] = []
    prev = None
    for word in line.words:
        kind = _kind(word["text"])
        if prev is not None:
            gap = word["x0"] - prev["x1"]
            prev_kind = _kind(prev["text"])
            new = (
                gap > layout.phrase_gap_em * line.size
                or prev_kind == "unit"
                or (prev_kind == "alpha") != (kind == "alpha") and kind != "unit"
            )
            if not new:
                phrases[-1].words.append(word)
                prev = word
                continue
        phrases.append(Phrase([word]))
        prev = word
    return phrases


def line_kind(line: Line) -> str:
    """data, total, header, title, spacer or other, from the line's phrases."""
    return classify_row([p.text for p in line.phrases])


def amount_phrases(line: Line) -> list[Phrase]:
    """The line's phrases that print amounts (not the leading code)."""
    return [p for i, p in enumerate(line.phrases) if i > 0 and looks_like_amount(p.text)]


@dataclass
class PdfTable:
    """A table found in the page lines: title, header band and body lines (over pages)."""

    title: str
    band: list[Line]
    body: list[Line] = field(default_factory=list)
    closed: bool = False
    stray_header: list[Phrase] = field(default_factory=list)  # header text over no column

    @property
    def band_text(self) -> str:
        return " ".join(line.text for line in self.band)


def _band_above(pending: list[Line], page: int, layout: LayoutSettings) -> tuple[list[Line], str]:
    """The header band (lines packed closely right above a first row) and the title above it."""
    above = [ln for ln in pending if ln.page == page]
    band: list[Line] = []
    for line in reversed(above):
        if band and band[0].top - line.bottom > layout.header_gap_em * line.size:
            break
        band.insert(0, line)
    if sum(len(ln.phrases) for ln in band) < 2:
        return [], ""
    rest = above[: len(above) - len(band)]
    title = ""
    if rest and len(rest[-1].phrases) == 1 and not any(c.isdigit() for c in rest[-1].text):
        title = rest[-1].text
    return band, title


def _anchors(lines: list[Line], tol: float) -> list[float]:
    edges = sorted(p.bbox[2] for ln in lines for p in amount_phrases(ln))
    clusters: list[list[float]] = []
    for x in edges:
        if clusters and x - clusters[-1][-1] <= tol:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    support = 2 if len(lines) >= 3 else 1  # a lone misprinted cell makes no column
    return [max(c) for c in clusters if len(c) >= support]


def lines_to_tables(lines: list[Line], layout: LayoutSettings = DEFAULT_LAYOUT
                    ) -> tuple[list[PdfTable], list[Line]]:
    """Tables found in the document's lines (stitched over pages), and the lines outside them."""
    tables: list[PdfTable] = []
    outside: list[Line] = []
    pending: list[Line] = []
    current: PdfTable | None = None
    for line in lines:
        kind = line_kind(line)
        if kind in ("data", "total"):
            if current is not None and not current.closed:
                pending = _take_broken_rows(pending, line, current, layout)
            band, title = _band_above(pending, line.page, layout)
            band_ids = {id(ln) for ln in band}
            outside.extend(ln for ln in pending if id(ln) not in band_ids)
            pending = []
            text = " ".join(ln.text for ln in band)
            # The same header again continues the table only on a new page (a header repeated
            # on the page of the open table starts another table of the same kind).
            if current is None or current.closed or (band and (
                    text != current.band_text or band[0].page == current.body[-1].page)):
                current = PdfTable(title=title, band=band)
                tables.append(current)
            current.body.append(line)
            current.closed = kind == "total"
        elif kind != "spacer":
            pending.append(line)
    outside.extend(pending)
    return tables, outside


def _take_broken_rows(pending: list[Line], line: Line, table: PdfTable,
                      layout: LayoutSettings) -> list[Line]:
    """Move into the open table the lines that put amounts in its columns but are no row of
    their own: between two rows of a page, or at the top of the next page (a row cut off at
    the page break, under the repeated header). They are reported as unparsed rows; return
    the other pending lines."""
    last = table.body[-1]
    keep = []
    for candidate in pending:
        between = (candidate.page == line.page == last.page and candidate.top > last.bottom
                   and _on_anchor(candidate, table, layout))
        carried = (candidate.page == line.page > last.page
                   and line_kind(candidate) not in ("header", "title")
                   and _on_anchor(candidate, table, layout, first_too=True))
        if between or carried:
            table.body.append(candidate)
        else:
            keep.append(candidate)
    return keep


def _on_anchor(line: Line, table: PdfTable, layout: LayoutSettings,
               first_too: bool = False) -> bool:
    """True when an amount of the line ends on an amount column of the table; the line's first
    phrase counts only with first_too (a continuation line has no code in front)."""
    anchors = _anchors(table.body, layout.anchor_tolerance_pt)
    phrases = [p for p in line.phrases if looks_like_amount(p.text)] if first_too else (
        amount_phrases(line))
    return any(abs(p.bbox[2] - a) <= layout.anchor_tolerance_pt
               for p in phrases for a in anchors)


def _split_on_anchors(phrase: Phrase, anchors: list[float], tol: float) -> list[Phrase]:
    """Cut a phrase that runs over two amount columns at the right edge of the first."""
    parts, current = [], []
    for i, word in enumerate(phrase.words):
        current.append(word)
        nxt = phrase.words[i + 1] if i + 1 < len(phrase.words) else None
        at_edge = any(abs(word["x1"] - a) <= tol for a in anchors)
        if nxt is not None and at_edge and _kind(nxt["text"]) != "unit":
            parts.append(Phrase(current))
            current = []
    parts.append(Phrase(current))
    return parts


def table_to_block(table: PdfTable, layout: LayoutSettings = DEFAULT_LAYOUT) -> TableBlock:
    """A PDF table as a grid: [code, name, amount columns...] with one joined header per column."""
    tol = layout.anchor_tolerance_pt
    anchors = _anchors(table.body, tol)
    rows: list[GridRow] = []
    label_right = 0.0
    for line in table.body:
        cells: list[Cell] = [Cell(""), Cell("")] + [Cell("") for _ in anchors]
        labels: list[Phrase] = []
        extra: list[Phrase] = []
        for index, phrase in enumerate(line.phrases):
            if index == 0 or not (looks_like_amount(phrase.text)
                                  or _kind(phrase.words[0]["text"]) == "digit"):
                labels.append(phrase)
                continue
            for part in _split_on_anchors(phrase, anchors, tol):
                col = _nearest(anchors, part.bbox[2], tol)
                if col is None or cells[2 + col].text:
                    extra.append(part)
                else:
                    cells[2 + col] = Cell(part.text, part.bbox)
        label_texts = [p.text for p in labels]
        broken = line_kind(line) not in ("data", "total")
        if labels and not broken and _DIGITS_RE.match(label_texts[0]):
            cells[0] = Cell(label_texts[0], labels[0].bbox)
            cells[1] = Cell(" ".join(label_texts[1:]))
            label_right = max([label_right] + [p.bbox[2] for p in labels[1:]])
        else:
            cells[1] = Cell(" ".join(label_texts))
            if not broken:
                label_right = max([label_right] + [p.bbox[2] for p in labels])
        cells += [Cell(p.text, p.bbox) for p in extra]  # outside every column: reported later
        rows.append(GridRow(cells, page=line.page))
    header, table.stray_header = _join_band(table.band, anchors, label_right, layout)
    return TableBlock(title=table.title, header=header, rows=rows, closed=table.closed)


def _nearest(anchors: list[float], x1: float, tol: float) -> int | None:
    best = min(range(len(anchors)), key=lambda i: abs(anchors[i] - x1), default=None)
    if best is None or abs(anchors[best] - x1) > tol:
        return None
    return best


def _join_band(band: list[Line], anchors: list[float], label_right: float,
               layout: LayoutSettings = DEFAULT_LAYOUT) -> tuple[list[str], list[Phrase]]:
    """One header text per grid column (label headers go to the code/name columns), and the
    header text that sits over no column: right of the last one, or a second, separate phrase
    over a column on one line (its own column has no amounts)."""
    tol = layout.anchor_tolerance_pt
    parts: list[list[str]] = [[] for _ in range(2 + len(anchors))]
    stray: list[Phrase] = []
    for line in band:
        groups: dict[int, list[list[dict]]] = {}
        for group in _gap_groups(line, layout):
            for word in group:
                centre = (word["x0"] + word["x1"]) / 2
                if centre <= label_right or not anchors:
                    parts[0 if not parts[0] and not parts[1] else 1].append(word["text"])
                    continue
                col = next((2 + i for i, a in enumerate(anchors) if centre <= a + tol), None)
                if col is None:
                    stray.append(Phrase([word]))
                    continue
                col_groups = groups.setdefault(col, [])
                if not col_groups or col_groups[-1] is not group:
                    col_groups.append(group)
        for col, col_groups in groups.items():
            anchor = anchors[col - 2]
            kept = min(col_groups, key=lambda g: abs(g[-1]["x1"] - anchor))
            for group in col_groups:
                words = [w for w in group if _column_of(w, anchors, tol) == col]
                if group is kept:
                    parts[col].extend(w["text"] for w in words)
                else:
                    stray.append(Phrase(words))
    return [collapse(" ".join(p)) for p in parts], _merge_stray(stray)


def _column_of(word: dict, anchors: list[float], tol: float) -> int | None:
    centre = (word["x0"] + word["x1"]) / 2
    return next((2 + i for i, a in enumerate(anchors) if centre <= a + tol), None)


def _gap_groups(line: Line, layout: LayoutSettings) -> list[list[dict]]:
    """The line's words cut only at wide gaps (a header cell may mix words and digits)."""
    groups: list[list[dict]] = []
    for word in line.words:
        if groups and word["x0"] - groups[-1][-1]["x1"] <= layout.phrase_gap_em * line.size:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _merge_stray(stray: list[Phrase]) -> list[Phrase]:
    """Stray header words of one line and gap group joined into phrases, left to right."""
    merged: list[Phrase] = []
    for phrase in sorted(stray, key=lambda p: (p.bbox[1], p.bbox[0])):
        last = merged[-1] if merged else None
        if last is not None and abs(last.bbox[1] - phrase.bbox[1]) < 1 and (
                phrase.bbox[0] - last.bbox[2] < 2 * (phrase.bbox[3] - phrase.bbox[1])):
            last.words.extend(phrase.words)
        else:
            merged.append(Phrase(list(phrase.words)))
    return merged


def table_problems(table: PdfTable, kind: str | None, source_file: str) -> list[Problem]:
    """Problems of a table's geometry: header text printed over no column of amounts."""
    page = table.band[0].page if table.band else None
    return [Problem(
        "unplaced_header", f"The header text '{p.text}' is printed over no column of amounts; "
        "the columns do not line up with the header, so check which amounts it names.",
        source_file, page=page, table=kind, observed_text=p.text, bbox=p.bbox)
        for p in table.stray_header]
