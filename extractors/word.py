"""DOCX reader: Bilaga 1 allocation tables from Word tables, plus every paragraph as text.

Stages: `docx_to_rows` walks the body in order (paragraphs and table rows, merged cells
counted once by their underlying `w:tc` element), `grid_to_blocks` (shared, extractors/tables.py)
finds the allocation tables and `blocks_to_tables` turns them into the long frame (amounts) and
the attributes (shares, population, counts). The page of a DOCX row is the 1-based number of the
Word table it sits in.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from extractors.base import (
    Extraction,
    ExtractSettings,
    TextBlock,
    allocations_frame,
    attributes_frame,
)
from extractors.errors import UnreadableDocumentError
from extractors.limits import check_file, check_zip, describe_content, describe_zip
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

FORMAT = "docx"
DEFAULT_SETTINGS = ExtractSettings()


def _brief(exc: BaseException) -> str:
    """An exception as 'Type: message', cut to one short line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


def detect(path: Path) -> bool:
    """True for a Word document: a zip holding word/document.xml."""
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def check_limits(path: Path, settings: ExtractSettings) -> None:
    """Refuse a file that is no DOCX, or a package beyond the limits, before parsing any XML."""
    head = check_file(path, settings, "DOCX")
    what = describe_content(head)
    if what == "a zip archive":
        names = check_zip(path, settings, "DOCX").names
        if "word/document.xml" in names:
            return
        what = describe_zip(path)
    raise UnreadableDocumentError(
        str(path), f"not a DOCX: the content looks like {what}; {_fix_for(what)}")


def _fix_for(what: str) -> str:
    if "(XLSX)" in what or "(PPTX)" in what:
        return "it was renamed .docx: give the decision's DOCX or PDF instead"
    if "old Office" in what:
        return "open it in Word and save it as .docx"
    if what == "a PDF":
        return "rename it to .pdf"
    if "HTML" in what:
        return "download the document again"
    return "save it again from Word as .docx"


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
    """Allocation rows, attributes (shares, population, counts), the tables found, text blocks,
    metadata and problems of one DOCX file."""
    path = Path(path)
    check_limits(path, settings)
    try:
        document = Document(str(path))
        rows, kinds = docx_to_rows(document)
        header_footer = header_footer_text(document)
    except Exception as exc:  # python-docx and lxml raise many types for broken packages
        raise UnreadableDocumentError(
            str(path), f"cannot read the DOCX ({_brief(exc)}); save it again from Word"
        ) from exc
    blocks, others = grid_to_blocks(rows)
    blocks, others = keep_allocation_blocks(blocks, others)
    found = blocks_to_tables(blocks, FrameContext(path.name, FORMAT))
    text = rows_to_text(rows, others, kinds) + header_footer
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(found.rows),
        text=text, metadata=text_to_metadata(text), problems=found.problems, pages=0,
        attributes=attributes_frame(found.attributes), tables=found.tables)
