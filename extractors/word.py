"""DOCX reader: Bilaga 1 allocation tables from Word tables, plus every paragraph as text.

Stages: `docx_to_rows` walks the body XML in order (paragraphs and table rows; content
controls, nested tables and merged cells included, which python-docx's own tables skip or
repeat), `grid_to_blocks` (shared, extractors/tables.py)
finds the allocation tables and `blocks_to_tables` turns them into the long frame (amounts) and
the attributes (shares, population, counts). The page of a DOCX row is the 1-based number of the
Word table it sits in.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml import etree

from extractors.base import (
    Extraction,
    ExtractSettings,
    TextBlock,
    allocations_frame,
    attributes_frame,
)
from extractors.errors import DocumentTooLargeError, UnreadableDocumentError
from extractors.fates import unreached_table_info
from extractors.grid_reading import grid_to_reading
from extractors.limits import check_file, check_zip, describe_content, describe_zip
from extractors.metadata import text_to_metadata
from extractors.name_lists import list_lines
from extractors.tab_rows import tabbed_rows
from extractors.tables import (
    Cell,
    FrameContext,
    GridRow,
    collapse,
)
from extractors.word_parts import FALLBACK, inside, notes_text

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


_TBL, _TR, _TC, _P = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:p")


def check_tables(path: Path, settings: ExtractSettings) -> None:
    """Refuse a DOCX whose tables are beyond the limits (rows or grid cells of one table, cells
    of the whole body), counted while the body XML streams by: nothing is built beyond them.

    A cell counts the grid columns it spans (w:gridSpan, as the reader expands it) and a row
    its skipped leading columns (w:gridBefore); rows of a nested table count for that table.
    """
    open_tables: list[list[int]] = []  # [number, rows, cells] of the tables around the parser
    numbers = total = 0
    with zipfile.ZipFile(path) as zf, zf.open("word/document.xml") as xml:
        for event, element in etree.iterparse(xml, events=("start", "end"),
                                               tag=(_TBL, _TR, _TC, _P), resolve_entities=False):
            if event == "start":
                if element.tag == _TBL:
                    numbers += 1
                    open_tables.append([numbers, 0, 0])
                continue
            if element.tag == _TBL:
                open_tables.pop()
            elif element.tag == _TC and open_tables:
                span = min(_int_val(element.find(qn("w:tcPr")), qn("w:gridSpan"), 1), 1000)
                open_tables[-1][2] += span
                total += span
            elif element.tag == _TR and open_tables:
                tr_pr = element.find(qn("w:trPr"))
                before = _int_val(tr_pr, qn("w:gridBefore"), 0) if tr_pr is not None else 0
                open_tables[-1][1] += 1
                open_tables[-1][2] += before
                total += before
                _refuse_beyond(path, settings, open_tables[-1], total)
                _drop_read(element)
            elif element.tag == _P:
                element.clear()  # its text is not needed here; its place is
                if not open_tables:
                    _drop_read(element)


def _drop_read(element) -> None:
    """Free what the scan has read: the element's content and the siblings before it."""
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


def _refuse_beyond(path: Path, settings: ExtractSettings, table: list[int], total: int) -> None:
    number, rows, cells = table
    for found, limit, what in ((rows, settings.max_docx_table_rows, "max_docx_table_rows"),
                               (cells, settings.max_docx_table_cells, "max_docx_table_cells")):
        if found > limit:
            raise DocumentTooLargeError(
                str(path), f"Word table {number} has more than {limit} "
                f"{'rows' if what.endswith('rows') else 'cells'}, above {what}={limit}; "
                "no decision's table is that large: check the file, split the table or raise "
                "the limit")
    if total > settings.max_docx_cells:
        raise DocumentTooLargeError(
            str(path), f"the Word tables hold more than {settings.max_docx_cells} cells, above "
            f"max_docx_cells={settings.max_docx_cells}; check the file, split the document or "
            "raise the limit")


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


# Elements whose content Word shows in place: content controls (block, row, cell and inline
# w:sdt), tracked insertions, custom XML, smart tags, hyperlinks and simple fields.
_TRANSPARENT = {qn(t) for t in ("w:sdt", "w:sdtContent", "w:customXml", "w:ins", "w:moveTo",
                                 "w:smartTag", "w:hyperlink", "w:fldSimple")}
