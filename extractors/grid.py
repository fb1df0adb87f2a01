"""Grid rows to table blocks: `grid_to_blocks` finds the allocation tables among a document's
rows (a header followed by coded rows, ending at Riket), stitches tables that continue after a
repeated header and joins header rows per column; `rows_to_text` gives the rest back as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from extractors.amounts import looks_like_amount
from extractors.base import TextBlock
from extractors.rows import CODE_RE, GridRow, classify_row, collapse, is_total_label
from extractors.varav import VARAV, is_part_row
from extractors.vocabulary import table_words

BODY_KINDS = ("data", "total", "named", "subtotal")  # rows of a table's body (classify_row)


@dataclass
class TableBlock:
    """One allocation table: its title, one joined header text per column and its body rows."""

    title: str
    header: list[str]
    rows: list[GridRow] = field(default_factory=list)
    closed: bool = False  # a total (Riket) row ended it
    header_rows: list[GridRow] = field(default_factory=list)  # as printed, for the text
    groups: list[str] = field(default_factory=list)  # per column: the group header spanning it
    # ("Medel, kronor" over three amount columns), "" where none; context, not the measure
    row_kinds: dict[int, str] = field(default_factory=dict)  # row -> kind fixed by joining
    # printed pieces (extractors/pieces.py): a piece's closing row is a subtotal
    pieces: int = 1  # printed pieces (tables, page pieces) this table was joined from
    unit_note: str = ""  # a line near the table stating its unit ("Belopp i tusental
    # kronor"), found by extractors/unit_notes.py; the title and headers outrank it


# Words that follow a hyphen standing for a word's elided end ("Hälso- och sjukvård"): the
# hyphen is printed, not a break. Grammar, not any year's headers.
SUSPENDED_HYPHEN_WORDS = frozenset({"och", "eller", "samt", "resp.", "respektive", "till"})
# Swedish function words: words of their own in any document, so never the piece of a word
# cut at a line's end (grammar, not any year's headers).
FUNCTION_WORDS = frozenset({"och", "eller", "samt", "med", "för", "till", "av", "i", "på",
                            "om", "inom", "vid", "utan", "mot", "per", "under", "efter",
                            "den", "det", "de", "som", "att", "en", "ett", "är", "varav"})
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def vocabulary(texts: list[str]) -> frozenset[str]:
    """The words (case-folded) printed in texts: what counts as a word of the document."""
    tokens = set(_TOKEN_RE.findall(" ".join(texts)))  # a space joins: no token spans two
    return frozenset(t.casefold() for t in tokens)


@cache
def table_vocabulary() -> frozenset[str]:
    """The words of the table phrases extractors/vocabulary/tables.toml lists (total-row
    labels, subtotal prefixes, row-total headers): whole words wherever a header wraps."""
    words = table_words()
    return vocabulary([*words.total_labels, *words.subtotal_prefixes, *words.total_headers])


def join_wrapped(pieces: list[str], vocab: frozenset[str] = frozenset(),
                 fills: list[bool] | None = None) -> str:
    """One header text from the lines it was wrapped into.

    A hyphen at a line's end is a break ("Trauma-|vård" is Traumavård) unless the next line
    starts with a word a hyphen stands before ("Hälso-|och sjukvård"), or the document prints
    the hyphenated word. A line that ends inside a word ("Brukarmedver|kan") is joined without
    a space when the document prints the joined word elsewhere, or when neither piece is a word
    of the document and the line could only have been cut inside a word (``fills``). Two
    pieces that are each a whole word of the table vocabulary (`table_vocabulary`) and do not
    make one of its words stay two words: "Totalt" over "belopp" is "Totalt belopp".
    """
    out = ""
    for i, piece in enumerate(p for p in (collapse(x) for x in pieces) if p):
        if not out:
            out = piece
            continue
        left, right = out.split(" ")[-1], piece.split(" ")[0]
        joined = _join_word(left, right, vocab, bool(fills and i - 1 < len(fills)
                                                      and fills[i - 1]))
        out = out[: len(out) - len(left)] + joined + piece[len(right):] if joined else (
            f"{out} {piece}")
    return out


def _join_word(left: str, right: str, vocab: frozenset[str], fills: bool) -> str | None:
    """The word left and right make when a line break cut it, or None when they are two."""
    if not right[:1].isalpha() or not right[:1].islower():
        return None
    if left.endswith("-") and left[:-1][-1:].isalpha():
        if right.casefold() in SUSPENDED_HYPHEN_WORDS:
            return None
        return left + right if f"{left}{right}".casefold() in vocab else left[:-1] + right
    if not (left[-1:].isalpha() and right.isalpha()):
        return None
    if (left + right).casefold() in vocab | table_vocabulary():
        return left + right
    if left.casefold() in table_vocabulary() and right.casefold() in table_vocabulary():
        return None  # two whole words of table headers ("Totalt" / "belopp"): a space
    known = vocab | FUNCTION_WORDS
    if fills and left.casefold() not in known and right.casefold() not in known:
        return left + right
    return None


def join_header_rows(rows: list[list[str]], width: int,
                     vocab: frozenset[str] = frozenset()) -> list[str]:
    """One header text per column: the column's texts over all header rows, whitespace
    collapsed, words broken across rows rejoined (`join_wrapped`)."""
    joined = []
    for col in range(width):
        parts = [r[col] for r in rows if col < len(r) and collapse(r[col])]
        joined.append(join_wrapped(parts, vocab))
    return joined


def split_group_headers(rows: list[GridRow]) -> tuple[list[list[str]], list[str]]:
    """Header rows as texts with their group headers taken out, and each column's group text.

    A merged header cell (``span`` > 1) is a group header when a lower header row prints a
    header of its own in at least two of the columns it spans; then it names all of them as
    context and none of them as its measure. Any other merged cell stays its first column's.
    """
    texts = [[c.text for c in r.cells] for r in rows]
    width = max((len(t) for t in texts), default=0)
    groups = [""] * width
    for i, row in enumerate(rows):
        for col, cell in enumerate(row.cells):
            cols = range(col, min(col + cell.span, width))
            if cell.span < 2 or not collapse(cell.text):
                continue
            below = sum(any(c < len(t) and collapse(t[c]) for t in texts[i + 1:]) for c in cols)
            if below >= 2:
                for c in cols:
                    groups[c] = collapse(f"{groups[c]} {cell.text}")
                texts[i][col] = ""
    return texts, groups


def _new_printed_table(current: TableBlock | None, row: GridRow) -> bool:
    """True when row sits in another printed table (w:tbl, <table>) than the open table's rows."""
    last = current.rows[-1].table_id if current is not None and current.rows else None
    return last is not None and row.table_id is not None and row.table_id != last


