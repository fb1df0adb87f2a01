"""Lists of name–amount lines, read as tables of one amount column.

Press releases and letters print an allocation as lines ("Region Stockholm: 164 423 176 kronor"),
as list items (<li>), as lines of one paragraph cut by line breaks (<br> in HTML, a soft line
break w:br in Word), or as paragraphs of their own. All of them are one block shape here: a run
of at least DEFAULT_MIN_LIST_LINES consecutive lines each printing a name and one amount.

`list_lines` cuts a paragraph at its line breaks when its lines make such a list, so a <br> list
is the same rows as a <li> list. `list_blocks` turns each run into a table block (the name, then
the amount under the measure LIST_MEASURE, since a list prints no column header), titled by the
text right above it. Whether it is an allocation table is then told as for any table of names:
by name forms the table kinds know ("Region Stockholm", "Skåne län"), or by the names
themselves, which the pipeline resolves (pipeline/name_lists.py); a list whose names tell no
kind stays text, and its money is reported by the fates (extractors/fates.py) when nothing
reconciles it.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.fates import DEFAULT_MIN_LIST_LINES, NAME_AMOUNT_LINE, money_value, row_text
from extractors.grid import TableBlock
from extractors.kinds import block_kind
from extractors.rows import Cell, GridRow, collapse

LIST_MEASURE = "Belopp"  # the measure of a list's amounts: a list prints no column header
_BREAKS = ("\n", "\r", "\u2028")


def is_list_item(line: str) -> bool:
    """Whether a line prints a name and one amount of money: a list's line."""
    match = NAME_AMOUNT_LINE.match(collapse(line))
    return bool(match) and money_value(match["amount"]) is not None


def list_lines(text: str) -> list[str] | None:
    """The lines of a paragraph cut by line breaks when at least DEFAULT_MIN_LIST_LINES of
    them are name–amount lines (a list printed as one paragraph), else None."""
    if not any(b in text for b in _BREAKS):
        return None
    lines = [ln for ln in text.replace("\r", "\n").replace("\u2028", "\n").split("\n")
             if collapse(ln)]
    return lines if sum(is_list_item(ln) for ln in lines) >= DEFAULT_MIN_LIST_LINES else None


@dataclass
class NameList:
    """One run of name–amount lines: its block (a table of names) and the rows it came from."""

    block: TableBlock
    rows: list[GridRow]


def _item_row(row: GridRow) -> GridRow:
    match = NAME_AMOUNT_LINE.match(row_text(row))
    assert match is not None
    return GridRow([Cell(collapse(match["name"])), Cell(collapse(match["amount"]))], row.page,
                   from_table=False)


def list_blocks(rows: list[GridRow], others: list[GridRow],
                min_lines: int = DEFAULT_MIN_LIST_LINES) -> list[NameList]:
    """Each run of name–amount lines among the text rows (``others``, paragraphs only) as a
    table of names, titled by the nearest text row above it."""
    outside = {id(r) for r in others}
    found: list[NameList] = []
    run: list[GridRow] = []
    title = ""
    for row in [*rows, None]:
        text = row_text(row) if row is not None and id(row) in outside and not \
            row.from_table else ""
        if text and is_list_item(text):
            run.append(row)
            continue
        if len(run) >= min_lines:
            block = TableBlock(title=title, header=["", LIST_MEASURE],
                               rows=[_item_row(r) for r in run])
            found.append(NameList(block, run))
        run = []
        if text:
            title = text
    return found


@dataclass
class ListsRead:
    """A reader's tables with the lists read as tables among them (reading order), the rows
    that stay text (those of the lists read as tables left out), and the lists whose names tell no
    kind the table kinds know (for the pipeline to resolve)."""

    blocks: list[TableBlock]
    others: list[GridRow]
    unresolved: list[NameList]


def read_lists(rows: list[GridRow], blocks: list[TableBlock], others: list[GridRow]
               ) -> ListsRead:
    """The lists among the text rows read as tables where their names tell the kind."""
    position = {id(r): i for i, r in enumerate(rows)}
    placed = [(position.get(id(b.rows[0]), 0) if b.rows else 0, b) for b in blocks]
    taken: set[int] = set()
    unresolved = []
    for found in list_blocks(rows, others):
        if block_kind(found.block) is None:
            unresolved.append(found)
            continue
        placed.append((position[id(found.rows[0])], found.block))
        taken |= {id(r) for r in found.rows}
    placed.sort(key=lambda pb: pb[0])
    return ListsRead([b for _, b in placed], [r for r in others if id(r) not in taken],
                     unresolved)
