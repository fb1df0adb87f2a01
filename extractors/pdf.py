"""PDF reader: Bilaga 1 allocation tables cell by cell with bounding boxes, plus running text.

Stages: `pdf_to_words` (pdfplumber words, fake-bold doubled glyphs removed:
extractors/doubles.py), `words_to_lines`
and `lines_to_tables` (extractors/layout.py), `table_to_block` and the shared `blocks_to_tables`
(extractors/tables.py: amounts, and shares, population and counts as attributes), and
`lines_to_paragraphs` for every line outside the tables.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTImage
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

from extractors.base import (
    READING_PAGE,
    Extraction,
    ExtractSettings,
    LayoutSettings,
    Problem,
    TextBlock,
    allocations_frame,
    attributes_frame,
)
from extractors.blocks import band_vocabulary
from extractors.centred_labels import join_centred_labels
from extractors.char_words import chars_to_words, glyphs_to_words
from extractors.clipped import drop_clipped, drop_clipped_glyphs
from extractors.column_pieces import stitch_columns
from extractors.doubles import dedupe_chars, dedupe_glyphs
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError
from extractors.fates import block_info, table_infos
from extractors.furniture import furniture
from extractors.glyph_marks import raised_glyphs
from extractors.glyphs import Glyphs
from extractors.layout import (
    DEFAULT_LAYOUT,
    Line,
    PdfTable,
    line_kind,
    lines_to_tables,
    table_problems,
    table_to_block,
    words_to_lines,
)
from extractors.limits import check_file, describe_content, describe_zip
from extractors.marks import raised_marks
from extractors.metadata import text_to_metadata
from extractors.pdf_flat import flat_tables
from extractors.pdf_lists import lines_to_lists
from extractors.pdf_streams import StreamBudget, StreamTooLarge, bounded_decoding
from extractors.pdfium_chars import PdfiumGlyphs
from extractors.pieces import join_pieces
from extractors.side_by_side import split_side_by_side
from extractors.standard_fonts import add_missing_widths
from extractors.tables import FrameContext, block_kind, blocks_to_tables
from extractors.touching import lines_to_untouched
from extractors.unit_notes import pdf_unit_notes

FORMAT = "pdf"
add_missing_widths()  # pdfminer's standard fonts: the no-break space (standard_fonts.py)
DEFAULT_SETTINGS = ExtractSettings()
DEFAULT_WORD_X_TOLERANCE_PT = 1.5  # below the gap between separately drawn digit groups
DEFAULT_WORD_Y_TOLERANCE_PT = 3  # pdfplumber's default (an int, as it was passed): a line
DEFAULT_PARAGRAPH_GAP_EM = 0.45  # white space above a line, in font sizes, that starts a paragraph
DEFAULT_MIN_CODED_ROWS = 3  # coded rows that make a table left unread rows, not running text



def detect(path: Path) -> bool:
    """True when the file starts with the PDF signature."""
    try:
        with open(path, "rb") as handle:
            return b"%PDF-" in handle.read(1024)
    except OSError:
        return False


def page_to_chars(page) -> tuple[list[dict], int]:
    """The page's glyphs as pdfplumber char dicts (only the keys the words need), and its
    number of pictures.

    Walks pdfminer's layout directly: pdfplumber's `page.chars` resolves every attribute of
    every glyph (colours, matrices) and costs more than the layout itself on a text page.
    """
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    height, doctop = page.height, page.initial_doctop
    chars: list[dict] = []
    images = 0
    stack = list(page.layout._objs)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            top = height - obj.y1 + mb_top
            chars.append({
                "text": obj.get_text(), "fontname": obj.fontname, "size": obj.size,
                "x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0, "top": top,
                "bottom": height - obj.y0 + mb_top, "doctop": doctop + top,
                "upright": obj.upright,
            })
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTContainer):
            stack.extend(obj._objs)
    chars.reverse()  # back to content-stream order, as page.chars has them
    return chars, images


@contextlib.contextmanager
def glyph_reader(path: Path, settings: ExtractSettings):
    """A context giving the function that reads a page's (glyphs, pictures): pdfminer's
    `page_to_chars` (dicts), or pdfium's reading of the same glyphs as columns, with its
    fallback's dicts where pdfium cannot read a page (settings.glyph_source)."""
    if settings.glyph_source == "pdfium":
        with PdfiumGlyphs(path, fallback=page_to_chars) as glyphs:
            yield glyphs.glyphs
    else:
        yield page_to_chars


