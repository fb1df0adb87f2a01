"""Turning printed table rows into the long allocation frame; shared by every reader.

A reader first produces rows of cells whose columns are known (`GridRow`, extractors/rows.py).
`grid_to_blocks` (extractors/grid.py) finds the allocation tables among them, stitches tables
that continue after a repeated header and joins header rows per column. `block_kind`
(extractors/kinds.py) tells region, kommun and länsgemensamma tables apart. `blocks_to_tables`
(here) reads the measures from the header and turns every printed amount into one long-form
row, every share, population or count into an attribute row, or either into a `Problem`.

The names of those modules that the readers use stay importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.base import DEFAULT_MAX_AMOUNT_SEK, MAX_AMOUNTS_TOTAL_SEK, Problem, TableInfo
from extractors.errors import DocumentTooLargeError
from extractors.grid import TableBlock, grid_to_blocks, join_header_rows, rows_to_text
from extractors.kinds import (
    block_kind,
    detect_kind,
    keep_allocation_blocks,
    kind_from_names,
    row_label,
)
from extractors.money_columns import ColumnType, parse_number
from extractors.roles import (
    PART,
    ROW_TOTAL,
    MoneyGrid,
    adds_up,
    check_subtotals,
    row_total_column,
)
from extractors.rows import (
    MAX_NAME_CHARS,
    MAX_TITLE_CHARS,
    TOTAL_LABELS,
    BBox,
    Cell,
    GridRow,
    classify_row,
    collapse,
    is_mark,
    is_total_label,
    is_value,
    split_code_name,
    split_footnote,
)
from extractors.table_money import CellMoney, padded_header, read_money
from extractors.varav import VARAV, part_excesses

__all__ = [
    "MAX_NAME_CHARS", "MAX_TITLE_CHARS", "TOTAL_LABELS", "BBox", "Cell", "FrameContext",
    "GridRow", "TableBlock", "TablesResult", "block_kind", "block_to_tables", "blocks_to_tables",
    "classify_row", "collapse", "detect_kind", "grid_to_blocks", "is_total_label", "is_value",
    "join_header_rows", "keep_allocation_blocks", "kind_from_names", "rows_to_text",
    "split_code_name",
]


@dataclass
class FrameContext:
    """Where a block came from: the file name and format written on every row and problem,
    and the largest amount a cell may print (ExtractSettings.max_amount_sek)."""

    source_file: str
    source_format: str
    max_amount_sek: int = DEFAULT_MAX_AMOUNT_SEK


@dataclass
class TablesResult:
    """What the table blocks of one document yield: amounts, other numbers, problems, tables."""

    rows: list[dict] = field(default_factory=list)
    attributes: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tables: list[TableInfo] = field(default_factory=list)


def block_to_tables(block: TableBlock, ctx: FrameContext, kind_hint: str | None = None,
                    table_index: int = 0) -> TablesResult:
    """Long-form amount rows, attribute rows (shares, population, counts), problems and the
    table's description, for one table block; ``table_index`` is the block's place among the
    document's tables (0-based, reading order), written on every row."""
    out = TablesResult()
    kind = kind_hint or block_kind(block)
    first_page = block.rows[0].page if block.rows else None
    if kind is None:
        out.problems.append(Problem(
            "unknown_table_kind",
            f"A table with header {padded_header(block)!r} could not be told apart as region, "
            "kommun or län; its amounts are reported as unparsed rows.",
            ctx.source_file, page=first_page, severity="error"))
    read = read_money(block)
    measures, types = read.measures, read.types
    for col, measure in measures.items():
        if measure == f"column {col + 1}" and not (col < len(block.header) and block.header[col]):
            out.problems.append(Problem(
                "missing_header", f"Column {col + 1} holds amounts but has no printed header.",
                ctx.source_file, page=first_page, table=kind, measure=measure))
    row_total = row_total_column(read.grid, measures,
                                 [i for i, k in enumerate(read.kinds) if k])
    spec = _BlockSpec(kind, measures, types, read.first_amount, ctx, read.coded,
                      bool(read.money), table_index, row_total, read.readings, read.code_col)
    for index, row in enumerate(block.rows):
        _body_row(row, index, read.kinds[index], spec, out)
    _check_subtotals(block, read.grid, read.kinds, spec, out)
    out.problems += _part_problems(block, read.grid, read.kinds, spec)
    out.tables.append(_table_info(block, spec, out))
    if not read.money and kind is not None and measures:
        out.problems.append(Problem(
            "not_reconciled",
            f"The {'län' if kind == 'lan' else kind} table "
            f"'{block.title or ', '.join(measures.values())}' holds "
            f"{', '.join(f'{measures[c]} ({types[c].kind})' for c in measures)} but no money, so "
            "it was read but not reconciled.", ctx.source_file, page=first_page, table=kind,
            measure=next(iter(measures.values()), None), severity="warning"))
    return out


