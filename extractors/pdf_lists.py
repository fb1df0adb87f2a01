"""Name–amount lists in a PDF's running text, read as the grid readers read them.

A press release printed to PDF lists an allocation as lines ("Stockholm: 164 423 176 kr", one
recipient a line) that no table layout holds: there are no columns, only text. The HTML, DOCX
and text readers read such runs as tables of one amount column (extractors/name_lists.py); a
PDF's lines left outside its tables are the same rows, one cell a line, and are read the same
way here: a list whose names carry a form the table kinds know is an allocation table, a list
of bare names is handed to the pipeline to resolve (``Extraction.lists``), and every list keeps
its fate (a list block, with its page) so that its money is reported when nothing reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from extractors.amounts import normalize_spaces
from extractors.base import BlockInfo
from extractors.fates import DEFAULT_MIN_LIST_LINES, list_infos, row_text
from extractors.grid import TableBlock
from extractors.kinds import block_kind
from extractors.lines import Line, words_box
from extractors.name_lists import NameList, is_list_item, list_blocks
from extractors.rows import Cell, GridRow


@dataclass
class PdfLists:
    """The lists among a PDF's text lines: those read as tables (``blocks``), the lines that
    stay text, the text of each line of a list left for the pipeline (by line id: each is a
    paragraph of its own, as a list line is in the other formats), those lists, and the fate
    of every list that stays text."""

    blocks: list[TableBlock]
    outside: list[Line]
    alone: dict[int, str]
    unresolved: list[NameList]
    infos: list[BlockInfo]


def lines_to_lists(outside: list[Line], source_file: str,
                   continues: Callable[[Line, Line], bool]) -> PdfLists:
    """Read the name–amount lists among the text lines (in reading order) of one PDF.

    Each line that prints a name and an amount is a row; the other lines are joined into one
    row a paragraph (``continues(last, line)``: same paragraph), so that a list's title is the
    whole paragraph above it ("… betala ut 703 000 000 kronor till regionerna … Så här
    fördelas pengarna:"), which may name the level of its names, not only its last line."""
    item = {id(line): is_list_item(line.text) for line in outside}
    if sum(item.values()) < DEFAULT_MIN_LIST_LINES:
        return PdfLists([], outside, {}, [], [])  # no list: nothing to read (most documents)
    groups: list[list[Line]] = []
    for line in outside:
        if groups and not item[id(groups[-1][-1])] and not item[id(line)] \
                and continues(groups[-1][-1], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    rows = [GridRow([Cell(" ".join(line.text for line in group))], group[0].page,
                    from_table=False) for group in groups]
    lines_of = {id(row): group for row, group in zip(rows, groups, strict=True)}
    blocks, unresolved, taken = [], [], set()
    for found in list_blocks(rows, rows):
        for list_row, row in zip(found.block.rows, found.rows, strict=True):
            _box_cells(list_row, lines_of[id(row)][0])
        if block_kind(found.block) is None:
            unresolved.append(found)
        else:
            blocks.append(found.block)
            taken |= {id(row) for row in found.rows}
    others = [row for row in rows if id(row) not in taken]
    alone = {id(lines_of[id(row)][0]): row_text(row) for found in unresolved
             for row in found.rows}
    return PdfLists(blocks, [ln for r in others for ln in lines_of[id(r)]], alone, unresolved,
                    list_infos(rows, others, source_file))


def _box_cells(item: GridRow, line: Line) -> None:
    """The boxes of a list row's name and amount cells: the line's last words that print the
    amount, and the words before them (where the words do not spell the cells, none)."""
    amount = normalize_spaces(item.cells[1].text).replace(" ", "")
    words = line.words
    for start in range(len(words) - 1, 0, -1):
        printed = "".join(w["text"] for w in words[start:])
        if normalize_spaces(printed).replace(" ", "").rstrip(".") == amount:
            name, money = item.cells
            item.cells = [replace(name, bbox=words_box(words[:start])),
                          replace(money, bbox=words_box(words[start:]))]
            return
