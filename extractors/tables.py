"""Turning printed table rows into the long allocation frame; shared by PDF, DOCX and HTML.

A reader first produces rows of cells whose columns are known (`GridRow`). `grid_to_blocks`
finds the allocation tables among them (a header followed by coded rows, ending at Riket),
stitches tables that continue after a repeated header and joins header rows per column.
`blocks_to_rows` then tells region, kommun and länsgemensamma tables apart, reads the measures
from the header and turns every printed amount into one long-form row, or into a `Problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.amounts import UNIT_SCALE, looks_like_amount, normalize_spaces, parse_amount
from extractors.base import Problem, TextBlock

BBox = tuple[float, float, float, float]

TOTAL_LABELS = ("riket", "totalt riket", "summa riket", "summa", "totalt", "hela riket")
MAX_NAME_CHARS = 50  # longer "names" are running text that starts with a number
MAX_TITLE_CHARS = 80  # a longer lone text is running text, not a table title
_CODE_RE = re.compile(r"^\d{1,4}$")
_CODE_NAME_RE = re.compile(r"^(\d{1,4})\s+(\D.*)$")


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


def classify_row(texts: list[str]) -> str:
    """The kind of a printed row: spacer, data, total, header, title or other."""
    cells = [collapse(t) for t in texts]
    filled = [t for t in cells if t]
    if not filled:
        return "spacer"
    amounts = [t for t in filled[1:] if looks_like_amount(t) and not _CODE_RE.match(t)]
    amounts += [t for t in filled[2:] if _CODE_RE.match(t)]
    label_code, label_name = split_code_name(filled[0])
    if amounts and is_total_label(filled[0]):
        return "total"
    rest = filled[1:] if label_name else filled[2:]
    if (amounts and label_code and _is_recipient_name(label_name or (filled + [""])[1])
            and not any(_is_prose(t) for t in rest)):
        return "data"
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

    A table starts at the header rows right above its first coded row. Header rows equal to
    the open table's header (repeated on a new page) are dropped and the table continues.
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
        if kind in ("data", "total"):
            header = join_header_rows([[c.text for c in r.cells] for r in pending], len(texts))
            if pending and (current is None or header != current.header or current.closed):
                current = TableBlock(title=title, header=header)
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


def detect_kind(title: str, label_headers: list[str], codes: list[str]) -> str | None:
    """"region", "kommun" or "lan" from a table's title, label headers and printed codes."""
    title_l = collapse(title).lower()
    label_words = set(" ".join(collapse(h).lower() for h in label_headers).split())
    if "länsgemensam" in title_l or any(w.startswith("länsgemensam") for w in label_words):
        return "lan"
    lengths = {len(c) for c in codes if c}
    if lengths and max(lengths) >= 3:
        return "kommun"
    if label_words & {"kommun", "kommunkod", "kommunnamn"}:
        return "kommun"
    if "län" in label_words or "länsnamn" in label_words:
        return "lan"
    if label_words & {"region", "regioner", "landsting"}:
        return "region"
    title_words = set(title_l.split())
    for word, kind in (("kommun", "kommun"), ("län", "lan"), ("region", "region")):
        if word in title_words:
            return kind
    return None


def _first_amount_col(block: TableBlock) -> int:
    """Index of the first column holding amounts (columns before it are code and name)."""
    firsts = []
    for row in block.rows:
        texts = [collapse(c.text) for c in row.cells]
        filled = [i for i, t in enumerate(texts) if t]
        for i in filled[1:]:
            if looks_like_amount(texts[i]) and not (i == filled[1] and _CODE_RE.match(texts[i])):
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


def block_kind(block: TableBlock) -> str | None:
    """The table kind of a block ("region", "kommun", "lan"), or None when it is no allocation
    table (e.g. a numbered list of purposes with amounts, left to the text readers)."""
    first_amount = _first_amount_col(block)
    codes = [_row_label([collapse(c.text) for c in r.cells], first_amount)[0] for r in block.rows]
    header = block.header + [""] * max(0, first_amount - len(block.header))
    return detect_kind(block.title, header[:first_amount], codes)