@dataclass
class _BlockSpec:
    kind: str | None
    measures: dict[int, str]
    types: dict[int, ColumnType]
    first_amount: int
    ctx: FrameContext
    coded: bool  # rows lead with codes, so a row without one is no clean row
    money: bool  # the table holds amounts (else it is not reconciled)
    table_index: int = 0  # the block's place among the document's tables
    row_total: int | None = None  # the money column that is each row's total
    readings: dict = field(default_factory=dict)  # (row, col) -> CellMoney
    code_col: int | None = None  # the codes printed right of the names (extractors/codes.py)


def _check_subtotals(block: TableBlock, grid: MoneyGrid, kinds: list[str | None],
                     spec: _BlockSpec, out: TablesResult) -> None:
    """A subtotal that is not the sum of the rows since the previous one: an error naming the
    group and each column's difference when the row closes a printed piece of the table (its
    group is known: `TableBlock.row_kinds`), else a warning (its money is in the frame, row_kind
    subtotal, but what it adds up is not known)."""
    for check in check_subtotals(grid, kinds):
        if check.holds:
            continue
        row = block.rows[check.index]
        label = row_label([collapse(c.text) for c in row.cells], spec.first_amount,
                          spec.code_col)[1]
        if check.index in block.row_kinds and check.parts:
            out.problems += _subtotal_errors(grid, check.index, check.parts, label, spec, row)
            continue
        n = len(check.parts)
        parts = ("follows no recipient row since the previous subtotal" if n == 0 else
                 "is not the amount of the one recipient row since the previous subtotal"
                 if n == 1 else f"is not the sum of the {n} recipient rows since the previous "
                 "subtotal")
        out.problems.append(Problem(
            "subtotal_unchecked",
            f"The subtotal row '{label}' {parts}; its amounts are kept apart from the recipients "
            "and the total, but what it adds up could not be checked.", spec.ctx.source_file,
            page=row.page, table=spec.kind, row=check.index, severity="warning"))


def _subtotal_errors(grid: MoneyGrid, index: int, parts: tuple[int, ...], label: str,
                     spec: _BlockSpec, row: GridRow) -> list[Problem]:
    """One error per money column in which a piece's closing row misses its group's sum."""
    found = []
    for col in grid.columns:
        values = [grid.cells[i][col] for i in parts if col in grid.cells[i]]
        printed = grid.cells[index].get(col)
        if printed is None or not values or adds_up(values, printed):
            continue
        expected = sum(v for v, _ in values)
        found.append(Problem(
            "subtotal", f"The subtotal row '{label}' prints {_kr(printed[0])} under "
            f"{spec.measures[col]}, but {_group(len(parts))} "
            f"{_kr(expected)} ({_kr(abs(printed[0] - expected))} apart, beyond rounding): a "
            "cell of the group or the subtotal is misprinted.", spec.ctx.source_file, page=row.page,
            table=spec.kind, row=index, measure=spec.measures[col], severity="error",
            bbox=row.cells[col].bbox if col < len(row.cells) else None))
    return found


def _group(n: int) -> str:
    """"the 3 recipient rows of its group add up to", "its group's one recipient row is"."""
    return "its group's one recipient row is" if n == 1 else \
        f"the {n} recipient rows of its group add up to"


