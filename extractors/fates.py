"""Every table-like block with amounts gets a fate: read as allocation table N, handed to the
text readers (the pipeline then finds its amounts among the reconciled stated amounts, or
reports it unread), or unread at once.

A block is a table the reader kept (`TableBlock`), a table of the document (a DOCX/HTML/Markdown
table number, a PDF line band) whose rows went back to the text, or a run of name–amount lines
("Region Stockholm: 12 345 678 kronor"). Only blocks that print money are listed: a cell is money
when it parses as an amount and shows it is one (digit groups, five digits or more, a unit in the
cell, or a money unit in its column header or the block's title), in a column whose header does
not say share, population or count. A column's numbers are read in the notation its cells
choose ("11,154,061": extractors/notation.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from extractors.amounts import UNIT_FACTOR, normalize_spaces, parse_amount
from extractors.base import BlockInfo
from extractors.grid import TableBlock
from extractors.money_columns import column_type, parse_in_unit, parse_number, unit_in_text
from extractors.notation import NOTATION_MARKS, choose_notation, to_swedish
from extractors.roles import ALMOST_EVERY_ROW, header_says_total
from extractors.rows import CODE_RE, GridRow, classify_row, is_total_label

DEFAULT_FIRST_ROWS = 5  # rows of a block shown as printed in documents.json and the finding
DEFAULT_MIN_LIST_LINES = 3  # name–amount lines in a row that make a list block
DEFAULT_MIN_AMOUNT_DIGITS = 5  # an ungrouped number this long is money without a unit
_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+")
NAME_AMOUNT_LINE = re.compile(
    r"^(?:[•\-–−*▪+]|\d{1,3}[.)])?\s*"  # a bullet or an item number, as lists print them
    r"(?P<name>[^\W\d][^\d:|]{1,60}?)\s*[:–-]?\s+(?P<amount>\d[\d \u00a0,.]*\d"
    r"(?:\s*(?:kr|kronor|sek|tkr|mkr|miljoner kronor|miljoner))?)\.?$", re.I)


def row_text(row: GridRow) -> str:
    """A row as printed: its filled cells joined by " | "."""
    return " | ".join(t for t in (normalize_spaces(c.text) for c in row.cells) if t)


def money_value(text: str, unit_context: str = "") -> int | None:
    """The kronor of a cell that shows it is money, else None (codes, years, counts): a unit in
    the cell or in ``unit_context`` (its column header, the block's title), digit groups, or
    five digits or more."""
    return _money_in_unit(text, unit_in_text(unit_context) if unit_context else None)


def _money_in_unit(text: str, unit: str | None) -> int | None:
    """`money_value` with the unit its context states (None when it states none)."""
    t = normalize_spaces(text)
    parsed = parse_in_unit(t, unit) if unit in UNIT_FACTOR else parse_amount(t)
    if parsed is None:
        return None
    if not (parsed.unit or unit or _GROUPED.search(t)
            or sum(ch.isdigit() for ch in t) >= DEFAULT_MIN_AMOUNT_DIGITS):
        return None
    return parsed.amount_sek


def money_cells(rows: Sequence[GridRow], title: str = "", header_rows: int | None = None
                ) -> list[tuple[str, int]]:
    """The printed text and kronor of every money cell of a block's rows. Header rows are the
    rows above the first row with a number beside its label that is no bare code or year (or
    ``header_rows`` of them); a column whose header says share, population or count holds no
    money, and one whose header states a unit ("Mkr") makes its numbers money."""
    return [(text, value) for text, value, _ in _money_entries(rows, title, header_rows)]


def money_sum(rows: Sequence[GridRow], title: str = "", header_rows: int | None = None) -> int:
    """The kronor a block's money adds up to, each krona once: its total rows ("Riket",
    "Summa") and row-total columns ("Totalt belopp") restate the other cells and are left out
    (unless the block prints nothing else)."""
    return _entries_sum(_money_entries(rows, title, header_rows))


def _entries_sum(entries: list[tuple[str, int, bool]]) -> int:
    """`money_sum` of the entries `_money_entries` found."""
    parts = [value for _, value, restates in entries if not restates]
    return sum(parts) if parts else sum(value for _, value, _ in entries)


def _money_entries(rows: Sequence[GridRow], title: str, header_rows: int | None
                   ) -> list[tuple[str, int, bool]]:
    """Every money cell: its text, kronor, and whether it restates others (in a total row, or
    in a column headed as a total beside other money columns)."""
    texts = [[normalize_spaces(c.text) for c in r.cells] for r in rows]
    if header_rows is None:  # by position: the rows above the first one holding a number
        header_rows = next((i for i, row in enumerate(texts) if any(
            parse_number(t) is not None and not CODE_RE.match(t) for t in row[1:])), 0)
    width = max((len(r) for r in texts), default=0)
    headers = [" ".join(r[c] for r in texts[:header_rows] if c < len(r)) for c in range(width)]
    body = texts[header_rows:]
    # per money column: its notation and the unit its header or the title states
    money = {c: (choose_notation(tuple(r[c] for r in body if c < len(r))).notation,
                 unit_in_text(f"{headers[c]} {title}")) for c in range(width)
             if column_type(headers[c], title).kind == "amount"}
    found = []
    for index, row in enumerate(body):
        total_row = classify_row(row) in ("total", "subtotal")
        for col, text in enumerate(row):
            if col not in money or (col == 0 and len(row) > 1):  # a label: never money
                continue
            notation, unit = money[col]
            # "11,154,061" in its column; without these marks every notation reads it as is
            swedish = (to_swedish(text, notation) or text) if NOTATION_MARKS.search(text) else text
            value = _money_in_unit(swedish, unit)
            if value is not None:
                found.append((index, col, text, value, total_row))
    money_cols = {col for _, col, *_ in found}
    total_cols = {c for c in money_cols if header_says_total(headers[c])}
    total_cols |= _sum_columns(found, money_cols)
    if total_cols == money_cols:
        total_cols = set()
    return [(text, value, total_row or col in total_cols)
            for _, col, text, value, total_row in found]


def _sum_columns(found: list[tuple[int, int, str, int, bool]], money_cols: set[int]
                 ) -> set[int]:
    """The money columns that print the sum of the others in almost every row that prints
    them all (within a thousandth: the amounts are rounded), whatever their header says."""
    by_row: dict[int, dict[int, int]] = {}
    for index, col, _, value, _ in found:
        by_row.setdefault(index, {})[col] = value
    rows = list(by_row.values())
    complete = [r for r in rows if set(r) == money_cols]
    if len(money_cols) < 3 or len(complete) < 2:
        return set()
    out = set()
    for col in money_cols:
        held = sum(abs(sum(v for c, v in r.items() if c != col) - r[col]) <= r[col] / 1000
                   for r in complete)
        if held >= ALMOST_EVERY_ROW * len(complete):
            out.add(col)
    return out


def block_info(source_file: str, shape: str, fate: str, reason: str, rows: Sequence[GridRow],
               title: str = "", header: Sequence[GridRow] = (), table_index: int | None = None,
               page: int | None = None) -> BlockInfo | None:
    """The BlockInfo of one block, or None when it prints no money."""
    entries = _money_entries(list(header) + list(rows), title, len(header) if header else None)
    cells = [(text, value) for text, value, _ in entries]  # money_cells, found once
    if not cells and fate != "table":
        return None
    shown = [row_text(r) for r in list(header) + list(rows)]
    first_page = page if page is not None else next(
        (r.page for r in rows if r.page is not None), None)
    return BlockInfo(source_file, first_page, shape, fate, reason, table_index,
                     tuple(t for t in shown if t)[:DEFAULT_FIRST_ROWS],
                     tuple(text for text, _ in cells),
                     _entries_sum(entries),
                     len(rows), title)


def table_infos(blocks: Sequence[TableBlock], source_file: str, shape: str = "table",
                first_index: int = 0) -> list[BlockInfo]:
    """One 'table' fate per kept allocation block, numbered as blocks_to_tables numbers them."""
    infos = []
    for i, block in enumerate(blocks):
        info = block_info(source_file, shape, "table", f"read as allocation table "
                          f"{first_index + i + 1}", block.rows, block.title, block.header_rows,
                          first_index + i)
        infos.append(info)
    return [i for i in infos if i is not None]


def handed_back_infos(rows: Iterable[GridRow], others: Sequence[GridRow], source_file: str,
                      shape: str = "table") -> list[BlockInfo]:
    """A 'text' fate for every document table (rows with the same table number) whose rows
    with money went back to the text readers."""
    outside = {id(r) for r in others}
    groups: list[list[GridRow]] = []
    for row in rows:
        if id(row) not in outside or not row.from_table:
            continue
        if groups and groups[-1][-1].page == row.page:
            groups[-1].append(row)
        else:
            groups.append([row])
    infos = []
    for group in groups:
        info = block_info(source_file, shape, "text", "no recipient kind (region, kommun, län) "
                          "could be told from its header, codes or names, so its rows went to "
                          "the text", group)
        if info is not None:
            infos.append(info)
    return infos


def list_infos(rows: Sequence[GridRow], others: Sequence[GridRow], source_file: str,
               min_lines: int = DEFAULT_MIN_LIST_LINES) -> list[BlockInfo]:
    """A 'text' fate for every run of name–amount lines ("Region Stockholm: 12 345 678 kronor")
    among the paragraphs: a list that prints one amount per recipient."""
    outside = {id(r) for r in others}
    runs: list[list[GridRow]] = [[]]
    for row in rows:
        line = row_text(row) if id(row) in outside and not row.from_table else ""
        if line and NAME_AMOUNT_LINE.match(line):
            runs[-1].append(row)
        elif runs[-1]:
            runs.append([])
    infos = []
    for run in runs:
        if len(run) < min_lines:
            continue
        matches = [NAME_AMOUNT_LINE.match(row_text(r)) for r in run]
        amounts = [m["amount"] for m in matches]
        values = [money_value(a) for a in amounts]
        if any(v is None for v in values):
            continue
        parts = [v for v, m in zip(values, matches, strict=True)
                 if not is_total_label(m["name"])]  # "Totalt: …" restates the lines above
        infos.append(BlockInfo(  # its page where its rows have one (a PDF's lines)
            source_file, run[0].page, "list", "text", "a list of name–amount lines is read as text",
            None, tuple(row_text(r) for r in run)[:DEFAULT_FIRST_ROWS], tuple(amounts),
            sum(parts or values), len(run)))
    return infos


def grid_fates(rows: Sequence[GridRow], blocks: Sequence[TableBlock], others: Sequence[GridRow],
               source_file: str) -> list[BlockInfo]:
    """The fates of every block with money in a grid reader's rows (DOCX, HTML, Markdown)."""
    return (table_infos(blocks, source_file) + handed_back_infos(rows, others, source_file)
            + list_infos(rows, others, source_file))


def unreached_table_info(grid: Sequence[GridRow], source_file: str, number: int,
                         seen: set[str], where: str = "") -> BlockInfo | None:
    """An 'unread' fate for a table the reader's walk never reached (its money cells appear in
    no row it read), or None when it prints no money or was read after all."""
    cells = money_cells(grid)
    if not cells or all(text in seen for text, _ in cells):
        return None
    reason = (f"the table sits {where}, where the reader does not look" if where
              else "the reader's walk of the document did not reach it")
    return BlockInfo(source_file, number, "table", "unread", reason, None,
                     tuple(t for t in (row_text(r) for r in grid) if t)[:DEFAULT_FIRST_ROWS],
                     tuple(text for text, _ in cells), money_sum(grid), len(grid))
