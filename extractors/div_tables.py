"""Tables an HTML page builds from <div>s instead of <table>: CSS grids and ARIA row groups.

Web pages often lay a table out with block elements: a grid container whose children are the
cells one after another (`display: grid`, the column count only in the style sheet), or one
element per row holding one element per cell (`role="row"`, flex rows). Read as paragraphs,
their amounts were printed but never checked. The HTML reader notes which block elements hold
which paragraphs (`Block`); a block whose children are all single cells, or all rows of single
cells, is read as a table when its cells say so by themselves:

- rows of cells: every row has as many cells;
- a flat run of cells: the first row is a header (texts, perhaps years; no money) and the column
  count is the smallest one under which every later row has the same kind of cell (number,
  text or empty) in each column. The count comes from the cells, not from the style sheet, so
  a grid whose columns are set in pixels, fractions or `repeat()` reads alike.

Either way at least two rows below the header must hold amounts, in a column of numbers, beside
a column of texts or codes; a block of paragraphs that happens to repeat is not a table unless
it prints money in columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.amounts import looks_like_amount
from extractors.rows import CODE_RE

MAX_COLUMNS = 40
MIN_BODY_ROWS = 2
TextOf = Callable[[int], str | None]  # a reader row's paragraph text, None for others


@dataclass
class Block:
    """An open or closed block element: the paragraph rows it produced (start to end in the
    reader's rows) and its block children."""

    tag: str
    start: int
    end: int = -1
    children: list[Block] = field(default_factory=list)
    rows: list[list[str]] | None = None  # the table's rows once the block is read as one


def leaf_text(block: Block, text_of: TextOf) -> str | None:
    """The text of a block that is a single cell ("" when empty), or None when it is not one.
    `text_of(i)` is the text of the reader's row i when it is a paragraph, else None."""
    if block.rows is not None:
        return None
    if block.children:
        only = block.children[0]
        if len(block.children) == 1 and (only.start, only.end) == (block.start, block.end):
            return leaf_text(only, text_of)  # a cell wrapping its text in one more block
        return None
    if block.end - block.start > 1:
        return None
    return text_of(block.start) if block.end > block.start else ""


def _cells_of(block: Block, text_of: TextOf) -> list[str] | None:
    """The texts of a block's children when each is a single cell and they hold every
    paragraph of the block, else None."""
    if not block.children or sum(c.end - c.start for c in block.children) != block.end - \
            block.start:
        return None
    cells = [leaf_text(c, text_of) for c in block.children]
    return None if any(c is None for c in cells) else cells


def cell_kind(text: str) -> str:
    """The kind of a cell: empty, number (an amount or a code) or text."""
    if not text:
        return "empty"
    return "number" if looks_like_amount(text) or CODE_RE.match(text) else "text"


def money_cell(text: str) -> bool:
    """An amount as money prints it (grouped digits, five or more, or decimals as in
    "38,7" Mkr), not a code or a small count."""
    shown = text.strip()
    # Digits counted only for an amount: most texts tried are paragraphs, and counting first
    # walked every character of each.
    return looks_like_amount(shown) and (sum(ch.isdigit() for ch in shown) >= 5
                                         or any(sep in shown for sep in " \xa0,."))


def is_header(row: list[str]) -> bool:
    """A header row: texts, perhaps beside years or other short numbers ("2023", "2024"), and
    no money."""
    return any(cell_kind(c) == "text" for c in row) and not any(money_cell(c) for c in row)


def is_table(rows: list[list[str]]) -> bool:
    """True when rows of equal length read as a table: a header (optional), then at
    least MIN_BODY_ROWS rows whose columns keep one kind each, money in one of them and a text
    or code in another."""
    width = len(rows[0]) if rows else 0
    if width < 2 or any(len(r) != width for r in rows):
        return False
    body = rows[1:] if is_header(rows[0]) else rows
    if len(body) < MIN_BODY_ROWS:
        return False
    kinds = [{cell_kind(r[col]) for r in body} - {"empty"} for col in range(width)]
    if any(len(k) > 1 for k in kinds):
        return False
    money = [col for col in range(width) if kinds[col] == {"number"}
             and sum(money_cell(r[col]) for r in body) >= MIN_BODY_ROWS]
    labels = [col for col in range(width) if col not in money and kinds[col]]
    return bool(money) and bool(labels)


def flat_rows(cells: list[str]) -> list[list[str]] | None:
    """A flat run of cells cut into rows of the smallest width that makes a table, or None."""
    if not cells or cell_kind(cells[0]) != "text":
        return None  # a flat grid's first cell is its first header
    for width in range(2, min(MAX_COLUMNS, len(cells) // (MIN_BODY_ROWS + 1)) + 1):
        if len(cells) % width:
            continue
        rows = [cells[i:i + width] for i in range(0, len(cells), width)]
        if is_header(rows[0]) and is_table(rows):
            return rows
    return None


def block_rows(block: Block, text_of: TextOf) -> list[list[str]] | None:
    """The rows of a block read as a table, or None: its children as one flat run of cells,
    or its children as rows of cells. A child read as a table already gives its rows (a header
    row beside a row group); a child that is a flat run of cells as long as several rows of the
    first row's width gives those rows (a header row beside a grid of the body's cells)."""
    cells = _cells_of(block, text_of)
    if cells is not None:
        return flat_rows(cells)
    if sum(c.end - c.start for c in block.children) != block.end - block.start or all(
            c.rows is not None for c in block.children):
        return None
    rows: list[list[str]] = []
    width = 0
    for child in block.children:
        if child.rows is not None:
            rows += child.rows
            continue
        found = _cells_of(child, text_of)
        if not found or width and len(found) % width:
            return None
        width = width or len(found)
        rows += [found[i:i + width] for i in range(0, len(found), width)]
    return rows if is_table(rows) else None