def _part_problems(block: TableBlock, grid: MoneyGrid, kinds: list[str | None],
                   spec: _BlockSpec) -> list[Problem]:
    """An error for each cell of a "varav" row larger than the row it is a part of."""
    found = []
    for index, parent, col in part_excesses(grid, kinds):
        row, whole = block.rows[index], block.rows[parent]
        label = row_label([collapse(c.text) for c in row.cells], spec.first_amount)[1]
        of = row_label([collapse(c.text) for c in whole.cells], spec.first_amount)[1]
        part, total = grid.cells[index][col][0], grid.cells[parent][col][0]
        found.append(Problem(
            "varav_exceeds", f"The row '{label}' prints {_kr(part)} under {spec.measures[col]}, "
            f"more than the {_kr(total)} of the row '{of}' it is a part of ({_kr(part - total)} "
            "more): a part cannot exceed its whole, so one of the two is misprinted.",
            spec.ctx.source_file, page=row.page, table=spec.kind, row=index,
            measure=spec.measures[col], severity="error",
            bbox=row.cells[col].bbox if col < len(row.cells) else None))
    return found


def _kr(value: int) -> str:
    return f"{format(value, ',').replace(',', ' ')} kr"


def _table_info(block: TableBlock, spec: _BlockSpec, out: TablesResult) -> TableInfo:
    recipients = {r["row_index"] for r in out.rows + out.attributes
                  if r["row_kind"] == "recipient"}
    total = any(r["row_kind"] == "total" for r in out.rows + out.attributes)
    amounts = tuple(m for c, m in spec.measures.items() if spec.types[c].kind == "amount")
    others = tuple(f"{m} ({spec.types[c].kind})" for c, m in spec.measures.items()
                   if spec.types[c].kind != "amount")
    if spec.money:
        status, reason = "reconciled", (
            f"{len(recipients)} recipient rows" + (" and a total row" if total else
                                                   ", no total row (nothing to foot)"))
    else:
        status, reason = "not_reconciled", "it holds no money column"
    return TableInfo(spec.ctx.source_file, block.rows[0].page if block.rows else None,
                     spec.kind, block.title, status, reason, len(recipients), total, amounts,
                     others, spec.table_index,
                     spec.measures.get(spec.row_total) if spec.row_total is not None else None)


def _body_row(row: GridRow, index: int, row_kind: str | None, spec: _BlockSpec,
              out: TablesResult) -> None:
    ctx, kind = spec.ctx, spec.kind
    texts = [collapse(c.text) for c in row.cells]
    code, name = row_label(texts, spec.first_amount, spec.code_col)
    if kind is None or row_kind is None:
        out.problems.append(Problem(
            "unparsed_row",
            "A row with amounts could not be read as a coded recipient or a Riket row.",
            ctx.source_file, page=row.page, table=kind, row=index, code=code or None,
            observed_text=" | ".join(t for t in texts if t)))
        return
    if row_kind in ("total", VARAV):
        code = ""
    base = {"source_file": ctx.source_file, "source_format": ctx.source_format,
            "page": row.page, "table": kind, "table_index": spec.table_index,
            "row_kind": row_kind, "row_index": index,
            "code": code, "name_raw": name}
    for col, measure in spec.measures.items():
        cell = row.cells[col] if col < len(row.cells) else Cell("")
        text = collapse(cell.text)
        where = dict(source_file=ctx.source_file, page=row.page, table=kind, row=index,
                     code=code or None, measure=measure, bbox=cell.bbox)
        if not text:
            out.problems.append(Problem(
                "missing_amount", f"No amount is printed for {name} under {measure}.", **where))
        elif spec.types[col].kind == "amount":
            role = ROW_TOTAL if col == spec.row_total else PART
            _amount_cell(cell, spec.readings[(index, col)], {**base, "column_role": role},
                         where, name, out, ctx.max_amount_sek)
        else:
            _other_cell(cell, text, spec.types[col], base, where, name, out)
    for col in range(spec.first_amount, len(texts)):
        if texts[col] and col not in spec.measures and col != spec.code_col:
            out.problems.append(Problem(
                "unplaced_text", f"Text '{texts[col]}' is printed outside every table column.",
                ctx.source_file, page=row.page, table=kind, row=index, observed_text=texts[col],
                bbox=row.cells[col].bbox))


