"""Turning printed table rows into the long allocation frame; shared by PDF, DOCX and HTML.

A reader first produces rows of cells whose columns are known (`GridRow`). `grid_to_blocks`
finds the allocation tables among them (a header followed by coded rows, ending at Riket),
stitches tables that continue after a repeated header and joins header rows per column.
`blocks_to_tables` then tells region, kommun and länsgemensamma tables apart, reads the measures
from the header and turns every printed amount into one long-form row, every share, population
or count into an attribute row, or either into a `Problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.amounts import (
    UNIT_FACTOR,
    UNIT_SCALE,
    ColumnType,
    column_type,
    looks_like_amount,
    normalize_spaces,
    odd_grouping_reading,
    parse_in_unit,
    parse_number,
)
from extractors.base import Problem, TableInfo, TextBlock

BBox = tuple[float, float, float, float]

TOTAL_LABELS = ("riket", "totalt riket", "summa riket", "summa", "totalt", "hela riket")
MAX_NAME_CHARS = 50  # longer "names" are running text that starts with a number
MAX_TITLE_CHARS = 80  # a longer lone text is running text, not a table title
_CODE_RE = re.compile(r"^\d{1,4}$")
_CODE_NAME_RE = re.compile(r"^(\d{1,4})\s+(\D.*)$")
_PERCENT_CELL_RE = re.compile(r"^-?\d+(?:[,.]\d+)?\s*%$")
# Name forms that tell a table's kind when no header does ("Skåne län", "Region Skåne").
_NAME_KIND_RES = (
    ("lan", re.compile(r"\slän$")),
    ("region", re.compile(r"^region\s|regionen$|landsting(et)?$")),
    ("kommun", re.compile(r"\s(kommun|stad)$")),
)


@dataclass(frozen=True)
class Cell:
    """One printed cell: its text and, for PDFs, its bounding box (x0, top, x1, bottom)."""

    text: str
    bbox: BBox | None = None


@dataclass
class GridRow:
    """A row of cells in column order, with its page (PDF) or table number (DOCX)."""

    cells: list[Cell]
    page: int | None
    is_header: bool = False  # marked as a repeated header row by the document itself
    from_table: bool = True  # False for a paragraph fed in between tables (a title candidate)


@dataclass
class TableBlock:
    """One allocation table: its title, one joined header text per column and its body rows."""

    title: str
    header: list[str]
    rows: list[GridRow] = field(default_factory=list)
    closed: bool = False  # a total (Riket) row ended it
    header_rows: list[GridRow] = field(default_factory=list)  # as printed, for the text


def collapse(text: str) -> str:
    """Text with all whitespace (incl. no-break and thin spaces) collapsed to single spaces."""
    return normalize_spaces(text)


def is_total_label(text: str) -> bool:
    """True for the label of a national total row ("Riket", "Totalt", "Summa")."""
    return collapse(text).lower().rstrip(":") in TOTAL_LABELS


def split_code_name(text: str) -> tuple[str, str]:
    """("0114", "Upplands Väsby") from "0114 Upplands Väsby"; ("", text) when no code leads."""
    t = collapse(text)
    if _CODE_RE.match(t):
        return t, ""
    m = _CODE_NAME_RE.match(t)
    return (m[1], m[2]) if m else ("", t)


def _is_recipient_name(text: str) -> bool:
    """A recipient name is short and carries no sentence punctuation (unlike running text)."""
    t = collapse(text)
    return len(t) <= MAX_NAME_CHARS and not any(ch in t for ch in ",;:.()")


def _is_prose(text: str) -> bool:
    """True for words (three letters or more, not a unit) where an amount should be."""
    return any(len(w) >= 3 and w.isalpha() and w.lower() not in UNIT_SCALE
               for w in re.split(r"[\s\d.,:;()\-]+", collapse(text)))


def is_value(text: str) -> bool:
    """True for a printed amount, number or percentage ("2 111", "23,39 %")."""
    return looks_like_amount(text) or _PERCENT_CELL_RE.match(collapse(text)) is not None


def _is_named_row(filled: list[str]) -> bool:
    """A recipient printed by name only ("Skåne län | 52 830 451"): a short name that starts
    with a letter, and nothing but numbers after it."""
    name = filled[0]
    return (name[:1].isalpha() and _is_recipient_name(name) and len(filled) >= 2
            and all(is_value(t) for t in filled[1:]))


def classify_row(texts: list[str]) -> str:
    """The kind of a printed row: spacer, data, named, total, header, title or other.

    "data" rows lead with a code, "named" rows with a recipient name and no code.
    """
    cells = [collapse(t) for t in texts]
    filled = [t for t in cells if t]
    if not filled:
        return "spacer"
    amounts = [t for t in filled[1:] if looks_like_amount(t) and not _CODE_RE.match(t)]
    amounts += [t for t in filled[2:] if _CODE_RE.match(t)]
    label_code, label_name = split_code_name(filled[0])
    values = len(filled) >= 2 and all(is_value(t) for t in filled[1:])
    if (amounts or values) and is_total_label(filled[0]):
        return "total"
    rest = filled[1:] if label_name else filled[2:]
    if (amounts and label_code and _is_recipient_name(label_name or (filled + [""])[1])
            and not any(_is_prose(t) for t in rest)):
        return "data"
    if values and not label_code and _is_named_row(filled):
        return "named"
    if any(looks_like_amount(t) or _CODE_RE.match(t) for t in filled):
        return "other"
    if len(filled) == 1 and next(i for i, t in enumerate(cells) if t) <= 1:
        return "title" if len(filled[0]) <= MAX_TITLE_CHARS else "other"
    return "header"


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
    equal to the open table's header (repeated on a new page) are dropped and the table continues.
    """
    blocks: list[TableBlock] = []
    others: list[GridRow] = []
    title, pending = "", []
    current: TableBlock | None = None
    for row in rows:
        texts = [c.text for c in row.cells]
        kind = classify_row(texts)
        if kind == "spacer":
            continue
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
            if pending and (current is None or header != current.header or current.closed):
                current = TableBlock(title=title, header=header, header_rows=pending)
                blocks.append(current)
                title = ""
            elif current is None or current.closed:
                current = TableBlock(title=title, header=[""] * len(texts))
                blocks.append(current)
            pending = []
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