def is_header_by_words(texts: list[str]) -> bool:
    """A table row of words and bare numbers ("Kod | Region | 2024 | 2025"): a header when it
    stands above the body, whatever digits it holds. It leads with a word (no total label), holds
    two words or more, and its numbers are short bare numbers (years, column numbers), never
    amounts by their shape, so a recipient row ("01 | Stockholm | 129 530 375") is none."""
    filled = [collapse(t) for t in texts if collapse(t)]
    if len(filled) < 2 or not filled[0][:1].isalpha() or is_total_label(filled[0]):
        return False
    numbers = [t for t in filled if CODE_RE.match(t)]
    words = [t for t in filled if not CODE_RE.match(t)]
    return len(words) >= 2 and bool(numbers) and not any(ch.isdigit() for t in words for ch in t)


def grid_to_blocks(rows: list[GridRow]) -> tuple[list[TableBlock], list[GridRow]]:
    """Allocation tables found among grid rows, and the rows that belong to no such table.

    A table starts at the header rows right above its first coded (or named) row. Header rows
    equal to the open table's header (repeated on a new page) are dropped and the table continues,
    unless running text (a heading or paragraph) came between or the header opens another
    printed table (a new w:tbl or <table>): then it is another table. A printed table without
    header rows of its own continues the open one.
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
        if current is not None and row.from_table and is_part_row(texts):
            current.rows.append(row)  # "varav …": a part of the row above (varav.py)
            current.row_kinds[len(current.rows) - 1] = VARAV
            continue
        if not row.from_table and kind not in BODY_KINDS:
            interrupted = current is not None
        if kind == "other" and row.from_table and is_header_by_words(texts):
            kind = "header"
        if kind in ("title", "header") and not (kind == "title" and row.is_header):
            if kind == "title":
                others.extend(pending)
                others.append(row)
                title, pending = collapse(texts[0] if len(texts) == 1 else " ".join(texts)), []
            else:
                pending.append(row)
            continue
        if kind in BODY_KINDS:
            leaf, groups = split_group_headers(pending)
            header = join_header_rows(leaf, len(texts))
            if pending and (current is None or header != current.header or current.closed
                            or interrupted or _new_printed_table(current, row)):
                current = TableBlock(title=title, header=header, header_rows=pending,
                                     groups=groups)
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
