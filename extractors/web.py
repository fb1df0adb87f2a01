"""HTML reader: block elements as text blocks, and allocation tables from simple <table>s.

A table's <caption> is read as its title, so a unit it states ("Belopp i miljoner kronor")
applies to the amount columns whose header states none.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from extractors.base import Extraction, ExtractSettings, allocations_frame, attributes_frame
from extractors.errors import UnreadableDocumentError
from extractors.limits import check_file
from extractors.metadata import text_to_metadata
from extractors.tables import (
    Cell,
    FrameContext,
    GridRow,
    blocks_to_tables,
    collapse,
    grid_to_blocks,
    keep_allocation_blocks,
    rows_to_text,
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


class _BlockParser(HTMLParser):
    """Collects block texts and table rows in document order, as one-cell and multi-cell rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[GridRow] = []
        self.kinds: dict[int, str] = {}
        self.buffer: list[str] = []
        self.cells: list[str] | None = None
        self.cell: list[str] | None = None
        self.table_no = 0
        self.skip = 0
        self.heading = False

    def _flush(self) -> None:
        text = collapse("".join(self.buffer))
        self.buffer = []
        if text:
            row = GridRow([Cell(text)], page=None, from_table=False)
            self.kinds[id(row)] = "heading" if self.heading else "paragraph"
            self.rows.append(row)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag == "table":
            self._flush()
            self.table_no += 1
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br":
            (self.cell if self.cell is not None else self.buffer).append(" ")
        elif self.cell is None and (tag in BLOCK_TAGS or tag in HEADING_TAGS):
            self._flush()
            self.heading = tag in HEADING_TAGS

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.cells is not None:
            self.cells.append(collapse("".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.cells is not None:
            self.rows.append(GridRow([Cell(t) for t in self.cells], page=self.table_no,
                                     is_header=False))
            self.cells = None
        elif self.cell is None and (tag in BLOCK_TAGS or tag in HEADING_TAGS):
            self._flush()
            self.heading = False

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        (self.cell if self.cell is not None else self.buffer).append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def extract(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Extraction:
    """Text blocks, allocation rows from tables, metadata and problems of an HTML page."""
    path = Path(path)
    check_file(path, settings, "HTML")
    raw = path.read_bytes()
    try:
        html = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            html = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise UnreadableDocumentError(
                str(path), f"neither UTF-8 nor Windows-1252 ({exc}); re-save as UTF-8") from exc
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    blocks, others = keep_allocation_blocks(*grid_to_blocks(parser.rows))
    tables = blocks_to_tables(blocks, FrameContext(path.name, FORMAT))
    text = rows_to_text(parser.rows, others, parser.kinds)
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(tables.rows),
        text=text, metadata=text_to_metadata(text), problems=tables.problems,
        attributes=attributes_frame(tables.attributes), tables=tables.tables)