def kind_from_names(names: list[str]) -> str | None:
    """"lan", "region" or "kommun" when most names carry that body word ("Skåne län")."""
    names = [collapse(n).lower() for n in names if collapse(n)]
    for kind, pattern in _NAME_KIND_RES:
        if names and sum(bool(pattern.search(n)) for n in names) * 2 > len(names):
            return kind
    return None


def detect_kind(title: str, label_headers: list[str], codes: list[str],
                names: list[str] | None = None) -> str | None:
    """"region", "kommun" or "lan" from a table's title, label headers, codes and names.

    A table of names without codes needs a label header or name forms ("X län") to tell its
    kind; a title alone is not enough (a list of purposes under a heading is no allocation).
    """
    title_l = collapse(title).lower()
    label_words = set(" ".join(collapse(h).lower() for h in label_headers).split())
    if "länsgemensam" in title_l or any(w.startswith("länsgemensam") for w in label_words):
        return "lan"
    lengths = {len(c) for c in codes if c}
    if lengths and max(lengths) >= 3:
        return "kommun"
    if label_words & {"kommun", "kommunkod", "kommunnamn", "kommuner"}:
        return "kommun"
    if "län" in label_words or "länsnamn" in label_words:
        return "lan"
    if label_words & {"region", "regioner", "landsting"}:
        return "region"
    by_names = kind_from_names(names or [])
    if by_names or not lengths:
        return by_names
    title_words = set(title_l.split())
    for word, kind in (("kommun", "kommun"), ("län", "lan"), ("region", "region")):
        if word in title_words:
            return kind
    return None


def _first_amount_col(block: TableBlock) -> int:
    """Index of the first column holding values (columns before it are code and name)."""
    firsts = []
    for row in block.rows:
        texts = [collapse(c.text) for c in row.cells]
        filled = [i for i, t in enumerate(texts) if t]
        named = classify_row(texts) in ("named", "total")
        for i in filled[1:]:
            if is_value(texts[i]) and not (i == filled[1] and _CODE_RE.match(texts[i])
                                           and not named):
                firsts.append(i)
                break
    return min(firsts) if firsts else len(block.header)


