"""Tables printed one cell per paragraph or line: a grid flattened by its exporter.

A table laid out without table markup (a web page's CSS grid) comes out of other exporters as
one paragraph per cell: LibreOffice Writer saves such a page as a DOCX of paragraphs and as a
text file of lines, "Länskod", "Län", …, "01", "Stockholm", "38 729 708", …; copying a grid
from a browser into Word does the same. Read as paragraphs, the amounts were printed but never
checked. In a run of one-cell paragraphs, a table is found where the cells say so themselves
(extractors/div_tables.py): a header (texts, perhaps years; no money), then rows of the same
width whose columns each keep one kind of cell, money in a column beside names or codes, two
rows or more. The width is
the smallest that reads so. An empty cell prints no paragraph; the one such row read is a total
row whose code cell was empty ("Riket", then its amounts): its label stands where the name
column is and the code column is left empty.
"""

from __future__ import annotations

from itertools import accumulate

from extractors.div_tables import (
    MAX_COLUMNS,
    MIN_BODY_ROWS,
    cell_kind,
    is_table,
    money_cell,
)
from extractors.rows import CODE_RE, Cell, GridRow, is_total_label


class FlatCells:
    """A run of cells, each classified once: its kinds, and running counts of the money cells
    and text cells, so that what a window of cells holds is known without reading it again
    (a run may be a whole document of paragraphs, tried at every start and width)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.kinds = [cell_kind(t) for t in texts]
        self._money = [0, *accumulate(money_cell(t) for t in texts)]
        self._text = [0, *accumulate(k == "text" for k in self.kinds)]

    def __len__(self) -> int:
        return len(self.texts)

    def money(self, start: int, end: int) -> int:
        """How many cells from start to end print money."""
        return self._money[end] - self._money[start]

    def is_header(self, start: int, end: int) -> bool:
        """The cells from start to end as a header: a text among them, no money (div_tables)."""
        return self._text[end] > self._text[start] and not self.money(start, end)


def _single(row: GridRow, kinds: dict[int, str]) -> bool:
    return not row.from_table and len(row.cells) == 1 and kinds.get(id(row)) == "paragraph"


def fold_flat_cells(rows: list[GridRow], kinds: dict[int, str]) -> list[GridRow]:
    """The rows with every run of one-cell paragraphs that prints a table as that table."""
    next_id = max((r.table_id for r in rows if r.table_id is not None), default=0) + 1
    out: list[GridRow] = []
    i = 0
    while i < len(rows):
        if not _single(rows[i], kinds):
            out.append(rows[i])
            i += 1
            continue
        end = i
        while end < len(rows) and _single(rows[end], kinds):
            end += 1
        folded, next_id = _fold_run(rows[i:end], next_id)
        out += folded
        i = end
    return out


def _fold_run(run: list[GridRow], next_id: int) -> tuple[list[GridRow], int]:
    cells = FlatCells([r.cells[0].text for r in run])
    out: list[GridRow] = []
    i = 0
    while i < len(run):
        found = table_at(cells, i)
        if found is None:
            out.append(run[i])
            i += 1
            continue
        table, used = found
        out += [GridRow([Cell(t) for t in texts], page=next_id, table_id=next_id)
                for texts in table]
        next_id += 1
        i += used
    return out, next_id


def table_at(cells: FlatCells, start: int) -> tuple[list[list[str]], int] | None:
    """The table whose header starts at `start`, and how many cells it takes; or None."""
    texts, kinds = cells.texts, cells.kinds
    for width in range(2, MAX_COLUMNS + 1):
        body = start + width
        if body + MIN_BODY_ROWS * width > len(texts) or cells.money(start, body):
            return None  # a header prints no money: a wider one would hold that cell too
        if not cells.is_header(start, body) or not cells.money(body, body + width):
            continue
        pattern = kinds[body:body + width]
        rows, at = [texts[start:body]], body
        while at + width <= len(texts) and kinds[at:at + width] == pattern:
            rows.append(texts[at:at + width])
            at += width
        total = _total_without_code(texts, kinds, at, rows)
        if total is not None:
            rows.append(total)
            at += width - 1
        if len(rows) > MIN_BODY_ROWS and is_table(rows):
            return rows, at - start
    return None


def _total_without_code(texts: list[str], kinds: list[str], at: int,
                        rows: list[list[str]]) -> list[str] | None:
    """The total row after the body rows when it printed no code (its code cell empty): the
    label where the name column is, the amounts in place, the code column left empty."""
    body = rows[1:]
    width = len(rows[0])
    if len(body) < MIN_BODY_ROWS or at + width - 1 > len(texts) or not is_total_label(
            texts[at]):
        return None
    for col in range(width):
        if not all(CODE_RE.match(r[col]) for r in body):
            continue
        shown = texts[at:at + width - 1]
        cells = shown[:col] + [""] + shown[col:]
        if [cell_kind(c) for j, c in enumerate(cells) if j != col] == \
                [cell_kind(c) for j, c in enumerate(body[0]) if j != col]:
            return cells
    return None


def holds_flat_table(lines: list[str]) -> bool:
    """True when lines, each taken as one cell, print a table somewhere: a text reader then
    keeps them apart instead of joining them into one paragraph."""
    cells = FlatCells([line.strip() for line in lines])
    return any(table_at(cells, start) is not None for start in range(len(cells)))
