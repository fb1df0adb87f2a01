"""PDF reader: Bilaga 1 allocation tables cell by cell with bounding boxes, plus running text.

Stages: `pdf_to_words` (pdfplumber words, fake-bold doubled glyphs removed), `words_to_lines`
and `lines_to_tables` (extractors/layout.py), `table_to_block` and the shared `blocks_to_rows`
(extractors/tables.py), and `lines_to_paragraphs` for every line outside the tables.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils import extract_words
from pdfplumber.utils.exceptions import PdfminerException

from extractors.base import Extraction, ExtractSettings, TextBlock, allocations_frame
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError
from extractors.layout import (
    DEFAULT_LAYOUT,
    LayoutSettings,
    Line,
    lines_to_tables,
    table_to_block,
    words_to_lines,
)
from extractors.metadata import text_to_metadata
from extractors.tables import FrameContext, block_kind, blocks_to_rows

FORMAT = "pdf"
DEFAULT_SETTINGS = ExtractSettings()
DEFAULT_DEDUPE_TOLERANCE_PT = 1.0  # Word's fake bold draws each glyph twice, ~0.2 pt apart
DEFAULT_WORD_X_TOLERANCE_PT = 1.5  # below the gap between separately drawn digit groups
DEFAULT_PARAGRAPH_GAP_EM = 0.45  # white space above a line, in font sizes, that starts a paragraph


def detect(path: Path) -> bool:
    """True when the file starts with the PDF signature."""
    try:
        with open(path, "rb") as handle:
            return b"%PDF-" in handle.read(1024)
    except OSError:
        return False


def dedupe_chars(chars: list[dict], tolerance: float = DEFAULT_DEDUPE_TOLERANCE_PT
                 ) -> list[dict]:
    """Chars without the doubles of Word's fake bold: same glyph and font, within tolerance.

    A hash on a coarse position grid keeps this linear; pdfplumber's own `dedupe_chars`
    sorts every char and costs more than reading the page.
    """
    grid: dict[tuple, list[dict]] = {}
    kept = []
    for char in chars:
        gx, gy = int(char["x0"] // tolerance), int(char["top"] // tolerance)
        ident = (char["text"], char["fontname"], round(char["size"], 2))
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in grid.get((*ident, gx + dx, gy + dy), ()):
                    if (abs(other["x0"] - char["x0"]) <= tolerance
                            and abs(other["top"] - char["top"]) <= tolerance):
                        duplicate = True
        if not duplicate:
            grid.setdefault((*ident, gx, gy), []).append(char)
            kept.append(char)
    return kept


def pdf_to_words(page) -> list[dict]:
    """The page's words, doubled glyphs removed; spaces of every kind end a word."""
    return extract_words(
        dedupe_chars(page.chars), x_tolerance=DEFAULT_WORD_X_TOLERANCE_PT, y_tolerance=3,
        keep_blank_chars=False)


def _open(path: Path):
    try:
        return pdfplumber.open(path, password="")
    except Exception as exc:  # pdfminer raises many types, pdfplumber wraps them
        inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnreadableDocumentError(
                str(path), "the PDF is encrypted and the empty password does not open it; ask "
                "the sender for an unprotected copy") from exc
        raise UnreadableDocumentError(
            str(path), f"not a readable PDF ({type(inner).__name__}: {inner}); re-export or "
            "re-download it") from exc


def check_limits(path: Path, pdf, settings: ExtractSettings) -> None:
    """Refuse files with too many pages or pages larger than the settings allow."""
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise DocumentTooLargeError(
            str(path), f"file is {size} bytes, above max_file_bytes={settings.max_file_bytes}; "
            "split the document or raise the limit")
    if len(pdf.pages) > settings.max_pages:
        raise DocumentTooLargeError(
            str(path), f"{len(pdf.pages)} pages, above max_pages={settings.max_pages}; split the "
            "document or raise the limit")
    for number, page in enumerate(pdf.pages, start=1):
        if max(page.width, page.height) > settings.max_page_side_pt:
            raise DocumentTooLargeError(
                str(path), f"page is {page.width:.0f} x {page.height:.0f} pt, above "
                f"max_page_side_pt={settings.max_page_side_pt}; check the file", page=number)


def pdf_to_lines(path: Path, pdf, layout: LayoutSettings = DEFAULT_LAYOUT) -> list[Line]:
    """All lines of all pages in reading order; raises when no page has a text layer."""
    lines: list[Line] = []
    chars = 0
    for number, page in enumerate(pdf.pages, start=1):
        try:
            words = pdf_to_words(page)
        except Exception as exc:  # a broken content stream
            raise UnreadableDocumentError(
                str(path), f"page content cannot be read ({type(exc).__name__}: {exc}); "
                "re-export the PDF", page=number) from exc
        chars += len(page.chars)
        lines.extend(words_to_lines(words, number, layout))
        page.flush_cache()
    if pdf.pages and chars == 0:
        raise UnreadableDocumentError(
            str(path), "no page has a text layer; it looks like a scan, and OCR is not in scope: "
            "get the born-digital PDF or the DOCX")
    return lines


def lines_to_paragraphs(lines: list[Line]) -> list[TextBlock]:
    """Paragraphs of running text: consecutive lines of a page without a wide gap between."""
    blocks: list[TextBlock] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            blocks.append(TextBlock(" ".join(ln.text for ln in current), current[0].page))

    for line in lines:
        if current and (
            line.page != current[-1].page
            or line.top - current[-1].bottom > DEFAULT_PARAGRAPH_GAP_EM * line.size
        ):
            flush()
            current = []
        current.append(line)
    flush()
    return blocks


def extract(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Extraction:
    """Allocation rows (with page and cell box), text blocks, metadata and problems of a PDF."""
    path = Path(path)
    with _open(path) as pdf:
        check_limits(path, pdf, settings)
        lines = pdf_to_lines(path, pdf)
        pages = len(pdf.pages)
    tables, outside = lines_to_tables(lines)
    blocks = []
    for table in tables:
        block = table_to_block(table)
        if block_kind(block) is None:  # no allocation table: its lines are running text
            outside.extend(table.band + table.body)
        else:
            blocks.append(block)
    outside.sort(key=lambda ln: (ln.page, ln.top))
    frame_rows, problems = blocks_to_rows(blocks, FrameContext(path.name, FORMAT))
    text = lines_to_paragraphs(outside)
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(frame_rows),
        text=text, metadata=text_to_metadata(text), problems=problems, pages=pages)
