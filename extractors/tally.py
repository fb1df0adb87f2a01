"""An independent count of the money-shaped numbers a document prints: the control total.

The format readers rebuild tables from positions, cells and words; when a layout defeats them,
the money they did not see must not vanish. This module reads each document a second, simpler
way — the plain text of every PDF page (pdfium), every paragraph and table cell of a DOCX, the
text of an HTML page, the lines of a text file — and lists the numbers printed the way money is
printed: digit groups of three after one to three digits, with a space, a no-break or thin
space, a comma or a period between them (`475 568`, `1 527 000 000`, `11,154,061`), optionally
with öre or a decimal (`6 199 701,00`, `164 423,2`). The pipeline compares these with what the
readers accounted for; a number left over is printed money nothing read.

Numbers printed without groups count where the line is tabular (two numbers or more, or the
number alone on its line, as a table cell): whole numbers of five digits or more (38729708, as a
spreadsheet's General format prints them) and numbers with a decimal comma (129,5 Mkr). Years,
codes (`2584`, `0114`), dates, diarienummer and shares (`13,74 %`) are no money shape.

Each number is a `Tallied` with its place (PDF page, or None) and the text of its line, so a
finding can quote where it stands.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from extractors.decoding import decode_html, decode_text
from extractors.vocabulary import count_nouns

# One to three digits, then groups of three joined by one kind of separator, then an optional
# decimal part after the other kind. Not preceded or followed by a digit or a separator-digit
# run, so `2024-03-27`, `S2024/00330` and `08-405 10 00` hold none.
_SPACES = " \u00a0\u202f\u2009\u2007"
MONEY_SHAPED = re.compile(
    r"(?<![\d.,])"
    rf"(\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d{{1,3}}(?:,\d{{3}}){{2,}}|\d{{1,3}}(?:\.\d{{3}}){{2,}})"
    rf"(?:([,.])(\d{{1,2}})(?!\d))?"
    r"(?!\d|[.,]\d)")
MAX_LINE_QUOTED = 120  # characters of a line quoted in a finding
def _is_count(line: str, end: int) -> bool:
    """A number that counts something ("1 100 personer", "2,4 miljoner nya böcker"): the
    statement reader's rule and vocabulary (vocabulary/words.toml, [count_nouns])."""
    return count_nouns().counts_after(line[end:])


@dataclass(frozen=True)
class Tallied:
    """One money-shaped number as printed, where it stands and the line it is on."""

    text: str  # as printed, e.g. "475 568" or "164 423,2"
    page: int | None  # PDF page (1-based); None where the format has no pages
    line: str  # its line (or paragraph, or table row) as printed, shortened

    @property
    def digits(self) -> str:
        """Its digits without separators or leading zeros: what it is compared by."""
        return re.sub(r"\D", "", self.text).lstrip("0") or "0"


# Numbers printed without digit groups, counted only where a line is tabular (see
# `_tabular`): whole numbers of five digits or more not starting with 0 (an Excel "General"
# cell, 38729708; years, codes and page numbers are shorter or start with 0) and numbers with a
# decimal comma (129,5 Mkr). Not beside letters, dashes, slashes or colons (S2024/00330,
# 2024-03-27, 08-405), nor followed by a percent sign (a share, read as an attribute).
PLAIN_NUMBER = re.compile(
    r"(?<![\w.,/:\u2010-\u2015-])([1-9]\d{4,}|\d{1,4},\d{1,2})(?![\w/:\u2010-\u2015-]|[.,]\d)"
    r"(?!\s*(?:%|procent))")
_ANY_NUMBER = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d(?![\d.,]))\d+(?:[,.]\d+)?")  # no years


def _tabular(line: str, spans: list[tuple[int, int]]) -> bool:
    """A line as a table prints it: two numbers or more (a year is no cell of a table row), or
    a number standing alone (a cell on a line of its own, as div grids and spreadsheets give
    it), possibly with a unit."""
    rest = line
    for start, end in reversed(spans):
        rest = rest[:start] + " " + rest[end:]
    numbers = len(spans) + len(_ANY_NUMBER.findall(rest))
    return numbers >= 2 or (len(spans) == 1 and len(re.sub(r"(?i)\b(kr|tkr|mkr|kronor)\b|[\W_]",
                                                             "", rest)) == 0)


