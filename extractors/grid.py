"""Grid rows to table blocks: `grid_to_blocks` finds the allocation tables among a document's
rows (a header followed by coded rows, ending at Riket), stitches tables that continue after a
repeated header and joins header rows per column; `rows_to_text` gives the rest back as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.amounts import looks_like_amount
from extractors.base import TextBlock
from extractors.rows import GridRow, classify_row, collapse


@dataclass
class TableBlock:
    """One allocation table: its title, one joined header text per column and its body rows."""

    title: str
    header: list[str]
    rows: list[GridRow] = field(default_factory=list)
    closed: bool = False  # a total (Riket) row ended it
    header_rows: list[GridRow] = field(default_factory=list)  # as printed, for the text


def join_header_rows(rows: list[list[str]], width: int) -> list[str]:
    """One header text per column: the column's texts over all header rows, whitespace collapsed."""
    joined = []
    for col in range(width):
        parts = [r[col] for r in rows if col < len(r) and collapse(r[col])]
        joined.append(collapse(" ".join(parts)))
    return joined


def grid_to_blocks(rows: list[GridRow]) -> tuple[list[TableBlock], list[GridRow]]:
    """Allocation tables found among grid rows, and the rows that belong to no such table.

    A table starts at the header rows right above its first coded (or named) row. Header rows
    equal to the open table's header (repeated on a new page) are dropped and the table continues,
    unless running text (a heading or paragraph) came between: then it is another table.
    """
    blocks: list[TableBlock] = []
    others: list[GridRow] = []
    title, pending = "", []
    current: TableBlock | None = None
    interrupted = False  # running text came after the open table's last row
    for row in rows:
        texts = [c.text for c in row.cells]
        kind = classify_row(texts)
        if kind == "spacer":
            continue
        if not row.from_table and kind not in ("data", "total", "named"):
            interrupted = current is not None
        if kind in ("title", "header") and not (kind == "title" and row.is_header):
            if kind == "title":
                others.extend(pending)
                others.append(row)
                title, pending = collapse(texts[0] if len(texts) == 1 else " ".join(texts)), []
            else:
                pending.append(row)
            continue
        if kind in ("data", "total", "named"):
            header = join_header_rows([[c.text for c in r.cells] for r in pending], len(texts))
            if pending and (current is None or header != current.header or current.closed
                            or interrupted):
                current = TableBlock(title=title, header=header, header_rows=pending)
                blocks.append(current)
                title = ""
            elif current is None or current.closed:
                current = TableBlock(title=title, header=[""] * len(texts))
                blocks.append(current)
            pending, interrupted = [], False
            current.rows.append(row)
            current.closed = kind == "total"
            continue
        others.extend(pending)
        pending = []
        if current is not None and not current.closed and any(looks_like_amount(t) for t in texts):
            current.rows.append(row)  # an amount row that is not a clean coded row: reported later
        else:
            others.append(row)
    others.extend(pending)
    return blocks, others


def rows_to_text(rows: list[GridRow], others: list[GridRow], kinds: dict[int, str]
                 ) -> list[TextBlock]:
    """Text blocks, in document order, of the paragraphs and the rows of non-allocation tables."""
    outside = {id(r) for r in others}
    blocks = []
    for row in rows:
        if id(row) not in outside:
            continue
        text = " | ".join(t for t in (collapse(c.text) for c in row.cells) if t)
        if text:
            blocks.append(TextBlock(text, None, kinds.get(id(row), "table_row")))
    return blocks