_RUN_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n",
             qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _children(element, tag: str):
    """The child elements with tag, looking through content controls and similar wrappers."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _children(child, tag)


def _blocks(element):
    """Paragraphs and tables of a body or cell in order, content controls opened."""
    for child in element.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _blocks(child)


def paragraph_text(p) -> str:
    """The text of a w:p as Word shows it, runs inside content controls and fields included."""
    parts = []
    for run in _children(p, qn("w:r")):
        for child in run.iterchildren():
            if child.tag in _RUN_TEXT:
                fixed = _RUN_TEXT[child.tag]
                parts.append((child.text or "") if fixed is None else fixed)
    return "".join(parts)


def _cell_text(tc) -> str:
    return "\n".join(paragraph_text(p) for p in _blocks(tc) if p.tag == qn("w:p"))


def _int_val(element, tag: str, default: int) -> int:
    found = element.find(tag) if element is not None else None
    try:
        return max(1, int(found.get(qn("w:val")))) if found is not None else default
    except (TypeError, ValueError):
        return default


def _tr_cells(tr) -> list[Cell]:
    """The grid positions of one w:tr: a merged cell's text in its first position only."""
    tr_pr = tr.find(qn("w:trPr"))
    before = _int_val(tr_pr, qn("w:gridBefore"), 0) if tr_pr is not None else 0
    cells = [Cell("") for _ in range(before)]
    for tc in _children(tr, qn("w:tc")):
        tc_pr = tc.find(qn("w:tcPr"))
        span = min(_int_val(tc_pr, qn("w:gridSpan"), 1), 1000)
        merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
        continued = merge is not None and merge.get(qn("w:val"), "continue") == "continue"
        text = "" if continued else _cell_text(tc)
        cells.append(Cell(text, span=span if text else 1))
        cells.extend(Cell("") for _ in range(span - 1))
    return cells


def _row_is_header(tr) -> bool:
    tr_pr = tr.find(qn("w:trPr"))
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


_HEADING_STYLES = ("heading", "rubrik", "title")  # style names that start a heading, any case
_ON = ("1", "true", "on")  # ST_OnOff's true values


class ParagraphStyles:
    """The paragraph style names of one document by style id, read once from its styles part.

    python-docx's `paragraph.style` walks every style of the document for each paragraph that
    names none (half of the DOCX reading); the answer is the same: the style with that id if
    it is a paragraph style, else the last default paragraph style, else none. A style
    without a name is "" (python-docx refuses the whole document for it).
    """

    def __init__(self, styles) -> None:
        self.by_id: dict[str, str | None] = {}  # None: the id is no paragraph style's
        self.default = ""
        for style in styles.iterchildren(qn("w:style")):
            paragraph = style.get(qn("w:type")) == "paragraph"
            style_id = style.get(qn("w:styleId"))
            if style_id is not None and style_id not in self.by_id:  # the first one counts
                self.by_id[style_id] = _style_name(style) if paragraph else None
            if paragraph and style.get(qn("w:default")) in _ON:
                self.default = _style_name(style)

    def name(self, p) -> str:
        """The name of the style a w:p is shown in ("" when the document has none)."""
        p_pr = p.find(qn("w:pPr"))
        p_style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
        style_id = p_style.get(qn("w:val")) if p_style is not None else None
        found = self.by_id.get(style_id) if style_id else None
        return self.default if found is None else found


def _style_name(style) -> str:
    """The style's name as Word shows it ("heading 2" is "Heading 2"), as python-docx gives it."""
    name = style.find(qn("w:name"))
    value = name.get(qn("w:val")) if name is not None else None
    return BabelFish.internal2ui(value) if value else ""


