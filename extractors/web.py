"""HTML reader: block elements as text blocks, and allocation tables from simple <table>s.

A table's <caption> is read as its title, so a unit it states ("Belopp i miljoner kronor")
applies to the amount columns whose header states none.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from extractors.base import Extraction, ExtractSettings, allocations_frame, attributes_frame
from extractors.decoding import decode_html, fallback_problem
from extractors.div_tables import Block, block_rows
from extractors.fixed_width import text_table_rows
from extractors.grid_reading import grid_to_reading
from extractors.limits import check_file, check_text_file, refuse_count
from extractors.metadata import text_to_metadata
from extractors.name_lists import list_lines
from extractors.tables import (
    Cell,
    FrameContext,
    GridRow,
    collapse,
)

FORMAT = "html"
SUFFIXES = (".html", ".htm", ".xhtml")
DEFAULT_SETTINGS = ExtractSettings()
BLOCK_TAGS = {"p", "div", "li", "dt", "dd", "blockquote", "pre", "section", "article", "header",
              "footer", "main", "aside", "caption", "figcaption", "address", "title"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


def detect(path: Path) -> bool:
    """True for .html/.htm files, or files that start like an HTML document."""
    path = Path(path)
    if path.suffix.lower() in SUFFIXES:
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(512).lstrip().lower()
    except OSError:
        return False
    return head.startswith((b"<!doctype html", b"<html"))


MAX_COLSPAN = 1000  # the HTML standard's own limits
MAX_ROWSPAN = 65534


def _span(attrs, name: str, limit: int) -> int:
    value = dict(attrs).get(name) or "1"
    try:
        return min(max(1, int(value.strip())), limit)
    except ValueError:
        return 1


class _Table:
    """One open <table>: its number, the row being read and the cells rowspans carry down."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.cells: list[Cell] | None = None  # the open row's grid positions
        self.cell: list[str] | None = None  # the open cell's text
        self.span = (1, 1)  # the open cell's colspan and rowspan
        self.carry: dict[int, int] = {}  # column -> rows below still covered by a rowspan
        self.layout = False  # the open row holds a nested table: its texts are paragraphs

    def fill_carried(self) -> None:
        """Empty positions for the columns next in the open row that a rowspan above covers."""
        assert self.cells is not None
        while self.carry.get(len(self.cells), 0) > 0:
            self.cells.append(Cell(""))


class _TooMany(Exception):
    """More elements, cells or rows than a limit allows; `setting` names it."""

    def __init__(self, setting: str, count: int) -> None:
        super().__init__(setting)
        self.setting, self.count = setting, count


_COUNTED = {"max_dom_nodes": "HTML elements", "max_table_cells": "table cells",
            "max_table_rows": "table rows"}