# Two grouped amounts of neighbouring cells printed with no gap ("23 261 868164 423 176", a
# table without cell padding): an inner group of four to six digits after other groups, both
# sides well grouped, is where one cell ends (its first three digits end the left amount).
TOUCHING = re.compile(
    rf"(?<![\d.,])(\d{{1,3}}(?:[{_SPACES}]\d{{3}})*[{_SPACES}]\d{{3}})"
    rf"(\d{{1,3}}(?:[{_SPACES}]\d{{3}})+)(?![\d]|[.,]\d)")


def line_to_tallied(line: str, page: int | None) -> list[Tallied]:
    """The money-shaped numbers of one line of text: grouped ones anywhere, plain ones where
    the line is tabular; amounts of touching cells apart (`TOUCHING`)."""
    quoted = " ".join(line.split())[:MAX_LINE_QUOTED]
    line = TOUCHING.sub("\\1\t\\2", line)
    grouped = [m for m in MONEY_SHAPED.finditer(line) if not _is_count(line, m.end())]
    taken = [m.span() for m in MONEY_SHAPED.finditer(line)]
    plain = [m for m in PLAIN_NUMBER.finditer(line)
             if not any(s <= m.start() < e for s, e in taken) and not _is_count(line, m.end())]
    if plain and not _tabular(line, [m.span() for m in plain]):
        plain = []
    found = sorted(grouped + plain, key=lambda m: m.start())
    return [Tallied(m.group(0), page, quoted) for m in found]


_BARE_END = re.compile(rf"(?<![\d.,])(?<!\d[{_SPACES}])\d{{1,3}}$")
_GROUP_START = re.compile(rf"^\d{{3}}[{_SPACES}]\d{{3}}(?!\d)")


def _joined_lines(text: str) -> list[str]:
    """The text's lines, with a number broken at a line's end joined again ("betala ut 33" /
    "000 000 kronor"): a line of words ending in one to three bare digits and a next line
    starting with digit groups. A line of digits alone is a table cell's last line ("23 261" /
    "868" over the next cell's "164 423"), not a sentence broken inside a number."""
    lines: list[str] = []
    for line in text.splitlines():
        if lines and _BARE_END.search(lines[-1].rstrip()) and _GROUP_START.match(line.lstrip()) \
                and any(ch.isalpha() for ch in lines[-1]):
            lines[-1] = f"{lines[-1].rstrip()} {line.lstrip()}"
        else:
            lines.append(line)
    return lines


def text_to_tallied(text: str, page: int | None) -> list[Tallied]:
    """The money-shaped numbers of a text, line by line."""
    return [t for line in _joined_lines(text) for t in line_to_tallied(line, page)]


_SPACE_RUN = re.compile(rf"(?<=\d)[{_SPACES}]+(?=\d)")
CELL_GAP = 1.4  # white space between two digits wider than this many digit heights: two cells


def _page_text(text_page) -> str:
    """A page's text with a tab where the white space between two digits is wider than a
    thousands separator: plain text joins "475 568" and the next cell's "1 440" with a space,
    but the glyph boxes tell a digit group from the next column. A run of white space (pdfium
    adds a space after a no-break space) counts as one."""
    count = text_page.count_chars()
    text = text_page.get_text_range()
    if len(text) != count:  # characters pdfium counts differently: keep its plain text
        return text
    chars = list(text)
    for run in _SPACE_RUN.finditer(text):
        start, end = run.span()
        left, right = text_page.get_charbox(start - 1), text_page.get_charbox(end)
        height = max(left[3] - left[1], right[3] - right[1], 0.1)
        if right[0] - left[2] > CELL_GAP * height:
            chars[start:end] = ["\t"] + [""] * (end - start - 1)
        elif end - start > 1:
            chars[start:end] = [" "] + [""] * (end - start - 1)
    return "".join(chars)


