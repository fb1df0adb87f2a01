"""Table kinds: whether a block is a region, kommun or länsgemensamma (län) table, from its
title, label headers, codes and name forms, or a table of recipients that are no SCB unit
("other": universities, funds, programme areas, told by its name-column header or its names
as extractors/vocabulary/tables.toml lists them), and which columns hold its labels.
"""

from __future__ import annotations

import re

from extractors.codes import code_column_of
from extractors.grid import TableBlock
from extractors.rows import (
    CODE_RE,
    GridRow,
    classify_row,
    collapse,
    is_value,
    split_code_name,
)
from extractors.text_cache import text_cache
from extractors.vocabulary import label_key, table_words

OTHER = "other"  # the kind of a table of recipients that are no kommun, region or län
DEFAULT_MAX_NAME_WORDS = 6  # a recipient's name is short; a purpose or a sentence is longer
_PUNCT = re.compile(r"[^\w\s]")

# Name forms that tell a table's kind when no header does ("Skåne län", "Region Skåne").
_NAME_KIND_RES = (
    ("lan", re.compile(r"\slän$")),
    ("region", re.compile(r"^region\s|regionen$|landsting(et)?$")),
    ("kommun", re.compile(r"\s(kommun|stad)$")),
)


# The label header that ends a word of two header cells run together ("LänskodRegion",
# "KodKommun", "LänskodLän"): the cell printed last names the rows.
_TOUCHING_ENDS = (("kommun", ("kommun", "kommunnamn")), ("lan", ("län", "länsnamn")),
                  ("region", ("region", "regionnamn", "landsting")))


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
    for word in label_words:  # two header cells printed touching: "LänskodRegion"
        for kind, ends in _TOUCHING_ENDS:
            if word.endswith(ends) and word not in ends:
                return kind
    by_names = kind_from_names(names or [])
    if by_names or not lengths:
        return by_names
    title_words = set(title_l.split())
    for word, kind in (("kommun", "kommun"), ("län", "lan"), ("region", "region")):
        if word in title_words:
            return kind
    return None


def cell_texts(block: TableBlock) -> tuple[tuple[str, ...], ...]:
    """A block's body cells as printed, row by row: what its label columns and kind are found
    from, once per table (the pieces, the kind and the money readers all ask)."""
    return tuple(tuple(c.text for c in r.cells) for r in block.rows)


def first_amount_col(block: TableBlock, code_col: int | None | str = "find") -> int:
    """Index of the first column holding values (columns before it are code and name); the
    code column (`code_column`, found unless given) holds no values wherever it stands."""
    cells = cell_texts(block)
    code_col = code_column_of(cells) if code_col == "find" else code_col
    return _first_amount_col(cells, code_col, len(block.header))


def label_columns(block: TableBlock) -> tuple[int | None, int]:
    """The block's code column right of its names (`code_column`) and its first value column
    (`first_amount_col`)."""
    cells = cell_texts(block)
    code_col = code_column_of(cells)
    return code_col, _first_amount_col(cells, code_col, len(block.header))


@text_cache
def _first_amount_col(cells: tuple[tuple[str, ...], ...], code_col: int | None,
                      header_width: int) -> int:
    firsts = []
    for row in cells:
        texts = [collapse(t) for t in row]
        filled = [i for i, t in enumerate(texts) if t]
        named = classify_row(texts) in ("named", "total", "subtotal")
        for i in filled[1:]:
            if i != code_col and is_value(texts[i]) and not (
                    i == filled[1] and CODE_RE.match(texts[i]) and not named):
                firsts.append(i)
                break
    return min(firsts) if firsts else header_width


def row_label(texts: list[str], first_amount: int, code_col: int | None = None
              ) -> tuple[str, str]:
    """The (code, name) of a row from its cells before the first value column, the code from
    the code column where the table prints one after the names (`code_column`)."""
    if code_col is not None:
        code = texts[code_col] if code_col < len(texts) else ""
        rest = [t for i, t in enumerate(texts[:first_amount]) if t and i != code_col]
        return code, collapse(" ".join(rest))
    labels = [t for t in texts[:first_amount] if t]
    if not labels:
        return "", ""
    code, name = split_code_name(labels[0])
    rest = " ".join(labels[1:])
    return (code, collapse(f"{name} {rest}")) if code else ("", collapse(" ".join(labels)))


def other_recipients(label_headers: list[str], names: list[str]) -> bool:
    """Whether named rows (no codes) are recipients that are no SCB unit: at least two short
    names (no sentence), under a name-column header of the vocabulary ("Lärosäte") or most
    of them carrying a name word of it ("Lunds universitet")."""
    words = table_words()
    names = [collapse(n) for n in names if collapse(n)]
    if len(names) < 2 or any(len(n.split()) > DEFAULT_MAX_NAME_WORDS or n.endswith(".")
                             for n in names):
        return False
    header = label_key(_PUNCT.sub(" ", " ".join(h for h in label_headers if collapse(h))))
    if header in words.other_label_headers:
        return True
    named = sum(any(label_key(w) in words.other_name_words for w in _PUNCT.sub(" ", n).split())
                for n in names)
    return named * 2 > len(names)


def block_kind(block: TableBlock) -> str | None:
    """The table kind of a block ("region", "kommun", "lan", or "other" for recipients that
    are no SCB unit), or None when it is no allocation table (e.g. a numbered list of purposes
    with amounts, or a block of total rows alone, left to the text readers)."""
    return _block_kind(cell_texts(block), tuple(block.header), tuple(block.groups), block.title)


@text_cache
def _block_kind(cells: tuple[tuple[str, ...], ...], printed_header: tuple[str, ...],
                groups: tuple[str, ...], title: str) -> str | None:
    code_col = code_column_of(cells)
    first_amount = _first_amount_col(cells, code_col, len(printed_header))
    labels = [row_label([collapse(t) for t in row], first_amount, code_col) for row in cells
              if classify_row(list(row)) not in ("total", "subtotal")]
    if not labels:  # only total rows: no recipient, so no allocation table
        return None
    header = list(printed_header) + [""] * max(0, first_amount - len(printed_header))
    groups = list(groups) + [""] * len(header)
    header = [collapse(f"{groups[i]} {h}") for i, h in enumerate(header)]  # "Kommun" over Kod
    names = [n for c, n in labels if not c]
    kind = detect_kind(title, header[:first_amount], [c for c, _ in labels], names)
    if kind is None and len(names) == len(labels) and other_recipients(header[:first_amount],
                                                                       names):
        return OTHER
    return kind


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