def pdf_to_words(chars: list[dict] | Glyphs) -> list[dict]:
    """The page's words (pdfplumber's `extract_words`, extractors/char_words.py), doubled
    glyphs removed, raised footnote marks after a number read as
    superscripts (extractors/marks.py), letters clipped at a cell's edge dropped
    (extractors/clipped.py); spaces of every kind end a word. Glyphs as columns (pdfium's)
    go through the steps' column forms, unless a value is one numpy does not order as
    Python does."""
    if isinstance(chars, Glyphs):
        if chars.exact():
            return glyphs_to_words(drop_clipped_glyphs(dedupe_glyphs(raised_glyphs(chars))),
                                   DEFAULT_WORD_X_TOLERANCE_PT, DEFAULT_WORD_Y_TOLERANCE_PT)
        chars = chars.to_dicts()
    return chars_to_words(drop_clipped(dedupe_chars(raised_marks(chars))),
                          DEFAULT_WORD_X_TOLERANCE_PT, DEFAULT_WORD_Y_TOLERANCE_PT)


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
            str(path), f"not a readable PDF ({_brief(inner)}); the file is damaged or "
            "truncated: re-export or re-download it") from exc


def _brief(exc: BaseException) -> str:
    """An exception as 'Type: message', cut to one short line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def check_content(path: Path, head: bytes) -> None:
    """Refuse a file named .pdf that holds something else, saying what it looks like."""
    if b"%PDF-" in head[:1024]:
        return
    what = describe_content(head)
    if what == "a zip archive":
        what = describe_zip(path)
    fix = ("rename it to .docx" if "(DOCX)" in what
           else "get the PDF again from where it was published")
    raise UnreadableDocumentError(str(path), f"not a PDF: the content looks like {what}; {fix}")


def declared_pages(pdf) -> int | None:
    """The page count the document's page tree declares (/Count), read before any page."""
    try:
        pages = resolve1(pdf.doc.catalog.get("Pages"))
        return int(resolve1(pages.get("Count")))
    except Exception:  # a broken page tree is reported when the pages are read
        return None


def check_limits(path: Path, pdf, settings: ExtractSettings) -> None:
    """Refuse files with too many pages or pages larger than the settings allow."""
    count = declared_pages(pdf)
    if count is not None and count > settings.max_pages:
        raise DocumentTooLargeError(str(path), _too_many_pages(count, settings))
    if len(pdf.pages) > settings.max_pages:
        raise DocumentTooLargeError(str(path), _too_many_pages(len(pdf.pages), settings))
    for number, page in enumerate(pdf.pages, start=1):
        width, height = float(page.width), float(page.height)
        if not (0 < width <= settings.max_page_side_pt and 0 < height <= settings.max_page_side_pt):
            raise DocumentTooLargeError(
                str(path), f"page is {width:.0f} x {height:.0f} pt, outside 1 to "
                f"max_page_side_pt={settings.max_page_side_pt}; check the file", page=number)


def _too_many_pages(count: int, settings: ExtractSettings) -> str:
    return (f"{count} pages, above max_pages={settings.max_pages}; split the document or "
            "raise the limit")


def pdf_to_lines(path: Path, pdf, settings: ExtractSettings = DEFAULT_SETTINGS,
                 layout: LayoutSettings = DEFAULT_LAYOUT,
                 read_chars: Callable = page_to_chars) -> tuple[list[Line], list[Problem]]:
    """All lines of all pages in reading order, and a problem for each page that shows pictures
    but has no text (a scanned page); raises when no page has a text layer."""
    lines: list[Line] = []
    problems: list[Problem] = []
    chars = 0
    budget = StreamBudget(settings.max_unpacked_bytes)
    for number, page in enumerate(pdf.pages, start=1):
        reading = READING_PAGE.set(number)  # a library's warning from here names the page
        try:
            budget.check_page(page.page_obj)  # before any reader decodes the page's streams
            chars_on_page, images = read_chars(page)
            words = pdf_to_words(chars_on_page)
            page_chars = len(chars_on_page)
        except StreamTooLarge as exc:
            raise DocumentTooLargeError(str(path), exc.reason, page=number) from None
        except Exception as exc:  # a broken content stream
            raise UnreadableDocumentError(
                str(path), f"page content cannot be read ({_brief(exc)}); re-export the PDF",
                page=number) from exc
        finally:
            READING_PAGE.reset(reading)
        chars += page_chars
        if page_chars == 0 and images:
            problems.append(Problem(
                "no_text_layer", f"Page {number} shows {images} picture(s) but has no text "
                "layer (a scanned page?); amounts printed on it cannot be read without OCR.",
                path.name, page=number, severity="error"))
        lines.extend(lines_to_untouched(words_to_lines(words, number, layout)))
        page.flush_cache()
    if pdf.pages and chars == 0:
        raise UnreadableDocumentError(
            str(path), "no page has a text layer; it looks like a scan, and OCR is not in scope: "
            "get the born-digital PDF or the DOCX")
    return lines, problems


def pdf_to_pages(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS
                 ) -> tuple[list[Line], list[Problem], int]:
    """Open, check and read every page: lines, page problems and the page count. Whatever the
    PDF libraries raise on a damaged file becomes an UnreadableDocumentError."""
    try:
        with (bounded_decoding(settings.max_unpacked_bytes), _open(path) as pdf,
              glyph_reader(path, settings) as read_chars):
            check_limits(path, pdf, settings)
            lines, problems = pdf_to_lines(path, pdf, settings, settings.layout,
                                           read_chars=read_chars)
            return lines, problems, len(pdf.pages)
    except UnreadableDocumentError:
        raise
    except StreamTooLarge as exc:  # a stream pdfminer unpacks to open the file
        raise DocumentTooLargeError(str(path), exc.reason) from None
    except Exception as exc:  # pdfminer raises many types on damaged objects
        raise UnreadableDocumentError(
            str(path), f"not a readable PDF ({_brief(exc)}); the file is damaged: re-export or "
            "re-download it") from exc


