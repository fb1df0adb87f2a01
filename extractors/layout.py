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

from extractors.amounts import looks_like_amount
from extractors.base import LayoutSettings, Problem
from extractors.blocks import ROW_KINDS, table_to_block
from extractors.cells import Frame, group_lines, numeric
from extractors.furniture import furniture
from extractors.lines import (
    DEFAULT_LAYOUT,
    Line,
    Phrase,
    amount_phrases,
    code_or_year,
    line_kind,
    line_to_phrases,
    word_kind,
    words_to_lines,
)
from extractors.pdf_table import CONTINUATION_MARKS, PdfTable, without_continuation
from extractors.rows import CODE_RE, MAX_NAME_CHARS, collapse, split_code_name
from extractors.varav import is_part_row

__all__ = ["DEFAULT_LAYOUT", "CONTINUATION_MARKS", "LayoutSettings", "Line", "PdfTable",
           "Phrase", "line_kind", "line_to_phrases", "lines_to_tables", "table_problems",
           "table_to_block", "words_to_lines"]

def _lead_pieces(pending: list[Line], row: Line, layout: LayoutSettings) -> list[Line]:
    """The lines right above a table's first row that are rows or pieces of rows, never its
    header: packed onto the row, each overlapping the line below it (a cell centred on a tall
    row prints its first line above the row's other cells), or printing a code where the row
    prints its code or amounts (grouped, not a bare year) on the row's amount edges, with the
    name pieces between such lines (a first row whose cells are centred on its wrapped name:
    "0114 Upplands" / "475 568 kr" / "Väsby")."""
    if not pending or pending[-1].page != row.page:
        return []  # nothing right above the row on its page
    tol = layout.anchor_tolerance_pt
    amounts = [p.bbox for p in row.phrases[1:] if looks_like_amount(p.text)]
    limit = min((b[0] for b in amounts), default=float("inf")) - tol
    first = row.phrases[0].bbox if row.phrases else None

    def anchor(line: Line) -> bool:
        if line_kind(row) == "data" and coded(line):
            return True
        return any(looks_like_amount(p.text) and not code_or_year(p, first, tol) and any(
            abs(p.bbox[2] - b[2]) <= tol or abs(p.bbox[0] - b[0]) <= tol for b in amounts)
            for p in line.phrases)

    def piece(line: Line) -> bool:
        return all(p.bbox[2] <= limit or all(word_kind(w) in ("digit", "unit")
                                             for w in p.text.split()) for p in line.phrases)

    def coded(line: Line) -> bool:
        head = line.phrases[0]
        return first is not None and CODE_RE.match(head.text) is not None and \
            abs(head.bbox[0] - first[0]) <= tol

    run: list[tuple[Line, bool]] = []
    codes = 0
    for line in reversed(pending):
        below = run[0][0] if run else row
        overlaps = line.bottom > below.top
        if line.page != row.page or line.top >= below.top or not line.phrases or not (
                overlaps or _packed(line, below, layout) and (anchor(line) or piece(line))):
            break
        codes += coded(line)
        labelled = any(p.bbox[2] <= limit and not numeric(p.text) for p in line.phrases)
        if codes > 1 or labelled and any(p.bbox[2] > limit and looks_like_amount(p.text)
                                         for p in line.phrases):
            break  # a row of its own (a label and amounts): the first row is below it
        run.insert(0, (line, overlaps or anchor(line)))
    while run and not run[0][1]:  # a name line above every code and amount: the header's
        run.pop(0)
    return [line for line, _ in run]


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
    """True when a header band stands over a row by name: a header cell over the name (or
    left of every amount: a header centred over a column of names, the first of them short),
    one for each amount right of it (a spare one at most), none reaching from the name to an
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
    labels = [h for h in heads if h[0] <= name[2] or h[2] < amounts[0][0]]
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
    return bool(labels) and len(amounts) <= len(cells) <= len(amounts) + 1


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
    if band[0].page == current.last_row().page:
        return True  # a header repeated on the open table's own page
    if title is not None and id(title) not in skip and current.title and (
            without_continuation(title.text) != without_continuation(current.title)):
        return True
    return _row_label(line) in current.labels


def lines_to_tables(lines: list[Line], layout: LayoutSettings = DEFAULT_LAYOUT,
                    skip: set[int] | None = None) -> tuple[list[PdfTable], list[Line]]:
    """Tables found in the document's lines (stitched over pages), and the lines outside them;
    ``skip``: the ids of the page furniture among them, when the caller found it already."""
    tables: list[PdfTable] = []
    outside: list[Line] = []
    pending: list[Line] = []
    current: PdfTable | None = None
    skip = furniture(lines, layout) if skip is None else skip
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
        if kind == "data" and current is not None and _wraps_row(line, current, layout) and \
                not _code_in_place(line, current, layout):
            kind = "other"  # a wrapped cell that starts with digits ("000 kr"): no code
        if kind not in ROW_KINDS:
            if kind != "furniture" and current is not None and _wraps_row(line, current, layout):
                current.body.append(line)  # a cell of the row above goes on in this line
            elif kind != "spacer":
                pending.append(line)
            continue
        if current is not None and not current.closed:
            pending = _take_broken_rows(pending, line, current, layout, skip)
        lead = _lead_pieces(pending, line, layout)
        pending = pending[: len(pending) - len(lead)]
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
        current.body.extend(lead)
        current.body.append(line)
        current.labels.add(_row_label(line))
        current.closed = kind == "total"
    outside.extend(pending)
    for table in tables:
        outside.extend(_cut_rows(table, layout))
    return tables, outside


def _cut_rows(table: PdfTable, layout: LayoutSettings) -> list[Line]:
    """Cut the table's body into rows (extractors/cells.py); return the lines that belong to
    no row and print no money (they go back to the text)."""
    table.body.sort(key=lambda ln: (ln.page, ln.top))
    frame = table.frame(layout.anchor_tolerance_pt)
    groups = group_lines(table.body, frame, layout)
    loose = [g for g in groups if not any(p.head or p.money for p in g)]
    loose_ids = {id(g) for g in loose}
    table.groups = [g for g in groups if id(g) not in loose_ids]
    kept = {id(p.line) for g in table.groups for p in g}
    body = [ln for ln in table.body if id(ln) in kept]
    if len(body) < len(table.body):
        table.body = body
        table.forget_columns()
    return [p.line for g in loose for p in g]


def _total_first(table: PdfTable) -> bool:
    """True for a table whose only rows so far are total rows: its total printed first, the
    recipients follow under no header of their own."""
    rows = table.rows
    return bool(rows) and all(line_kind(ln) == "total" for ln in rows)


def _take_broken_rows(pending: list[Line], line: Line, table: PdfTable,
                      layout: LayoutSettings, skip: set[int]) -> list[Line]:
    """Move into the open table the lines that put amounts in its columns but are no row of
    their own: between two rows of a page, or at the top of the next page (a row cut off at
    the page break, under the repeated header); return the other pending lines."""
    last = table.last_row()
    packed = _packed_pieces(pending, line, table, layout, skip)
    keep = []
    for candidate in pending:
        if id(candidate) in skip:
            keep.append(candidate)
            continue
        between = (candidate.page == line.page == last.page and candidate.top > last.top
                   and (_on_column(candidate, table, layout) or id(candidate) in packed))
        carried = candidate.page == line.page > last.page and (
            id(candidate) in packed or line_kind(candidate) not in ("header", "title")
            and _on_column(candidate, table, layout, first_too=True))
        if between or carried:
            table.body.append(candidate)
        else:
            keep.append(candidate)
    return keep


def _packed_pieces(pending: list[Line], line: Line, table: PdfTable, layout: LayoutSettings,
                   skip: set[int]) -> set[int]:
    """ids of the pending lines between the table's last line and a new row (on its page, or
    at the top of the next page) that can only be pieces of rows (`is_fragment`) and are
    packed onto one of the two, line by line."""
    frames = []  # the table's frame, made only when a line is packed (a column search each)

    def fragment(ln: Line) -> bool:
        if not frames:
            frames.append(table.frame(layout.anchor_tolerance_pt))
        return is_fragment(ln, frames[0])

    last = table.body[-1]
    header = {ln.text for ln in table.band}  # a unit line of the header is no piece
    between = [ln for ln in pending if ln.page == line.page and id(ln) not in skip
               and (line.page > last.page or ln.top > last.top) and ln.text not in header]
    out: set[int] = set()
    above = last
    for ln in between if line.page == last.page else []:  # down from the table's last line
        if not (_packed(above, ln, layout) and fragment(ln)):
            break
        out.add(id(ln))
        above = ln
    below = line
    for ln in reversed(between):  # up from the new row
        if not (_packed(ln, below, layout) and fragment(ln)):
            break
        out.add(id(ln))
        below = ln
    return out


def _code_in_place(line: Line, table: PdfTable, layout: LayoutSettings) -> bool:
    """True when the line's first phrase stands where the table prints its codes."""
    codes = table.frame(layout.anchor_tolerance_pt).codes
    return codes is None or codes[0] <= line.phrases[0].bbox[0] <= codes[1]