def block_to_rows(
    block: TableBlock, ctx: FrameContext, kind_hint: str | None = None
) -> tuple[list[dict], list[Problem]]:
    """Long-form allocation rows of one table and the problems met on the way."""
    rows: list[dict] = []
    problems: list[Problem] = []
    width = max([len(block.header)] + [len(r.cells) for r in block.rows])
    header = block.header + [""] * (width - len(block.header))
    first_amount = _first_amount_col(block)
    kind = kind_hint or block_kind(block)
    first_page = block.rows[0].page if block.rows else None
    if kind is None:
        problems.append(Problem(
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
            problems.append(Problem(
                "missing_header", f"Column {col + 1} holds amounts but has no printed header.",
                ctx.source_file, page=first_page, table=kind, measure=measures[col]))
    for index, row in enumerate(block.rows):
        new_rows, new_problems = _body_row(row, index, kind, measures, first_amount, ctx)
        rows.extend(new_rows)
        problems.extend(new_problems)
    return rows, problems


def _body_row(
    row: GridRow, index: int, kind: str | None, measures: dict[int, str], first_amount: int,
    ctx: FrameContext,
) -> tuple[list[dict], list[Problem]]:
    texts = [collapse(c.text) for c in row.cells]
    row_class = classify_row(texts)
    code, name = _row_label(texts, first_amount)
    if kind is None or row_class not in ("data", "total"):
        return [], [Problem(
            "unparsed_row",
            "A row with amounts could not be read as a coded recipient or a Riket row.",
            ctx.source_file, page=row.page, table=kind, row=index, code=code or None,
            observed_text=" | ".join(t for t in texts if t))]
    row_kind = "total" if row_class == "total" else "recipient"
    if row_kind == "total":
        code, name = "", name
    out, problems = [], []
    for col, measure in measures.items():
        cell = row.cells[col] if col < len(row.cells) else Cell("")
        text = collapse(cell.text)
        where = dict(source_file=ctx.source_file, page=row.page, table=kind, row=index,
                     code=code or None, measure=measure, bbox=cell.bbox)
        if not text:
            problems.append(Problem(
                "missing_amount", f"No amount is printed for {name} under {measure}.", **where))
            continue
        parsed = parse_amount(text)
        if parsed is None:
            problems.append(Problem(
                "unparsed_amount", f"The amount '{text}' for {name} under {measure} does not "
                "read as whole kronor.", observed_text=cell.text, severity="error", **where))
            continue
        bbox = cell.bbox or (None, None, None, None)
        out.append({
            "source_file": ctx.source_file, "source_format": ctx.source_format,
            "page": row.page, "table": kind, "row_kind": row_kind, "row_index": index,
            "code": code, "name_raw": name, "measure": measure, "unit": parsed.unit or "kr",
            "amount_sek": parsed.amount_sek, "x0": bbox[0], "top": bbox[1], "x1": bbox[2],
            "bottom": bbox[3],
        })
    for col in range(first_amount, len(texts)):
        if texts[col] and col not in measures:
            problems.append(Problem(
                "unplaced_text", f"Text '{texts[col]}' is printed outside every table column.",
                ctx.source_file, page=row.page, table=kind, row=index, observed_text=texts[col],
                bbox=row.cells[col].bbox))
    return out, problems


def blocks_to_rows(blocks: list[TableBlock], ctx: FrameContext) -> tuple[list[dict], list[Problem]]:
    """Long-form rows and problems of every table block, in document order."""
    rows: list[dict] = []
    problems: list[Problem] = []
    for block in blocks:
        new_rows, new_problems = block_to_rows(block, ctx)
        rows.extend(new_rows)
        problems.extend(new_problems)
    return rows, problems


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
    """Blocks that are allocation tables; the rows of the others go back to the text rows."""
    kept = []
    for block in blocks:
        if block_kind(block) is None:
            others = others + block.rows
        else:
            kept.append(block)
    return kept, others
