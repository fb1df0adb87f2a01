"""DOCX reader: Bilaga 1 allocation tables from Word tables, plus every paragraph as text.

Stages: `docx_to_rows` walks the body in order (paragraphs and table rows, merged cells
counted once by their underlying `w:tc` element), `grid_to_blocks` (shared, extractors/tables.py)
finds the allocation tables and `blocks_to_rows` turns them into the long frame. The page of a
DOCX row is the 1-based number of the Word table it sits in.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from extractors.base import Extraction, ExtractSettings, TextBlock, allocations_frame
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError
from extractors.metadata import text_to_metadata
from extractors.tables import (
    Cell,
    FrameContext,
    GridRow,
    blocks_to_rows,
    collapse,
    grid_to_blocks,
    keep_allocation_blocks,
    rows_to_text,
)

FORMAT = "docx"
DEFAULT_SETTINGS = ExtractSettings()


def detect(path: Path) -> bool:
    """True for a Word document: a zip holding word/document.xml."""
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def check_limits(path: Path, settings: ExtractSettings) -> None:
    """Refuse files and zip members larger than the settings allow, before parsing anything."""
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise DocumentTooLargeError(
            str(path), f"file is {size} bytes, above max_file_bytes={settings.max_file_bytes}; "
            "split the document or raise the limit")
    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableDocumentError(
            str(path), f"not a valid DOCX (zip) file ({exc}); re-save it from Word") from exc
    if unpacked > settings.max_unpacked_bytes:
        raise DocumentTooLargeError(
            str(path), f"zip members unpack to {unpacked} bytes, above max_unpacked_bytes="
            f"{settings.max_unpacked_bytes}; check the file or raise the limit")


def _row_is_header(row) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def table_to_rows(table: Table, number: int) -> list[GridRow]:
    """Grid rows of one Word table; a merged cell keeps its text in its first grid position only."""
    seen: set = set()  # the w:tc elements themselves (kept alive, so identity is stable)
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            cells.append(Cell("" if cell._tc in seen else cell.text))
            seen.add(cell._tc)
        rows.append(GridRow(cells, page=number, is_header=_row_is_header(row)))
    return rows


def docx_to_rows(document) -> tuple[list[GridRow], dict[int, str]]:
    """Body rows in document order (a paragraph is a one-cell row), and each paragraph's kind."""
    rows: list[GridRow] = []
    kinds: dict[int, str] = {}
    table_no = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            para = Paragraph(child, document)
            text = collapse(para.text)
            if text:
                style = (para.style.name if para.style is not None else "") or ""
                heading = style.lower().startswith(("heading", "rubrik", "title"))
                row = GridRow([Cell(text)], page=None, from_table=False)
                kinds[id(row)] = "heading" if heading else "paragraph"
                rows.append(row)
        elif child.tag == qn("w:tbl"):
            table_no += 1
            rows.extend(table_to_rows(Table(child, document), table_no))
    return rows, kinds


def header_footer_text(document) -> list[TextBlock]:
    """Paragraphs of the page headers and footers (the annex line with date and number)."""
    seen: set[str] = set()
    blocks = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer):
            if part.is_linked_to_previous and section is not document.sections[0]:
                continue
            for para in part.paragraphs:
                text = collapse(para.text)
                if text and text not in seen:
                    seen.add(text)
                    blocks.append(TextBlock(text, None, "paragraph"))
    return blocks


def extract(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Extraction:
    """Allocation rows, text blocks, metadata and problems of one DOCX file."""
    path = Path(path)
    check_limits(path, settings)
    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise UnreadableDocumentError(
            str(path), f"cannot open as DOCX ({type(exc).__name__}: {exc}); re-save it from Word"
        ) from exc
    rows, kinds = docx_to_rows(document)
    blocks, others = grid_to_blocks(rows)
    blocks, others = keep_allocation_blocks(blocks, others)
    frame_rows, problems = blocks_to_rows(blocks, FrameContext(path.name, FORMAT))
    text = rows_to_text(rows, others, kinds) + header_footer_text(document)
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(frame_rows),
        text=text, metadata=text_to_metadata(text), problems=problems, pages=0)