def _packed(above: Line, below: Line, layout: LayoutSettings) -> bool:
    """True when a line starts right under another (or overlaps it), as lines of one cell."""
    return below.top > above.top and below.top - above.bottom <= layout.wrap_gap_em * below.size


def _wraps_row(line: Line, table: PdfTable, layout: LayoutSettings) -> bool:
    """True for a line right under the table's last line that puts amounts in its columns or
    can only be the piece of a row (a name or a unit wrapped onto the cell's next line)."""
    last = table.body[-1]
    return line.page == last.page and _packed(last, line, layout) and (
        _on_column(line, table, layout, first_too=True)
        or is_fragment(line, table.frame(layout.anchor_tolerance_pt)))


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


def is_fragment(line: Line, frame: Frame) -> bool:
    """True for a line that can only be the piece of a row: numbers and units in the amount
    columns, a short name piece where the labels are, nothing else (no sentence, no header)."""
    if not line.phrases:
        return False
    for phrase in line.phrases:
        text = phrase.text
        if numeric(text):
            if phrase.bbox[2] <= frame.label_limit and not looks_like_amount(text):
                return False
            continue
        if phrase.bbox[2] > frame.label_limit + frame.columns.tol:
            return False
        # a raised footnote mark ("Götaland¹") is no digit of the text: '¹'.isdigit() is True
        if len(text) > MAX_NAME_CHARS or any(ch in ",;:.()" or ch.isdecimal() for ch in text):
            return False
    return True