def _amount_cell(cell: Cell, reading: CellMoney, base: dict, where: dict, name: str,
                 out: TablesResult, limit: int = DEFAULT_MAX_AMOUNT_SEK) -> None:
    measure, text, parsed = where["measure"], collapse(cell.text), reading.parsed
    if parsed is None:
        why = f": {reading.issue}" if reading.issue else ""
        out.problems.append(Problem(
            "unparsed_amount", f"The amount '{text}' for {name} under {measure} does not "
            f"read as whole kronor{why}.", observed_text=cell.text, severity="error", **where))
        return
    if abs(parsed.amount_sek) > limit:
        out.problems.append(Problem(
            "implausible_amount", f"The amount '{text}' for {name} under {measure} reads as "
            f"{format(parsed.amount_sek, ',').replace(',', ' ')} kr, beyond max_amount_sek="
            f"{limit} (far above any state budget); it is not read as an amount: check the "
            "cell.", observed_text=cell.text, severity="error", **where))
        return
    if reading.odd:
        out.problems.append(Problem(
            "odd_digit_grouping", f"The amount '{text}' for {name} under {measure} has digit "
            "groups that are not groups of three; it was read by its digits as "
            f"{format(parsed.amount_sek, ',').replace(',', ' ')} kr, which the sums confirm "
            "or not.", observed_text=cell.text, **where))
    if reading.mark:
        _footnote(cell, reading.mark, where, name, out)
    bbox = cell.bbox or (None, None, None, None)
    out.rows.append({**base, "measure": measure, "unit": reading.unit,
                     "amount_sek": parsed.amount_sek, "x0": bbox[0], "top": bbox[1],
                     "x1": bbox[2], "bottom": bbox[3], "unit_step": reading.step,
                     "mark": reading.mark or None})


def _footnote(cell: Cell, mark: str, where: dict, name: str, out: TablesResult) -> None:
    out.problems.append(Problem(
        "footnote_mark", f"The number '{collapse(cell.text)}' for {name} under "
        f"{where['measure']} carries the footnote mark '{mark}'; it was read without it.",
        observed_text=cell.text, severity="info", **where))


def _other_cell(cell: Cell, text: str, ctype: ColumnType, base: dict, where: dict, name: str,
                out: TablesResult) -> None:
    number_text, mark = split_footnote(text)
    number = parse_number(number_text)
    if number is None and is_mark(text):
        out.problems.append(Problem(
            "no_number", f"'{text}' is printed for {name} under {where['measure']} instead of "
            f"a number ({ctype.kind}); the row's other cells are read.", observed_text=cell.text,
            severity="info", **where))
        return
    if number is None:
        out.problems.append(Problem(
            "unparsed_number", f"The value '{text}' for {name} under {where['measure']} does "
            f"not read as a number ({ctype.kind}).", observed_text=cell.text, severity="error",
            **where))
        return
    if mark:
        _footnote(cell, mark, where, name, out)
    out.attributes.append({**base, "measure": where["measure"], "kind": ctype.kind,
                           "value": float(number.value), "decimals": number.decimals,
                           "mark": mark or None})


def blocks_to_tables(blocks: list[TableBlock], ctx: FrameContext) -> TablesResult:
    """Amount rows, attribute rows, problems and table descriptions of every block, in order;
    each block's rows carry its place in the list as ``table_index``."""
    out = TablesResult()
    for table_index, block in enumerate(blocks):
        one = block_to_tables(block, ctx, table_index=table_index)
        out.rows += one.rows
        out.attributes += one.attributes
        out.problems += one.problems
        out.tables += one.tables
    total = sum(abs(row["amount_sek"]) for row in out.rows)
    if total > MAX_AMOUNTS_TOTAL_SEK:
        raise DocumentTooLargeError(
            ctx.source_file, f"its {len(out.rows)} amounts add up to {total} kr, beyond "
            f"{MAX_AMOUNTS_TOTAL_SEK} kr, more than the checks can add without overflow; "
            "check the file")
    return out