def _row_label(texts: list[str], first_amount: int) -> tuple[str, str]:
    labels = [t for t in texts[:first_amount] if t]
    if not labels:
        return "", ""
    code, name = split_code_name(labels[0])
    rest = " ".join(labels[1:])
    return (code, collapse(f"{name} {rest}")) if code else ("", collapse(" ".join(labels)))


@dataclass
class FrameContext:
    """Where a block came from: the file name and format written on every row and problem."""

    source_file: str
    source_format: str


@dataclass
class TablesResult:
    """What the table blocks of one document yield: amounts, other numbers, problems, tables."""

    rows: list[dict] = field(default_factory=list)
    attributes: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tables: list[TableInfo] = field(default_factory=list)


def block_kind(block: TableBlock) -> str | None:
    """The table kind of a block ("region", "kommun", "lan"), or None when it is no allocation
    table (e.g. a numbered list of purposes with amounts, left to the text readers)."""
    first_amount = _first_amount_col(block)
    labels = [_row_label([collapse(c.text) for c in r.cells], first_amount) for r in block.rows
              if not is_total_label(collapse(r.cells[0].text) if r.cells else "")]
    header = block.header + [""] * max(0, first_amount - len(block.header))
    return detect_kind(block.title, header[:first_amount], [c for c, _ in labels],
                       [n for c, n in labels if not c])


def _column_types(block: TableBlock, header: list[str], first_amount: int, width: int
                  ) -> dict[int, ColumnType]:
    types = {}
    for col in range(first_amount, width):
        cells = tuple(collapse(r.cells[col].text) for r in block.rows if col < len(r.cells))
        types[col] = column_type(header[col], block.title, cells)
    return types