class _BodyWalk:
    """Body rows in document order: a paragraph is a one-cell row, a table row a grid row. A
    table row whose cells hold tables (a layout table) is read as the content of its cells."""

    def __init__(self, document) -> None:
        self.styles = ParagraphStyles(document.styles.element)
        self.rows: list[GridRow] = []
        self.kinds: dict[int, str] = {}
        self.raw: dict[int, str] = {}  # each paragraph row's text as printed, tabs kept
        self.table_no = 0

    def blocks(self, element) -> None:
        for child in _blocks(element):
            if child.tag == qn("w:p"):
                self.paragraph(child)
            else:
                self.table(child)

    def paragraph(self, p) -> None:
        raw = paragraph_text(p)
        heading = self.styles.name(p).lower().startswith(_HEADING_STYLES)
        for line in list_lines(raw) or [raw]:  # name–amount lines cut by soft line breaks
            text = collapse(line)
            if text:
                row = GridRow([Cell(text)], page=None, from_table=False)
                self.kinds[id(row)] = "heading" if heading else "paragraph"
                self.raw[id(row)] = line
                self.rows.append(row)
        for box in _text_boxes(p):  # what a text box anchored here prints, read in place
            self.blocks(box)

    def table(self, tbl) -> None:
        self.table_no += 1
        number = self.table_no
        for tr in _children(tbl, qn("w:tr")):
            tcs = list(_children(tr, qn("w:tc")))
            if any(tc.find(".//" + qn("w:tbl")) is not None for tc in tcs):
                for tc in tcs:
                    self.blocks(tc)
                continue
            self.rows.append(GridRow(_tr_cells(tr), page=number, is_header=_row_is_header(tr),
                                     table_id=number))


def _text_boxes(p) -> list:
    """The text boxes anchored in paragraph p (not those of a box inside it), each once: the
    DrawingML box of mc:Choice, not its VML copy in mc:Fallback."""
    return [box for box in p.iter(qn("w:txbxContent")) if not inside(box, FALLBACK)
            and next(box.iterancestors(_P)) is p]


def docx_to_rows(document) -> tuple[list[GridRow], dict[int, str]]:
    """Body rows in document order (a paragraph is a one-cell row, a run of paragraphs typed
    with tabs that line up a table's rows: extractors/tab_rows.py), and each paragraph's
    kind."""
    walk = _BodyWalk(document)
    walk.blocks(document.element.body)
    return tabbed_rows(walk.rows, walk.raw, -1), walk.kinds


def unreached_tables(document, rows: list[GridRow], source_file: str) -> list:
    """An 'unread' fate for every Word table in the body that the row walk never reached (one
    inside a content control ``w:sdt``, or nested in another table's cell) and that prints
    money: such a table is reported, never silently skipped."""
    seen = {collapse(c.text) for r in rows for c in r.cells}
    infos = []
    tables = [t for t in document.element.body.iter(qn("w:tbl")) if not inside(t, FALLBACK)]
    for number, tbl in enumerate(tables, start=1):
        grid = [GridRow([Cell(collapse("".join(t.text or "" for t in tc.iter(qn("w:t")))))
                         for tc in tr.iterchildren(qn("w:tc"))], page=number)
                for tr in tbl.iter(qn("w:tr")) if tr.getparent() is tbl]
        if all(c.text in seen for r in grid for c in r.cells if c.text):
            continue  # every cell printed in a row read: so is every money cell
        where = ("inside a content control (w:sdt)" if inside(tbl, qn("w:sdt"))
                 else "in a text box (w:txbxContent)" if inside(tbl, qn("w:txbxContent"))
                 else "nested in a table cell" if inside(tbl, qn("w:tc")) else "")
        info = unreached_table_info(grid, source_file, number, seen, where)
        if info is not None:
            infos.append(info)
    return infos


def header_footer_text(document) -> list[TextBlock]:
    """Paragraphs of the page headers and footers (the annex line with date and number), on
    every kind of page (first, even, the others)."""
    seen: set[str] = set()
    blocks = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
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
        check_tables(path, settings)
        document = Document(str(path))
        rows, kinds = docx_to_rows(document)
        header_footer = header_footer_text(document) + notes_text(path)
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types for broken packages
        raise UnreadableDocumentError(
            str(path), f"cannot read the DOCX ({_brief(exc)}); save it again from Word"
        ) from exc
    read = grid_to_reading(rows, kinds, FrameContext(path.name, FORMAT, settings.max_amount_sek))
    found, text = read.tables, read.text + header_footer
    return Extraction(
        source_file=path.name, source_format=FORMAT, allocations=allocations_frame(found.rows),
        text=text, metadata=text_to_metadata(text), problems=found.problems, pages=0,
        attributes=attributes_frame(found.attributes), tables=found.tables,
        blocks=read.blocks + unreached_tables(document, read.rows, path.name), lists=read.lists)