def pdf_to_tallied(path: Path) -> list[Tallied]:
    """Every page's text as pdfium reads it (its own reading, not the layout's)."""
    import pypdfium2 as pdfium

    found: list[Tallied] = []
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            try:
                found += text_to_tallied(_page_text(text_page), index + 1)
            finally:
                text_page.close()
                page.close()
    finally:
        document.close()
    return found


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_tallied(path: Path) -> list[Tallied]:
    """Every paragraph of the DOCX body (table cells, text boxes and content controls too), of
    its footnotes and endnotes and of its page headers and footers."""
    from lxml import etree

    from extractors.word_parts import FALLBACK, inside, part_paragraphs, running_text_parts

    found: list[Tallied] = []
    with zipfile.ZipFile(path) as archive:
        with archive.open("word/document.xml") as part:
            for _, element in etree.iterparse(part, events=("end",), tag=f"{_W}p",
                                              resolve_entities=False, no_network=True):
                if inside(element, FALLBACK):  # a text box's VML copy of its mc:Choice
                    element.clear(keep_tail=True)
                    continue
                text = "".join(
                    node.text or "" if node.tag == f"{_W}t" else "\t"
                    for node in element.iter(f"{_W}t", f"{_W}tab"))
                found += line_to_tallied(text, None)
                element.clear(keep_tail=True)
        for name in running_text_parts(archive.namelist()):
            for text in part_paragraphs(archive, name):
                found += line_to_tallied(text, None)
    return found


