"""A PDF table's rows of cells from the rows extractors/cells.py cut its lines into: the code,
the name (its lines joined as a name wraps, `join_name`) and one cell per amount column (its
lines joined as a number wraps, `join_amount`), each with the box it is printed in.
"""

from __future__ import annotations

from extractors.cells import (
    CODE,
    NAME,
    Piece,
    Placed,
    cells_by_column,
    join_amount,
    join_name,
    line_texts,
)
from extractors.rows import Cell, GridRow


def _bbox(pieces: list[Piece]) -> tuple[float, float, float, float] | None:
    if len(pieces) == 1:
        return pieces[0].phrase.bbox
    boxes = [p.phrase.bbox for p in pieces]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def groups_to_rows(groups: list[list[Placed]], width: int, vocab: frozenset[str]
                   ) -> tuple[list[GridRow], float]:
    """Grid rows [code, name, amounts...] (and text right of every column at the end) of the
    rows found, and the right edge of the labels of the rows' heads."""
    label_pieces = [p for g in groups for pl in g for p in pl.pieces if p.col in (CODE, NAME)]
    right = max((p.phrase.bbox[2] for p in label_pieces), default=0.0)
    left = min((p.phrase.bbox[0] for p in label_pieces), default=0.0)
    names = frozenset(w["text"].casefold() for g in groups if len(g) == 1 for p in g[0].pieces
                      if p.col == NAME for w in p.phrase.words)
    rows = [_row(group, width, vocab, (right, left, names)) for group in groups]
    label_right = max((p.phrase.bbox[2] for g in groups for pl in g if pl.head
                       for p in pl.pieces if p.col in (CODE, NAME)), default=0.0)
    return rows, label_right


_EMPTY = Cell("")  # a cell nothing is printed in (frozen: one for every such cell)


def _row(group: list[Placed], width: int, vocab: frozenset[str],
         label: tuple[float, float, frozenset[str]]) -> GridRow:
    cells_by = cells_by_column(group)
    page = group[0].line.page
    on_page = {id(p) for pl in group if pl.line.page == page for p in pl.pieces} if any(
        pl.line.page != page for pl in group) else None  # None: the row is on one page
    cells = [_EMPTY] * (2 + width)
    code = cells_by.get(CODE, [])
    if code:
        cells[0] = Cell(" ".join(line_texts(code)), _bbox(code))
    names = cells_by.get(NAME, [])
    if names:
        by_line: list[list[dict]] = []
        last_top = None
        for piece in names:
            if last_top is not None and abs(piece.phrase.bbox[1] - last_top) < 1:
                by_line[-1].extend(piece.phrase.words)
            else:
                by_line.append(list(piece.phrase.words))
            last_top = piece.phrase.bbox[1]
        cells[1] = Cell(join_name(by_line, vocab, *label))
    for col in range(width):
        pieces = cells_by.get(col, [])
        if pieces:
            shown = pieces
            if on_page is not None:  # a row cut at a page break: its box on its first page
                shown = [p for p in pieces if id(p) in on_page] or pieces
            cells[2 + col] = Cell(join_amount(line_texts(pieces)), _bbox(shown))
    cells += [Cell(p.phrase.text, p.phrase.bbox) for p in cells_by.get(None, [])]
    return GridRow(cells, page=page)