def coded_rows(table: PdfTable) -> set[int]:
    """ids of the lines of a table's coded rows (each row's lines with the line that prints
    its code, a name and amounts), when it has DEFAULT_MIN_CODED_ROWS or more: rows of a
    table that was not read, never sentences of running text."""
    groups = [[p.line for p in group] for group in table.groups or []]
    coded = [g for g in groups if any(line_kind(ln) == "data" for ln in g)]
    if len(coded) < DEFAULT_MIN_CODED_ROWS:
        return set()
    return {id(ln) for g in coded for ln in g}


def continues_paragraph(last: Line, line: Line) -> bool:
    """Whether a line goes on with the paragraph of the line above it: same page, no wide gap."""
    return line.page == last.page and \
        line.top - last.bottom <= DEFAULT_PARAGRAPH_GAP_EM * line.size


def lines_to_paragraphs(lines: list[Line], rows: frozenset[int] = frozenset(),
                        alone: dict[int, str] | None = None) -> list[TextBlock]:
    """Paragraphs of running text: consecutive lines of a page without a wide gap between;
    each line in ``rows`` (ids: a table row) a block of its own, its cells joined by " | ";
    each line in ``alone`` (id: its text, a list's line) a paragraph of its own."""
    blocks: list[TextBlock] = []
    current: list[Line] = []
    alone = alone or {}

    def flush() -> None:
        if current:
            blocks.append(TextBlock(" ".join(ln.text for ln in current), current[0].page))

    for line in lines:
        if id(line) in alone:
            flush()
            current = []
            blocks.append(TextBlock(alone[id(line)], line.page))
            continue
        if id(line) in rows:
            flush()
            current = []
            blocks.append(TextBlock(" | ".join(p.text for p in line.phrases), line.page,
                                    "table_row"))
            continue
        if current and not continues_paragraph(current[-1], line):
            flush()
            current = []
        current.append(line)
    flush()
    return blocks


def extract(path: Path, settings: ExtractSettings = DEFAULT_SETTINGS) -> Extraction:
    """Allocation rows (with page and cell box), attributes (shares, population, counts), the
    tables found, text blocks, metadata and problems of a PDF."""
    path = Path(path)
    check_content(path, check_file(path, settings, "PDF"))
    lines, page_problems, pages = pdf_to_pages(path, settings)
    lines = join_centred_labels(split_side_by_side(lines, settings.layout), settings.layout)
    page_furniture = furniture(lines, settings.layout)
    flat, lines = flat_tables(lines, page_furniture)
    tables, outside = lines_to_tables(lines, settings.layout, page_furniture)
    vocab = band_vocabulary(lines, [b for t in tables for b in [t.band, *t.repeats]],
                             settings.layout)
    blocks, layout_problems, handed = [], [], []
    rows: set[int] = set()
    pieces, outside, layout_problems = stitch_columns(
        [table_to_block(t, settings.layout, vocab) for t in tables], outside, settings.layout,
        page_furniture, vocab, path.name)
    pdf_unit_notes(tables, outside, pieces)  # before joining: each piece's own neighbours
    for joined in join_pieces(pieces):
        block, parts = joined.block, [tables[i] for i in joined.parts]
        kind = block_kind(block)
        if kind is None:  # no allocation table: its lines are running text
            outside.extend(ln for table in parts for ln in table.band + table.body)
            rows |= {i for table in parts for i in coded_rows(table)}
            handed.append(block_info(
                path.name, "pdf_table", "text", "no recipient kind (region, kommun, län) could "
                "be told from its header, codes or names, so its lines went to the text",
                block.rows, block.title, block.header_rows))
        else:
            blocks.append(block)
            layout_problems += [p for t in parts for p in table_problems(t, kind, path.name)]
    outside.sort(key=lambda ln: (ln.page, ln.top))
    lists = lines_to_lists(outside, path.name, continues_paragraph)
    blocks += flat
    found = blocks_to_tables(blocks + lists.blocks,
                             FrameContext(path.name, FORMAT, settings.max_amount_sek))
    text = lines_to_paragraphs(lists.outside, frozenset(rows), lists.alone)
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(found.rows),
        text=text, metadata=text_to_metadata(text),
        problems=page_problems + layout_problems + found.problems,
        pages=pages, attributes=attributes_frame(found.attributes), tables=found.tables,
        blocks=table_infos(blocks, path.name, "pdf_table")
        + table_infos(lists.blocks, path.name, "list", len(blocks)) + [b for b in handed if b]
        + lists.infos, lists=lists.unresolved)