class _HtmlText(HTMLParser):
    """The text of an HTML page, one line per block element, without scripts and styles."""

    BREAKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                        "table", "section", "article", "dd", "dt", "caption", "ul", "ol",
                        "blockquote", "pre", "header", "footer"})
    CELLS = frozenset({"td", "th"})
    HIDDEN = frozenset({"script", "style", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
        elif tag in self.CELLS:
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")
        elif tag in self.CELLS:
            self.parts.append("\t")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data.replace("\n", " "))


def html_to_tallied(path: Path) -> list[Tallied]:
    """The page's text as a browser would show it, one line per block."""
    parser = _HtmlText()
    parser.feed(decode_html(path.read_bytes()).text)
    parser.close()
    return text_to_tallied("".join(parser.parts), None)


def plaintext_to_tallied(path: Path) -> list[Tallied]:
    """The lines of a text or Markdown file (table pipes separate cells)."""
    return text_to_tallied(decode_text(path.read_bytes()).text.replace("|", "\t"), None)


READERS = {"pdf": pdf_to_tallied, "docx": docx_to_tallied, "html": html_to_tallied,
           "txt": plaintext_to_tallied}


def document_to_tallied(path: Path, source_format: str) -> list[Tallied]:
    """The money-shaped numbers of one document, read by the format's plain-text route."""
    reader = READERS.get(source_format)
    return reader(Path(path)) if reader else []


@dataclass(frozen=True)
class Picture:
    """A picture printed in a document: where, and how much of its page it covers."""

    page: int | None  # PDF page (1-based); None for DOCX
    share: float  # of the page's area, 0..1
    kind: str = "image"  # or "drawn_text": a page's text drawn as shapes
    glyphs: int = 0  # drawn_text: glyph shapes in rows
    characters: int = 0  # drawn_text: the page's real characters


def pdf_page_objects(path: Path, kind: str) -> Iterator[tuple[int, Any, list[tuple]]]:
    """Each PDF page: its number, the open pdfium page, and the bounds (left, bottom, right,
    top) of every object of one kind on it ("image" or "path"), forms included."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    object_type = {"image": pdfium_c.FPDF_PAGEOBJ_IMAGE, "path": pdfium_c.FPDF_PAGEOBJ_PATH}[kind]
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                yield index + 1, page, [o.get_bounds() for o in page.get_objects(
                    filter=(object_type,), max_depth=MAX_FORM_DEPTH)]
            finally:
                page.close()
    finally:
        document.close()


def pdf_to_pictures(path: Path) -> list[Picture]:
    """Every image drawn on each PDF page (forms included), with its share of the page."""
    found = []
    for number, page, images in pdf_page_objects(path, "image"):
        width, height = page.get_size()
        for left, bottom, right, top in images:
            share = (right - left) * (top - bottom) / max(width * height, 1.0)
            found.append(Picture(number, min(max(share, 0.0), 1.0)))
    return found

EMU_PER_PT = 12700
TWIPS_PER_PT = 20
A4_PT = (595.0, 842.0)


def docx_to_pictures(path: Path) -> list[Picture]:
    """Every drawing in the DOCX body, with its share of the page (the section's page size).
    A text box (its text in w:txbxContent, read and tallied as text) is no picture."""
    from lxml import etree

    extents: list[tuple[float, float]] = []
    page = A4_PT
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as part:
        for _, element in etree.iterparse(part, events=("end",), tag=(
                f"{wp}inline", f"{wp}anchor", f"{_W}pgSz"),
                resolve_entities=False, no_network=True):
            if element.tag == f"{_W}pgSz":
                width = float(element.get(f"{_W}w") or 0) / TWIPS_PER_PT
                height = float(element.get(f"{_W}h") or 0) / TWIPS_PER_PT
                if width > 0 and height > 0:
                    page = (width, height)
                continue
            extent = element.find(f"{wp}extent")
            if extent is not None and next(element.iter(f"{_W}txbxContent"), None) is None:
                extents.append((float(extent.get("cx") or 0) / EMU_PER_PT,
                                float(extent.get("cy") or 0) / EMU_PER_PT))
    area = page[0] * page[1]
    return [Picture(None, min(w * h / area, 1.0)) for w, h in extents]


PICTURE_READERS = {"pdf": pdf_to_pictures, "docx": docx_to_pictures}
MAX_FORM_DEPTH = 15  # images inside forms inside forms


def document_to_pictures(path: Path, source_format: str) -> list[Picture]:
    """The pictures of a PDF or DOCX (HTML pictures are the page's own; not counted), and for
    a PDF each page that draws its text as shapes (`pdf_to_drawn_text_pages`), as a Picture
    of kind "drawn_text"."""
    reader = PICTURE_READERS.get(source_format)
    found = reader(Path(path)) if reader else []
    if source_format == "pdf":
        found += [Picture(page, 0.0, "drawn_text", glyphs, characters)
                  for page, glyphs, characters in pdf_to_drawn_text_pages(Path(path))]
    return found


# Text drawn as shapes (a designer's "convert text to outlines", a PDF printed through a
# driver without fonts): each glyph is a small filled path, the glyphs of a line share their
# foot. A page with many such paths in rows and fewer real characters prints text nobody
# reads; a chart or a map draws large shapes or scattered small ones, not rows of glyphs.
GLYPH_MAX_HEIGHT_PT = 30.0
GLYPH_MAX_WIDTH_PT = 40.0
GLYPHS_PER_ROW = 8  # small paths sharing a foot (to 1 pt) that make a row of drawn glyphs
DRAWN_GLYPHS_AT = 200  # this many glyphs in such rows, more than the page's characters


def pdf_to_drawn_text_pages(path: Path) -> list[tuple[int, int, int]]:
    """(page, glyphs drawn as shapes in rows, characters) of each page that draws more of its
    text as shapes than it prints as characters."""
    found = []
    for number, page, shapes in pdf_page_objects(path, "path"):
        feet = Counter(round(bottom) for left, bottom, right, top in shapes
                       if 0 < top - bottom <= GLYPH_MAX_HEIGHT_PT
                       and right - left <= GLYPH_MAX_WIDTH_PT)
        glyphs = sum(n for n in feet.values() if n >= GLYPHS_PER_ROW)
        if glyphs >= DRAWN_GLYPHS_AT:
            text_page = page.get_textpage()
            characters = text_page.count_chars()
            text_page.close()
            if characters < glyphs:
                found.append((number, glyphs, characters))
    return found
