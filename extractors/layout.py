"""Tables in the lines of a PDF: where a table starts, continues over pages and ends.

A table starts at the header band right above its first recipient row (a coded row, or a row
by name under a header). It continues on the next page under its repeated header (compared
after removing "(forts.)"), unless there is evidence of another table: a header printed on the
open table's own page, a new title, a first row whose code or name the open table already has,
or a total row that closed it. Page furniture (extractors/furniture.py) takes no part in this.
Lines that put amounts in the open table's columns but are no row of their own (a cell wrapped
onto a second line, a row cut off at a page break) join the table; `table_to_block`
(extractors/blocks.py) merges them into their row when their cells complete it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.amounts import looks_like_amount
from extractors.base import LayoutSettings, Problem
from extractors.blocks import ROW_KINDS, table_to_block
from extractors.columns import Columns, find_columns
from extractors.furniture import furniture
from extractors.lines import (
    DEFAULT_LAYOUT,
    Line,
    Phrase,
    amount_phrases,
    line_kind,
    line_to_phrases,
    words_to_lines,
)
from extractors.rows import collapse, split_code_name
from extractors.varav import is_part_row

__all__ = ["DEFAULT_LAYOUT", "CONTINUATION_MARKS", "LayoutSettings", "Line", "PdfTable",
           "Phrase", "line_kind", "line_to_phrases", "lines_to_tables", "table_problems",
           "table_to_block", "words_to_lines"]

# How a repeated header or title says the table goes on from the previous page.
CONTINUATION_MARKS = ("(forts.)", "(forts)", "forts.", "(fortsättning)", "fortsättning",
                      "(cont.)", "(continued)")
_MARKS_RE = re.compile("|".join(re.escape(m) for m in CONTINUATION_MARKS), re.IGNORECASE)


def without_continuation(text: str) -> str:
    """Text with every continuation mark removed, whitespace collapsed, case-folded."""
    return collapse(_MARKS_RE.sub(" ", text)).casefold()


@dataclass
class PdfTable:
    """A table found in the page lines: title, header band and body lines (over pages)."""

    title: str
    band: list[Line]
    body: list[Line] = field(default_factory=list)
    closed: bool = False
    stray_header: list[Phrase] = field(default_factory=list)  # header text over no column
    labels: set[str] = field(default_factory=set)  # codes (or names) of its rows so far
    named: bool = False  # its rows print names without codes
    repeats: list[list[Line]] = field(default_factory=list)  # its header repeated on later pages
    _columns: tuple[int, Columns] | None = field(default=None, repr=False)

    def columns(self, tol: float) -> Columns:
        """The amount columns of its body so far (found again only when the body grew)."""
        if self._columns is None or self._columns[0] != len(self.body):
            self._columns = (len(self.body), find_columns(self.body, tol))
        return self._columns[1]

    @property
    def row_kinds(self) -> tuple[str, ...]:
        """The line kinds that are rows of their own in this table (a table of codes takes a
        line by name for a piece of the row above)."""
        return ("named", "total", "subtotal") if self.named else ("data", "total", "subtotal")

    @property
    def rows(self) -> list[Line]:
        """Its body lines that are rows of their own (not wrapped or cut-off pieces)."""
        return [ln for ln in self.body if line_kind(ln) in self.row_kinds]

    @property
    def band_text(self) -> str:
        return " ".join(line.text for line in self.band)


def _band_above(pending: list[Line], page: int, layout: LayoutSettings, skip: set[int]
                ) -> tuple[list[Line], Line | None]:
    """The header band (lines packed closely right above a first row) and the title line
    above it; page furniture is neither. A band or title left at the foot of the page before
    (the row is the first thing on its page, or the band is) is the row's too: a heading a
    renderer did not keep with its table."""
    above = [ln for ln in pending if ln.page == page]
    foot = [ln for ln in pending if ln.page == page - 1 and id(ln) not in skip]
    from_foot = all(id(ln) in skip for ln in above)
    if from_foot:
        above = foot
    band: list[Line] = []
    for line in reversed(above):
        if id(line) in skip or (
                band and band[0].top - line.bottom > layout.header_gap_em * line.size):
            break
        band.insert(0, line)
    if sum(len(ln.phrases) for ln in band) < 2 or (
            from_foot and not any(line_kind(ln) == "header" for ln in band)):
        return [], None
    rest = above[: len(above) - len(band)] or (foot if band and band[0].page == page else [])
    if rest and len(rest[-1].phrases) == 1 and not any(c.isdigit() for c in rest[-1].text):
        return band, rest[-1]
    return band, None


def _heads(band: list[Line], row: Line) -> bool:
    """True when a header band stands over a row by name: a header cell over the name, one
    for each amount right of it (a spare one at most), none reaching from the name to an
    amount (as running text above a line does)."""
    if not any(line_kind(ln) == "header" for ln in band) or len(row.phrases) < 2:
        return False
    name = row.phrases[0].bbox
    heads = [h.bbox for ln in band for h in ln.phrases]

    def over(h: tuple, box: tuple) -> bool:
        return min(h[2], box[2]) - max(h[0], box[0]) > 0

    amounts = [p.bbox for p in row.phrases[1:]]
    if any(over(h, name) and any(over(h, a) for a in amounts) for h in heads):
        return False
    by_line = [[h.bbox for h in ln.phrases] for ln in band]
    # a group header over two header cells of one line stands over no amount of its own
    right = sorted((h for hs in by_line for h in hs
                    if not over(h, name) and h[0] > name[0]
                    and not any(sum(over(h, o) for o in other) >= 2
                                for other in by_line if h not in other)),
                   key=lambda h: h[0])
    cells: list[list[float]] = []  # header phrases over one another make one header cell
    for h in right:
        if cells and h[0] < cells[-1][1]:
            cells[-1][1] = max(cells[-1][1], h[2])
        else:
            cells.append([h[0], h[2]])
    return any(h[0] <= name[2] for h in heads) and len(amounts) <= len(cells) <= (
        len(amounts) + 1)


def _row_label(line: Line) -> str:
    first = line.phrases[0].text if line.phrases else ""
    code, name = split_code_name(first)
    return code or collapse(name).casefold()


def _another_table(current: PdfTable, band: list[Line], title: Line | None, line: Line,
                   skip: set[int]) -> bool:
    """True when the band and first row under it start a new table rather than continue."""
    if without_continuation(" ".join(ln.text for ln in band)) != without_continuation(
            current.band_text):
        return True
    if band[0].page == current.rows[-1].page:
        return True  # a header repeated on the open table's own page
    if title is not None and id(title) not in skip and current.title and (
            without_continuation(title.text) != without_continuation(current.title)):
        return True
    return _row_label(line) in current.labels


def lines_to_tables(lines: list[Line], layout: LayoutSettings = DEFAULT_LAYOUT
                    ) -> tuple[list[PdfTable], list[Line]]:
    """Tables found in the document's lines (stitched over pages), and the lines outside them."""
    tables: list[PdfTable] = []
    outside: list[Line] = []
    pending: list[Line] = []
    current: PdfTable | None = None
    skip = furniture(lines, layout)
    for line in lines:
        kind = line_kind(line) if id(line) not in skip else "furniture"
        open_table = current is not None and not current.closed
        if current is not None and not pending and kind != "furniture" and \
                line.page == current.body[-1].page and is_part_row([p.text for p in line.phrases]):
            current.body.append(line)  # "varav …" right under a row: a part of it (varav.py)
            continue
        if kind == "named":  # a row by name: in a table of names, or right under a header
            names_table = open_table and current.named
            band = _band_above(pending, line.page, layout, skip)[0]
            if not (names_table or band and _heads(band, line)):
                kind = "other"
        if kind not in ROW_KINDS:
            if kind != "furniture" and current is not None and _wraps_row(line, current, layout):
                current.body.append(line)  # a cell of the row above goes on in this line
            elif kind != "spacer":
                pending.append(line)
            continue
        if current is not None and not current.closed:
            pending = _take_broken_rows(pending, line, current, layout, skip)
        band, title = _band_above(pending, line.page, layout, skip)
        band_ids = {id(ln) for ln in band}
        outside.extend(ln for ln in pending if id(ln) not in band_ids)
        pending = []
        if current is None or (current.closed and (band or not _total_first(current))) or (
                band and _another_table(current, band, title, line, skip)) or (
                current.body[-1].side != line.side):  # lists side by side: a piece each
            current = PdfTable(title=title.text if title else "", band=band,
                               named=kind == "named")
            tables.append(current)
        elif band:
            current.repeats.append(band)
        current.body.append(line)
        current.labels.add(_row_label(line))
        current.closed = kind == "total"
    outside.extend(pending)
    return tables, outside


