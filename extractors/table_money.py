"""A table block's money read once: the measures under its header, the type of each column
(amount with its unit, share, population, count), every money cell parsed with its unit and
printed step, and each body row's kind (recipient, total, subtotal). `blocks_to_tables`
(extractors/tables.py) writes the long frame from it; `join_pieces` (extractors/pieces.py)
asks its sums whether printed pieces are one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.amounts import ParsedAmount
from extractors.grid import TableBlock
from extractors.kinds import label_columns
from extractors.money_columns import (
    ColumnType,
    column_types,
    parse_in_unit,
    read_in_column,
    unit_in_text,
)
from extractors.roles import MoneyGrid, is_sum_row
from extractors.rows import classify_row, collapse, split_footnote
from extractors.vocabulary import unit_words


def _column_types(block: TableBlock, header: list[str], cols: list[int]
                  ) -> dict[int, ColumnType]:
    cells_of = {col: tuple(collapse(r.cells[col].text) for r in block.rows
                           if col < len(r.cells)) for col in cols}
    # the title and a line near the table count only where the cells bear their unit out
    stated = [t for t in (block.title, block.unit_note)
              if unit_in_text(t) and plausible_scale(unit_in_text(t), cells_of.values())]
    columns = []
    for col in cols:
        group = block.groups[col] if col < len(block.groups) else ""
        # the nearer unit wins: a group header, the title, a line near the table
        context = next((t for t in (group, *stated) if unit_in_text(t)),
                       block.title if block.title in stated or not unit_in_text(block.title)
                       else "")
        columns.append((header[col], context, cells_of[col]))
    return dict(zip(cols, column_types(columns), strict=True))


def plausible_scale(unit: str | None, columns) -> bool:
    """False when counting the cells in ``unit`` (thousands, millions) would give one cell
    more than any grant can be (units.toml, max_scaled_amount_sek): a title or a note near
    the table that says so was written for other numbers (a sentence of the decision, the
    caption of the table above)."""
    if unit in (None, "kr"):
        return True
    ceiling = unit_words().note_max_scaled_sek
    for cells in columns:
        for cell in cells:
            parsed = parse_in_unit(split_footnote(cell)[0], unit) if cell else None
            if parsed is not None and parsed.unit == unit and parsed.amount_sek > ceiling:
                return False
    return True


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
    code_col, first_amount = label_columns(block)
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
