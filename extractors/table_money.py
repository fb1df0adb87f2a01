"""A table block's money read once: the measures under its header, the type of each column
(amount with its unit, share, population, count), every money cell parsed with its unit and
printed step, and each body row's kind (recipient, total, subtotal). `blocks_to_tables`
(extractors/tables.py) writes the long frame from it; `join_pieces` (extractors/pieces.py)
asks its sums whether printed pieces are one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.amounts import ParsedAmount
from extractors.codes import code_column
from extractors.grid import TableBlock
from extractors.kinds import first_amount_col
from extractors.money_columns import ColumnType, column_types, read_in_column, unit_in_text
from extractors.roles import MoneyGrid, is_sum_row
from extractors.rows import classify_row, collapse, split_footnote


def _column_types(block: TableBlock, header: list[str], cols: list[int]
                  ) -> dict[int, ColumnType]:
    columns = []
    for col in cols:
        cells = tuple(collapse(r.cells[col].text) for r in block.rows if col < len(r.cells))
        group = block.groups[col] if col < len(block.groups) else ""
        # the nearer unit wins: a group header, the title, a line near the table
        context = next((t for t in (group, block.title, block.unit_note) if unit_in_text(t)),
                       block.title)
        columns.append((header[col], context, cells))
    return dict(zip(cols, column_types(columns), strict=True))


@dataclass
class MoneyReading:
    """A block's columns and money as read once: measures by column, their types, every money
    cell, and each body row's kind (recipient, total, subtotal; None for no clean row)."""

    measures: dict[int, str]
    types: dict[int, ColumnType]
    first_amount: int
    money: list[int]
    readings: dict  # (row, col) -> CellMoney
    grid: MoneyGrid
    kinds: list[str | None]
    coded: bool  # rows lead with codes
    code_col: int | None = None  # the column of codes printed right of the names, if any


def padded_header(block: TableBlock) -> list[str]:
    width = max([len(block.header)] + [len(r.cells) for r in block.rows])
    return block.header + [""] * (width - len(block.header))


def read_money(block: TableBlock) -> MoneyReading:
    """The measures, column types, money cells and row kinds of one table block; a row whose
    kind the block fixes (`TableBlock.row_kinds`: a joined piece's closing row is a subtotal)
    takes that kind."""
    header = padded_header(block)
    width = len(header)
    code_col = code_column(block)
    first_amount = first_amount_col(block, code_col)
    measures: dict[int, str] = {}
    for col in range(first_amount, width):
        if col == code_col:  # codes printed right of the names are no measure
            continue
        used = any(col < len(r.cells) and collapse(r.cells[col].text) for r in block.rows)
        if header[col]:
            measures[col] = header[col]
        elif used:
            measures[col] = f"column {col + 1}"
    types = _column_types(block, header, [c for c in range(first_amount, width)
                                          if c != code_col])  # codes tell no notation
    money = [c for c in measures if types[c].kind == "amount"]
    classes = [classify_row([c.text for c in r.cells]) for r in block.rows]
    coded = "data" in classes
    readings = {(i, c): read_cell_money(r.cells[c].text, types[c]) for i, r in enumerate(block.rows)
                for c in money if c < len(r.cells) and collapse(r.cells[c].text)}
    per_row: list[dict] = [{} for _ in block.rows]  # one pass: a row-by-row scan is quadratic
    for (j, c), m in readings.items():
        if m.parsed is not None:
            per_row[j][c] = (m.parsed.amount_sek, m.step)
    grid = MoneyGrid(money, per_row)
    kinds = row_kinds(classes, grid, coded)
    for index, kind in block.row_kinds.items():
        if 0 <= index < len(kinds):
            kinds[index] = kind
    return MoneyReading(measures, types, first_amount, money, readings, grid, kinds, coded,
                        code_col)


@dataclass(frozen=True)
class CellMoney:
    """One money cell read (extractors/money_columns.py: in its column's unit and notation):
    the amount (None when unreadable, ``issue`` saying why), its unit and printed step,
    whether its digit groups were odd, and a footnote mark printed after it."""

    parsed: ParsedAmount | None
    unit: str = ""
    step: int = 1
    odd: bool = False
    mark: str = ""
    issue: str = ""


def read_cell_money(text: str, ctype: ColumnType) -> CellMoney:
    number, mark = split_footnote(collapse(text))
    cell = read_in_column(number, ctype)
    return CellMoney(cell.parsed, cell.unit, cell.step, cell.odd, mark, cell.issue)


_CLEAN_KINDS = {"data": "recipient", "total": "total", "subtotal": "subtotal"}


def row_kinds(classes: list[str], grid: MoneyGrid, coded: bool) -> list[str | None]:
    """Each body row's kind (recipient, total, subtotal), None for a row that is no clean row.

    A table without a total row by its label whose last row (no coded row) prints the column
    sums of the recipient rows above has that row as its total, whatever its label.
    """
    kinds = [_CLEAN_KINDS.get(c) or ("recipient" if c == "named" and not coded else None)
             for c in classes]
    last = len(kinds) - 1
    if last >= 0 and "total" not in kinds and classes[last] != "data":
        parts = [i for i, k in enumerate(kinds[:last]) if k == "recipient"]
        if len(parts) >= 2 and is_sum_row(grid, last, parts):
            kinds[last] = "total"
    return kinds