class _BlockParser(HTMLParser):
    """Collects block texts and table rows in document order, as one-cell and multi-cell rows.

    A table becomes a grid: a cell spanning columns (colspan) or rows (rowspan) keeps its text
    in its first position and leaves the others empty, so every cell stays under its header. A
    row holding a nested table is a layout row: its texts are paragraphs, the nested table's
    rows follow as a table of their own.
    """

    def __init__(self, settings: ExtractSettings = DEFAULT_SETTINGS) -> None:
        super().__init__(convert_charrefs=True)
        self.settings = settings
        self.counts = {"max_dom_nodes": 0, "max_table_cells": 0, "max_table_rows": 0}
        self.rows: list[GridRow] = []
        self.kinds: dict[int, str] = {}
        self.buffer: list[str] = []
        self.tables: list[_Table] = []
        self.table_no = 0
        self.skip = 0
        self.heading = False
        self.pre = 0  # open <pre> elements: their text keeps its lines and spaces
        self.blocks: list[Block] = [Block("", 0)]  # open block elements, the page's body first

    def _flush(self) -> None:
        """The text collected outside table cells as a paragraph row."""
        text, self.buffer = "".join(self.buffer), []
        for line in list_lines(text) or [text]:
            self._paragraph(line)

    def _paragraph(self, text: str) -> None:
        text = collapse(text)
        if text:
            row = GridRow([Cell(text)], page=None, from_table=False)
            self.kinds[id(row)] = "heading" if self.heading else "paragraph"
            self.rows.append(row)

    def _count(self, setting: str, step: int = 1) -> None:
        """Count elements, cells or rows; beyond their limit the reading stops (_TooMany)."""
        self.counts[setting] += step
        if self.counts[setting] > getattr(self.settings, setting):
            raise _TooMany(setting, self.counts[setting])

    def handle_starttag(self, tag: str, attrs) -> None:
        self._count("max_dom_nodes")
        table = self.tables[-1] if self.tables else None
        in_cell = table is not None and table.cell is not None
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag == "table":
            if in_cell:  # a nested table: the outer row is a layout row
                table.layout = True
                self._paragraph("".join(table.cell))
                table.cell = []
            else:
                self._flush()
            self.table_no += 1
            self.tables.append(_Table(self.table_no))
        elif tag == "br":  # a line break: a list's lines are cut there (name_lists.py)
            (table.cell if in_cell else self.buffer).append(" " if in_cell else "\n")
        elif table is not None and tag == "tr":
            self._end_row(table)
            table.cells, table.layout = [], False
        elif table is not None and tag in ("td", "th"):
            self._end_cell(table)
            if table.cells is None:
                table.cells, table.layout = [], False
            table.fill_carried()
            table.cell = []
            table.span = (_span(attrs, "colspan", MAX_COLSPAN),
                          _span(attrs, "rowspan", MAX_ROWSPAN))
        elif not in_cell and (tag in BLOCK_TAGS or tag in HEADING_TAGS):
            self._flush()
            self.heading = tag in HEADING_TAGS
            self.pre += tag == "pre"
            self.blocks.append(Block(tag, len(self.rows)))

    def _end_pre(self) -> None:
        """Preformatted text as paragraphs, and each block of it that lines its columns up
        as a table of its own (extractors/fixed_width.py)."""
        text, self.buffer = "".join(self.buffer), []
        for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
            lines = [ln for ln in chunk.split("\n") if ln.strip()]
            found = text_table_rows(lines, self.table_no + 1, self.table_no + 1) if lines else None
            if found is None:
                self._paragraph(chunk)
                continue
            self.table_no += 1
            for row in found:
                self._count("max_table_cells", len(row.cells))
                self._count("max_table_rows")
                self.rows.append(row)

    def _end_cell(self, table: _Table) -> None:
        if table.cell is None or table.cells is None:
            table.cell = None
            return
        text = collapse("".join(table.cell))
        cols, rows = table.span
        if table.layout:
            self._paragraph(text)
            text = ""
        self._count("max_table_cells", cols)
        start = len(table.cells)
        table.cells.append(Cell(text, span=cols if text else 1))
        table.cells.extend(Cell("") for _ in range(cols - 1))
        for col in range(start, start + cols):
            if rows > 1:
                table.carry[col] = rows  # this row included; counted down at the row's end
        table.cell = None

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        if table.cells is None:
            return
        table.fill_carried()
        for col in list(table.carry):
            table.carry[col] -= 1
            if table.carry[col] <= 0:
                del table.carry[col]
        if not table.layout:
            self._count("max_table_rows")
            self.rows.append(GridRow(table.cells, page=table.number, is_header=False,
                                     table_id=table.number))
        table.cells, table.layout = None, False

    def handle_endtag(self, tag: str) -> None:
        table = self.tables[-1] if self.tables else None
        in_cell = table is not None and table.cell is not None
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and table is not None:
            self._end_row(table)
            self._flush()
            self.tables.pop()
        elif table is not None and tag in ("td", "th"):
            self._end_cell(table)
        elif table is not None and tag == "tr":
            self._end_row(table)
        elif not in_cell and tag == "pre" and self.pre:
            self._end_pre()
            self.pre -= 1
            self._end_block(tag)
        elif not in_cell and (tag in BLOCK_TAGS or tag in HEADING_TAGS):
            self._flush()
            self.heading = False
            self._end_block(tag)

    def _text_of(self, index: int) -> str | None:
        row = self.rows[index]
        return row.cells[0].text if self.kinds.get(id(row)) == "paragraph" else None

    def _end_block(self, tag: str) -> None:
        """Close the innermost open block `tag` (and any left open inside it); a block built
        as a table of <div>s becomes that table's rows (extractors/div_tables.py)."""
        if not any(b.tag == tag for b in self.blocks[1:]):
            return  # an end tag without its start: nothing to close
        while True:
            block = self.blocks.pop()
            block.end = len(self.rows)
            rows = block_rows(block, self._text_of)
            if rows is not None:
                self._fold(block, rows)
            self.blocks[-1].children.append(block)
            if block.tag == tag:
                return

    def _fold(self, block: Block, rows: list[list[str]]) -> None:
        """Replace a block's paragraph rows by the rows of the table it lays out."""
        self.table_no += 1
        table = []
        for texts in rows:
            self._count("max_table_cells", len(texts))
            self._count("max_table_rows")
            table.append(GridRow([Cell(t) for t in texts], page=self.table_no,
                                 table_id=self.table_no))
        for row in self.rows[block.start:block.end]:
            self.kinds.pop(id(row), None)
        self.rows[block.start:block.end] = table
        block.end = block.start + len(table)
        block.children, block.rows = [], rows

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        table = self.tables[-1] if self.tables else None
        (table.cell if table is not None and table.cell is not None else self.buffer).append(data)

    def close(self) -> None:
        super().close()
        while self.tables:
            self._end_row(self.tables.pop())
        self._flush()


def extract(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Extraction:
    """Text blocks, allocation rows from tables, metadata and problems of an HTML page."""
    path = Path(path)
    check_file(path, settings, "HTML")
    check_text_file(path, settings, "HTML")
    decoded = decode_html(path.read_bytes())
    parser = _BlockParser(settings)
    try:
        parser.feed(decoded.text)
        parser.close()
    except _TooMany as exc:
        raise refuse_count(path, f"the page has too many {_COUNTED[exc.setting]}", exc.count,
                           exc.setting, getattr(settings, exc.setting)) from None
    read = grid_to_reading(parser.rows, parser.kinds,
                           FrameContext(path.name, FORMAT, settings.max_amount_sek))
    tables = read.tables
    warned = fallback_problem(decoded, path.name)
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(tables.rows),
        text=read.text, metadata=text_to_metadata(read.text),
        problems=tables.problems + ([warned] if warned else []),
        attributes=attributes_frame(tables.attributes), tables=tables.tables,
        blocks=read.blocks, lists=read.lists)
