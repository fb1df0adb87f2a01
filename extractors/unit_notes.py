"""Units stated outside a table: a line near it that says what its amounts are counted in.

Documents often state the unit once beside the table instead of in its header: "Belopp i
tusental kronor (tkr)" above the title, "Anm. Belopp i Mkr" under the last row, "Samtliga
belopp i tkr" heading an annex of several tables. `unit_notes` finds, for every table of a
document, the line that states its unit (`unit_statement`: short, no amount in it, a unit
phrase of extractors/vocabulary/units.toml):

- above: the nearest statement above the table, with at most ``max_lines_between`` short lines
  (its title, a page header) and no running text between;
- below: a statement right after the table's last row, when another line follows before the
  next table (a statement alone between two tables is the next one's, as a caption is);
- carried: a table with no statement of its own, separated from the previous table by short
  lines only (its title, page furniture), is counted in the statement above that table: one
  statement heading a run of tables covers them all.

A column header, a unit in the cells, a group header and the table's title outrank the note
(extractors/money_columns.py). The readers hand their document as lines of text and tables in
reading order: `grid_unit_notes` for DOCX, HTML and text rows, `unit_notes` for PDF lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from extractors.grid import TableBlock
from extractors.money_columns import unit_statement
from extractors.rows import GridRow, collapse
from extractors.vocabulary import unit_words

if TYPE_CHECKING:
    from extractors.layout import PdfTable
    from extractors.lines import Line

Item = str | int  # a line of text, or the index of a table in the document's table list


def unit_notes(sequence: Sequence[Item], titles: Sequence[str]) -> list[str]:
    """For each table (titles[i] is table i's title) the line stating its unit, "" for none.

    ``sequence`` is the document in reading order: its lines of text (titles, paragraphs, page
    furniture) and each table's index once, where the table stands.
    """
    notes = [""] * len(titles)
    carried: dict[int, str] = {}  # a statement above a table, which the tables after it share
    gap: list[str] = []
    previous: int | None = None
    for item in [*sequence, None]:
        if isinstance(item, str):
            if collapse(item):
                gap.append(collapse(item))
            continue
        below = previous is not None and bool(gap) and unit_statement(gap[0]) is not None and (
            item is None or len(gap) > 1)
        if below and not notes[previous]:
            notes[previous] = gap[0]
        if item is not None:
            above = _statement_above(gap[1:] if below else gap)
            if above:
                notes[item] = above
                if collapse(above) not in collapse(titles[item]):
                    carried[item] = above
            elif previous in carried and _only_short(gap):
                notes[item] = carried[item] = carried[previous]
        previous, gap = item, []
    return notes


def _short(line: str) -> bool:
    return len(line.split()) <= unit_words().note_max_words


def _statement_above(lines: list[str]) -> str:
    """The nearest statement of a unit among the lines right above a table, "" for none."""
    between = 0
    for line in reversed(lines):
        if unit_statement(line):
            return line
        between += 1
        if not _short(line) or between > unit_words().note_max_lines_between:
            return ""
    return ""


def _only_short(lines: list[str]) -> bool:
    """True when the lines between two tables are a title and page furniture at most."""
    return len(lines) <= unit_words().note_max_lines_between and all(map(_short, lines))


def grid_unit_notes(rows: Sequence[GridRow], blocks: Sequence[TableBlock]) -> None:
    """Set each block's ``unit_note`` from the rows of its document (DOCX, HTML, text): a
    block stands where its first row is, rows up to its last one are inside it, every other
    row is a line of text."""
    owner: dict[int, int] = {}
    for index, block in enumerate(blocks):
        for row in [*block.header_rows, *block.rows]:
            owner[id(row)] = index
    last = {index: position for position, row in enumerate(rows)
            if (index := owner.get(id(row))) is not None}
    sequence: list[Item] = []
    inside_until = -1
    for position, row in enumerate(rows):
        index = owner.get(id(row))
        if index is not None and position > inside_until:
            sequence.append(index)
            inside_until = last[index]
        elif position > inside_until:
            sequence.append(" ".join(collapse(c.text) for c in row.cells if collapse(c.text)))
    for block, note in zip(blocks, unit_notes(sequence, [b.title for b in blocks]),
                           strict=True):
        block.unit_note = note


def pdf_unit_notes(tables: Sequence[PdfTable], outside: Sequence[Line],
                   blocks: Sequence[TableBlock]) -> None:
    """Set each block's ``unit_note`` from the PDF's lines: tables[i] is the table blocks[i]
    was read from, ``outside`` the lines in no table (any order). A line printed between a
    table's first and last line (page furniture of a table over pages) is inside it."""
    spans = []
    for table in tables:
        first = (table.band or table.body)[0]
        last = table.body[-1] if table.body else first
        spans.append(((first.page, first.top), (last.page, last.bottom)))
    placed: list[tuple[tuple[int, float], Item]] = [
        (start, index) for index, (start, _) in enumerate(spans)]
    for line in outside:
        key = (line.page, line.top)
        if not any(start <= key <= end for start, end in spans):
            placed.append((key, line.text))
    placed.sort(key=lambda pair: (pair[0], isinstance(pair[1], str)))
    notes = unit_notes([item for _, item in placed], [b.title for b in blocks])
    for block, note in zip(blocks, notes, strict=True):
        block.unit_note = note
