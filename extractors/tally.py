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
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from extractors.decoding import decode_html, decode_text
from extractors.pictures import (
    Picture,
    docx_to_pictures,
    drawn_text,
    page_images,
    page_object_bounds,
)
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
    if not _DIGIT.search(line):
        return []  # every number shape starts with a digit
    quoted = " ".join(line.split())[:MAX_LINE_QUOTED]
    line = TOUCHING.sub("\\1\t\\2", line)
    shaped = list(MONEY_SHAPED.finditer(line))
    grouped = [m for m in shaped if not _is_count(line, m.end())]
    taken = [m.span() for m in shaped]
    plain = [m for m in PLAIN_NUMBER.finditer(line)
             if not any(s <= m.start() < e for s, e in taken) and not _is_count(line, m.end())]
    if plain and not _tabular(line, [m.span() for m in plain]):
        plain = []
    found = sorted(grouped + plain, key=lambda m: m.start())
    return [Tallied(m.group(0), page, quoted) for m in found]


_DIGIT = re.compile(r"\d")
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


def pdf_to_control(path: Path) -> tuple[list[Tallied], list[Picture]]:
    """Every page's money-shaped numbers, from its text as pdfium reads it (its own reading,
    not the layout's), and its pictures: the images of every page, then the pages that draw
    their text as shapes."""
    import pypdfium2 as pdfium

    found: list[Tallied] = []
    images: list[Picture] = []
    drawn: list[Picture] = []
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                text_page = page.get_textpage()
                try:
                    found += text_to_tallied(_page_text(text_page), index + 1)
                    image_bounds, shapes = page_object_bounds(page)
                    images += page_images(index + 1, page.get_size(), image_bounds)
                    picture = drawn_text(index + 1, shapes, text_page.count_chars)
                    if picture is not None:
                        drawn.append(picture)
                finally:
                    text_page.close()
            finally:
                page.close()
    finally:
        document.close()
    return found, images + drawn


def pdf_to_tallied(path: Path) -> list[Tallied]:
    """Every page's money-shaped numbers (`pdf_to_control`)."""
    return pdf_to_control(path)[0]


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


PICTURE_READERS = {"docx": docx_to_pictures}


def document_to_pictures(path: Path, source_format: str) -> list[Picture]:
    """The pictures of a PDF or DOCX (HTML pictures are the page's own; not counted), and for
    a PDF each page that draws its text as shapes (extractors/pictures.py), as a Picture of
    kind "drawn_text"."""
    if source_format == "pdf":
        return pdf_to_control(Path(path))[1]
    reader = PICTURE_READERS.get(source_format)
    return reader(Path(path)) if reader else []


def document_to_control(path: Path, source_format: str) -> tuple[list[Tallied], list[Picture]]:
    """The money-shaped numbers and the pictures of one document (a PDF's pages walked once
    for both)."""
    if source_format == "pdf":
        return pdf_to_control(Path(path))
    return document_to_tallied(path, source_format), document_to_pictures(path, source_format)
