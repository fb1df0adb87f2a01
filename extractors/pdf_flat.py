"""Tables printed one cell per line in a PDF: a grid flattened before it was printed.

A web page's CSS grid saved by Writer becomes one paragraph per cell (extractors/flat_cells.py
reads those in DOCX, HTML and text); printed to PDF, the same document is a column of lines,
"Länskod", "Län", …, "01", "Stockholm", "38 729 708", …, over several pages. No layout holds
columns there: read as a table layout, its amount lines were runs of amounts alone that no
table took (one `unjoined_columns` error a run). Here the runs of one-phrase lines (page
furniture left out, page breaks crossed) are read as the grid readers read one-cell
paragraphs: a table is found where the cells say so themselves (a header without money, then
rows of one width whose columns each keep one kind, money beside names or codes), each cell
keeping the box of its line. The rows then go through the grid readers' table finding, so the
header, the total row and the kind are told as for any grid.
"""

from __future__ import annotations

from extractors.flat_cells import FlatCells, table_at
from extractors.grid import TableBlock, grid_to_blocks
from extractors.kinds import keep_allocation_blocks
from extractors.lines import Line, words_box
from extractors.rows import Cell, GridRow


def flat_tables(lines: list[Line], skip: set[int]) -> tuple[list[TableBlock], list[Line]]:
    """The allocation tables printed one cell per line, and the lines left (in their order);
    ``skip``: ids of page furniture, passed over inside a run."""
    blocks: list[TableBlock] = []
    used: set[int] = set()
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None and id(line) in skip:
            continue
        if line is not None and len(line.phrases) == 1:
            run.append(line)
            continue
        if len(run) > 2:
            found, taken = _fold(run)
            blocks += found
            used |= taken
        run = []
    return blocks, [ln for ln in lines if id(ln) not in used]


def _fold(run: list[Line]) -> tuple[list[TableBlock], set[int]]:
    cells = FlatCells([line.text for line in run])
    blocks: list[TableBlock] = []
    taken: set[int] = set()
    i = 0
    while i < len(run):
        found = table_at(cells, i)
        if found is None:
            i += 1
            continue
        table, used = found
        rows = _rows(table, run[i:i + used])
        kept, _ = keep_allocation_blocks(*grid_to_blocks(rows))
        if kept:
            blocks += kept
            taken |= {id(line) for line in run[i:i + used]}
        i += used
    return blocks, taken


def _rows(table: list[list[str]], lines: list[Line]) -> list[GridRow]:
    """The table's rows of cells, each cell with its line's box; the one empty cell a total
    row may have (its code, not printed) has none."""
    at = iter(lines)
    rows = []
    for texts in table:
        cells, page = [], None
        for text in texts:
            if not text:
                cells.append(Cell(""))
                continue
            line = next(at)
            page = page or line.page
            cells.append(Cell(text, words_box(line.words)))
        rows.append(GridRow(cells, page, is_header=False, from_table=True))
    return rows