def block_to_tables(block: TableBlock, ctx: FrameContext, kind_hint: str | None = None
                    ) -> TablesResult:
    """Long-form amount rows, attribute rows (shares, population, counts), problems and the
    table's description, for one table block."""
    out = TablesResult()
    width = max([len(block.header)] + [len(r.cells) for r in block.rows])
    header = block.header + [""] * (width - len(block.header))
    first_amount = _first_amount_col(block)
    kind = kind_hint or block_kind(block)
    first_page = block.rows[0].page if block.rows else None
    if kind is None:
        out.problems.append(Problem(
            "unknown_table_kind",
            f"A table with header {header!r} could not be told apart as region, kommun or län; "
            "its amounts are reported as unparsed rows.",
            ctx.source_file, page=first_page, severity="error"))
    measures: dict[int, str] = {}
    for col in range(first_amount, width):
        used = any(col < len(r.cells) and collapse(r.cells[col].text) for r in block.rows)
        if header[col]:
            measures[col] = header[col]
        elif used:
            measures[col] = f"column {col + 1}"
            out.problems.append(Problem(
                "missing_header", f"Column {col + 1} holds amounts but has no printed header.",
                ctx.source_file, page=first_page, table=kind, measure=measures[col]))
    types = _column_types(block, header, first_amount, width)
    money = [c for c in measures if types[c].kind == "amount"]
    coded = any(classify_row([c.text for c in r.cells]) == "data" for r in block.rows)
    spec = _BlockSpec(kind, measures, types, first_amount, ctx, coded, bool(money))
    for index, row in enumerate(block.rows):
        _body_row(row, index, spec, out)
    out.tables.append(_table_info(block, spec, out))
    if not money and kind is not None and measures:
        out.problems.append(Problem(
            "not_reconciled",
            f"The {kind} table '{block.title or ', '.join(measures.values())}' holds "
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
                     others)


def _body_row(row: GridRow, index: int, spec: _BlockSpec, out: TablesResult) -> None:
    ctx, kind = spec.ctx, spec.kind
    texts = [collapse(c.text) for c in row.cells]
    row_class = classify_row(texts)
    code, name = _row_label(texts, spec.first_amount)
    clean = ("data", "total") if spec.coded else ("data", "total", "named")
    if kind is None or row_class not in clean:
        out.problems.append(Problem(
            "unparsed_row",
            "A row with amounts could not be read as a coded recipient or a Riket row.",
            ctx.source_file, page=row.page, table=kind, row=index, code=code or None,
            observed_text=" | ".join(t for t in texts if t)))
        return
    row_kind = "total" if row_class == "total" else "recipient"
    if row_kind == "total":
        code = ""
    base = {"source_file": ctx.source_file, "source_format": ctx.source_format,
            "page": row.page, "table": kind, "row_kind": row_kind, "row_index": index,
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
            _amount_cell(cell, text, spec.types[col], base, where, name, out)
        else:
            _other_cell(cell, text, spec.types[col], base, where, name, out)
    for col in range(spec.first_amount, len(texts)):
        if texts[col] and col not in spec.measures:
            out.problems.append(Problem(
                "unplaced_text", f"Text '{texts[col]}' is printed outside every table column.",
                ctx.source_file, page=row.page, table=kind, row=index, observed_text=texts[col],
                bbox=row.cells[col].bbox))


def _amount_cell(cell: Cell, text: str, ctype: ColumnType, base: dict, where: dict, name: str,
                 out: TablesResult) -> None:
    measure = where["measure"]
    parsed = parse_in_unit(text, ctype.unit)
    if parsed is None:
        parsed = odd_grouping_reading(text)
        if parsed is not None and not parsed.unit and ctype.unit != "kr":
            parsed = type(parsed)(parsed.amount_sek * UNIT_FACTOR[ctype.unit], ctype.unit,
                                  parsed.printed, parsed.raw)
        if parsed is not None:
            out.problems.append(Problem(
                "odd_digit_grouping", f"The amount '{text}' for {name} under {measure} has digit "
                "groups that are not groups of three; it was read by its digits as "
                f"{format(parsed.amount_sek, ',').replace(',', ' ')} kr, which the sums confirm "
                "or not.",
                observed_text=cell.text, **where))
    if parsed is None:
        out.problems.append(Problem(
            "unparsed_amount", f"The amount '{text}' for {name} under {measure} does not "
            "read as whole kronor.", observed_text=cell.text, severity="error", **where))
        return
    unit = parsed.unit or ctype.unit
    exponent = parsed.printed.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if unit == "kr":
        decimals = 0  # öre ("6 199 701, 00") are not a finer rounding of whole kronor
    step = max(1, UNIT_FACTOR.get(unit, 1) // 10 ** decimals)
    bbox = cell.bbox or (None, None, None, None)
    out.rows.append({**base, "measure": measure, "unit": unit, "amount_sek": parsed.amount_sek,
                     "x0": bbox[0], "top": bbox[1], "x1": bbox[2], "bottom": bbox[3],
                     "unit_step": step})


def _other_cell(cell: Cell, text: str, ctype: ColumnType, base: dict, where: dict, name: str,
                out: TablesResult) -> None:
    number = parse_number(text)
    if number is None:
        out.problems.append(Problem(
            "unparsed_number", f"The value '{text}' for {name} under {where['measure']} does "
            f"not read as a number ({ctype.kind}).", observed_text=cell.text, severity="error",
            **where))
        return
    out.attributes.append({**base, "measure": where["measure"], "kind": ctype.kind,
                           "value": float(number.value), "decimals": number.decimals})


def blocks_to_tables(blocks: list[TableBlock], ctx: FrameContext) -> TablesResult:
    """Amount rows, attribute rows, problems and table descriptions of every block, in order."""
    out = TablesResult()
    for block in blocks:
        one = block_to_tables(block, ctx)
        out.rows += one.rows
        out.attributes += one.attributes
        out.problems += one.problems
        out.tables += one.tables
    return out


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


def keep_allocation_blocks(blocks: list[TableBlock], others: list[GridRow]
                           ) -> tuple[list[TableBlock], list[GridRow]]:
    """Blocks that are allocation tables; the rows (header rows included) of the others go back
    to the text rows."""
    kept = []
    for block in blocks:
        if block_kind(block) is None:
            others = others + block.header_rows + block.rows
        else:
            kept.append(block)
    return kept, others