def _total_first(table: PdfTable) -> bool:
    """True for a table whose only rows so far are total rows: its total printed first, the
    recipients follow under no header of their own."""
    return bool(table.rows) and all(line_kind(ln) == "total" for ln in table.rows)


def _take_broken_rows(pending: list[Line], line: Line, table: PdfTable,
                      layout: LayoutSettings, skip: set[int]) -> list[Line]:
    """Move into the open table the lines that put amounts in its columns but are no row of
    their own: between two rows of a page, or at the top of the next page (a row cut off at
    the page break, under the repeated header); return the other pending lines."""
    last = table.rows[-1]
    keep = []
    for candidate in pending:
        if id(candidate) in skip:
            keep.append(candidate)
            continue
        between = (candidate.page == line.page == last.page and candidate.top > last.bottom
                   and _on_column(candidate, table, layout))
        carried = (candidate.page == line.page > last.page
                   and line_kind(candidate) not in ("header", "title")
                   and _on_column(candidate, table, layout, first_too=True))
        if between or carried:
            table.body.append(candidate)
        else:
            keep.append(candidate)
    return keep


def _wraps_row(line: Line, table: PdfTable, layout: LayoutSettings) -> bool:
    """True for a line right under the table's last line that puts amounts in its columns."""
    last = table.body[-1]
    return (line.page == last.page and 0 <= line.top - last.bottom <= layout.wrap_gap_em * line.size
            and _on_column(line, table, layout, first_too=True))


def _on_column(line: Line, table: PdfTable, layout: LayoutSettings,
               first_too: bool = False) -> bool:
    """True when an amount of the line lines up with an amount column of the table; the line's
    first phrase counts only with first_too (a continuation line has no code in front)."""
    columns = table.columns(layout.anchor_tolerance_pt)
    phrases = [p for p in line.phrases if looks_like_amount(p.text)] if first_too else (
        amount_phrases(line))
    return any(columns.of(p.bbox) is not None for p in phrases)


def table_problems(table: PdfTable, kind: str | None, source_file: str) -> list[Problem]:
    """Problems of a table's geometry: header text printed over no column of amounts."""
    page = table.band[0].page if table.band else None
    return [Problem(
        "unplaced_header", f"The header text '{p.text}' is printed over no column of amounts; "
        "the columns do not line up with the header, so check which amounts it names.",
        source_file, page=page, table=kind, observed_text=p.text, bbox=p.bbox)
        for p in table.stray_header]
