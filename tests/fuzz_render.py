"""A rendering fuzzer: allocation tables drawn under random layouts, to PDF, DOCX and HTML.

`random_layout(seed)` draws the layout parameters: page size and orientation, font and size,
amount column width (narrow columns wrap headers, inside a word too), amount and header
alignment, digit groups as separate runs, the group separator (space, no-break, thin or narrow
no-break space), "kr" in the cells or only in a caption, ruling lines, title and header repeated
on every page or not, "(forts.)" on continued titles, page furniture (running header and "Sida
N"), spacer rows, a group header over two columns, tables by name without codes, two tables on
one page and running text between them. `tables_for(layout)` gives the truth tables to draw:
the 2024 Bilaga 1 (fixtures/sources/truth/2024) or a synthetic year with other measures and
amounts. `render_pdf`, `render_docx` and `render_html` draw them; the tests read them back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from truth_tables import KINDS, TITLES, Table, truth_table

ANNEX_HEADER = "Bilaga 1 till beslut vid regeringssammanträde 2024-03-27 nr I:6"
SEPARATORS = (" ", "\u00a0", "\u2009", "\u202f")
# Glyph names pdfminer maps back to the separators, each written as its own glyph followed by
# the kern that makes up its advance: the standard fonts draw the no-break space as wide as the
# space (as Ghostscript, pdfium and poppler do, and extractors/standard_fonts.py reads it), and
# nothing for the thin spaces.
_SPECIAL = {"\u00a0": (0xA0, "nbspace"), "\u2009": (0x81, "uni2009"), "\u202f": (0x8D, "uni202F")}
_SPECIAL_ADVANCE = {"\u00a0": 1.0, "\u2009": 0.5, "\u202f": 0.6}  # in space widths
_SPECIAL_GLYPH = {"\u00a0": 1.0, "\u2009": 0.0, "\u202f": 0.0}  # the glyph's own width, same
FONTS = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "Courier": "Courier-Bold"}
SUFFIX = "-Fuzz"
SYNTHETIC_MEASURES = ("Tillgänglighet i primärvården", "Insatser för äldre med psykisk ohälsa",
                      "Stöd till anhöriga", "Samverkan med elevhälsan", "Digitala vårdtjänster",
                      "Glesbygdstillägg")
TOTAL = "Totalt belopp"


def _register_fonts() -> None:
    encoding = pdfmetrics.Encoding("WinAnsiFuzz", "WinAnsiEncoding")
    for byte, name in _SPECIAL.values():
        encoding[byte] = name
    pdfmetrics.registerEncoding(encoding)
    for base in (*FONTS, *FONTS.values()):
        font = pdfmetrics.Font(base + SUFFIX, base, "WinAnsiFuzz")
        pdfmetrics.registerFont(font)


_register_fonts()


@dataclass(frozen=True)
class Layout:
    """Every parameter of one rendering; `random_layout` draws them from a seed."""

    seed: int
    page: tuple[float, float]
    font: str
    size: float
    align: str  # amounts: right, left or centre
    header_align: str
    header_valign: str  # header cells: top or bottom
    runs: bool  # each digit group and "kr" drawn as a run of its own
    sep: str
    unit_in_cells: bool
    rules: str  # none, rows or grid
    repeat_header: bool
    forts: bool
    furniture: bool
    spacers: bool
    col_width: float
    hyphenate: bool  # header words cut with a hyphen (else cut without one)
    same_page: bool  # the next table follows on the same page when there is room
    text_between: bool
    group_header: bool
    names_only: bool
    synthetic: bool
    kinds: tuple[str, ...]

    @property
    def bold(self) -> str:
        return FONTS[self.font]


def random_layout(seed: int) -> Layout:
    """The layout of one seed (the same seed always gives the same layout)."""
    rng = random.Random(seed)
    size = rng.choice((7.0, 8.0, 9.0, 10.0))
    page = rng.choice((A4, letter))
    kinds = tuple(k for k in KINDS if rng.random() < (0.35 if k == "kommun" else 0.8)) or (
        "region",)
    return Layout(
        seed=seed, page=landscape(page) if rng.random() < 0.3 else page,
        font=rng.choice(tuple(FONTS)), size=size,
        align=rng.choice(("right", "right", "left", "centre")),
        header_align=rng.choice(("right", "left", "centre")),
        header_valign=rng.choice(("top", "bottom")), runs=rng.random() < 0.4,
        sep=rng.choice(SEPARATORS), unit_in_cells=rng.random() < 0.6,
        rules=rng.choice(("none", "none", "rows", "grid")), repeat_header=rng.random() < 0.75,
        forts=rng.random() < 0.4, furniture=rng.random() < 0.6, spacers=rng.random() < 0.3,
        col_width=rng.uniform(0.0, 1.0), hyphenate=rng.random() < 0.3,
        same_page=rng.random() < 0.5, text_between=rng.random() < 0.6,
        group_header=rng.random() < 0.2, names_only=rng.random() < 0.2,
        synthetic=rng.random() < 0.4, kinds=kinds)


def synthetic_table(table: Table, rng: random.Random) -> Table:
    """Another year: the same recipients, other measures and amounts, Riket the exact sums."""
    measures = tuple(rng.sample(SYNTHETIC_MEASURES, rng.randint(1, 4)))
    body = []
    for code, name, _ in table.rows[:-1]:
        amounts = [rng.randint(40_000, 40_000_000) for _ in measures]
        body.append((code, name, (*amounts, sum(amounts))))
    riket = tuple(sum(r[2][i] for r in body) for i in range(len(measures) + 1))
    return replace(table, measures=(*measures, TOTAL),
                   rows=(*body, (table.rows[-1][0], table.rows[-1][1], riket)))


def tables_for(layout: Layout) -> list[Table]:
    """The truth tables the layout draws, in print order."""
    rng = random.Random(layout.seed * 7919 + 1)
    tables = [truth_table(kind) for kind in layout.kinds]
    return [synthetic_table(t, rng) for t in tables] if layout.synthetic else tables


def amount_text(value: int, layout: Layout) -> str:
    groups = f"{value:,}".split(",")
    return layout.sep.join(groups) + (" kr" if layout.unit_in_cells else "")


def _width(text: str, font: str, size: float) -> float:
    plain = "".join(" " if ch in _SPECIAL else ch for ch in text)
    extra = sum((_SPECIAL_ADVANCE[ch] - 1) * stringWidth(" ", font, size)
                for ch in text if ch in _SPECIAL)
    return stringWidth(plain, font, size) + extra


def wrap(text: str, font: str, size: float, width: float, hyphenate: bool) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the line is cut inside (with a hyphen
    when hyphenate), as word processors and spreadsheets do."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}".strip()
        if _width(trial, font, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
            current = ""
        while _width(word, font, size) > width and len(word) > 2:
            cut = len(word) - 1
            mark = "-" if hyphenate else ""
            while cut > 1 and _width(word[:cut] + mark, font, size) > width:
                cut -= 1
            lines.append(word[:cut] + mark)
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


class _Pdf:
    """Draws text runs with the fuzzer's fonts (special spaces written as their own glyphs)."""

    def __init__(self, path: Path, layout: Layout) -> None:
        self.layout = layout
        self.canvas = Canvas(str(path), pagesize=layout.page, invariant=1)
        self.width, self.height = layout.page
        self.page_no = 1

    def text(self, x: float, y: float, text: str, bold: bool = False, size: float | None = None,
             align: str = "left") -> None:
        font = (self.layout.bold if bold else self.layout.font) + SUFFIX
        size = size or self.layout.size
        width = _width(text, font, size)
        x = {"left": x, "right": x - width, "centre": x - width / 2}[align]
        self.canvas.setFont(font, size)
        name = self.canvas._doc.getInternalFontName(font)
        space = pdfmetrics.getFont(font).widths[0x20]
        items, chunk = [], b""
        for ch in text:
            if ch in _SPECIAL:
                items.append(_pdf_string(chunk + bytes([_SPECIAL[ch][0]])))
                kern = space * (_SPECIAL_ADVANCE[ch] - _SPECIAL_GLYPH[ch])
                if kern:
                    items.append(f"-{kern:g}")
                chunk = b""
            else:
                chunk += ch.encode("cp1252")
        items.append(_pdf_string(chunk))
        self.canvas._code.append(
            f"BT {name} {size:g} Tf 1 0 0 1 {x:.3f} {y:.3f} Tm [{' '.join(items)}] TJ ET")

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.canvas.setLineWidth(0.5)
        self.canvas.line(x0, y0, x1, y1)

    def new_page(self) -> None:
        self.furniture()
        self.canvas.showPage()
        self.page_no += 1

    def furniture(self) -> None:
        if self.layout.furniture:
            self.text(self.width - 40, self.height - 28, ANNEX_HEADER, size=8, align="right")
            self.text(self.width / 2, 22, f"Sida {self.page_no}", size=8, align="centre")

    def save(self) -> None:
        self.furniture()
        self.canvas.save()


def _pdf_string(data: bytes) -> str:
    out = []
    for byte in data:
        char = chr(byte)
        out.append("\\" + char if char in "()\\" else char if 32 <= byte < 127
                   else f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


@dataclass
class _Grid:
    """Column positions of one table on the page."""

    x: list[float]  # left edge of each column: code, name, amounts...
    widths: list[float]
    pad: float


def _grid(table: Table, layout: Layout, page_width: float) -> _Grid:
    font, size = layout.font + SUFFIX, layout.size
    pad = size * 0.5
    code_w = 0.0 if layout.names_only else max(
        _width(t, font, size) for t in [table.code_header] + [r[0] for r in table.rows]) + 2 * pad
    name_w = max(_width(t, layout.bold + SUFFIX, size)
                 for t in [table.name_header] + [r[1] for r in table.rows]) + 2 * pad
    widest = max(_width(amount_text(v, layout), layout.bold + SUFFIX, size)
                 for r in table.rows for v in r[2]) + 2 * pad
    room = page_width - 80 - code_w - name_w
    n = len(table.measures)
    col = max(widest, min(room / n, widest + layout.col_width * 70))
    widths = [code_w, name_w] + [col] * n
    x, xs = 40.0, []
    for w in widths:
        xs.append(x)
        x += w
    return _Grid(xs, widths, pad)


def render_pdf(path: Path, layout: Layout, tables: list[Table]) -> Path:
    """The tables as a PDF drawn with reportlab under the layout."""
    pdf = _Pdf(path, layout)
    y = pdf.height - 60
    pitch = layout.size * 1.6
    for index, table in enumerate(tables):
        if index and not (layout.same_page and y > 220):
            pdf.new_page()
            y = pdf.height - 60
        if layout.text_between:
            y = _paragraph(pdf, y, _intro(table))
        y = _draw_table(pdf, table, layout, y, pitch)
        y -= 3 * pitch
    pdf.save()
    return path


def _intro(table: Table) -> str:
    return (f"Medlen till {TITLES[table.kind].lower()} fördelas enligt tabellen nedan: "
            + ", ".join(table.measures) + ".")


def _paragraph(pdf: _Pdf, y: float, text: str) -> float:
    for line in wrap(text, pdf.layout.font + SUFFIX, pdf.layout.size, pdf.width - 80, False):
        pdf.text(40, y, line)
        y -= pdf.layout.size * 1.3
    return y - pdf.layout.size


def _header(pdf: _Pdf, table: Table, grid: _Grid, y: float, continued: bool) -> float:
    """Title, caption, group header and the wrapped header band; returns the y of row one."""
    layout, size = pdf.layout, pdf.layout.size
    title = table.title + (" (forts.)" if continued and layout.forts else "")
    pdf.text(40, y, title, bold=True, size=size + 2)
    y -= size * 2
    if not layout.unit_in_cells:
        pdf.text(40, y, "Belopp i kronor")
        y -= size * 1.8
    font = layout.bold + SUFFIX
    labels = ([] if layout.names_only else [table.code_header]) + [table.name_header]
    first = 1 if layout.names_only else 0
    cells = [[t] for t in labels] + [
        wrap(m, font, size, grid.widths[2] - 2 * grid.pad, layout.hyphenate)
        for m in table.measures]
    if layout.group_header and len(table.measures) >= 3:
        left, right = grid.x[2], grid.x[3] + grid.widths[3]
        pdf.text((left + right) / 2, y, "Medel, kronor", bold=True, align="centre")
        y -= size * 1.4
    depth = max(len(c) for c in cells)
    lead = size * 1.15
    for k, lines in enumerate(cells):
        col = first + k
        offset = depth - len(lines) if layout.header_valign == "bottom" else 0
        for i, text in enumerate(lines):
            x, align = _cell_x(grid, col, layout.header_align if col >= 2 else "left")
            pdf.text(x, y - (offset + i) * lead, text, bold=True, align=align)
    y -= depth * lead + size * 0.6
    if layout.rules != "none":
        pdf.line(40, y + size, grid.x[-1] + grid.widths[-1], y + size)
    return y


def _cell_x(grid: _Grid, col: int, align: str) -> tuple[float, str]:
    x0, w = grid.x[col], grid.widths[col]
    return {"left": (x0 + grid.pad, "left"), "right": (x0 + w - grid.pad, "right"),
            "centre": (x0 + w / 2, "centre")}[align]


def _draw_table(pdf: _Pdf, table: Table, layout: Layout, y: float, pitch: float) -> float:
    grid = _grid(table, layout, pdf.width)
    y = _header(pdf, table, grid, y, continued=False)
    for number, (code, name, amounts) in enumerate(table.rows):
        if y < 50 + pitch:
            pdf.new_page()
            y = pdf.height - 60
            if layout.repeat_header:
                y = _header(pdf, table, grid, y, continued=True)
        riket = number == len(table.rows) - 1
        _draw_row(pdf, grid, layout, y, code, name, amounts, riket)
        if layout.rules != "none":
            pdf.line(40, y - pitch * 0.3, grid.x[-1] + grid.widths[-1], y - pitch * 0.3)
            if layout.rules == "grid":
                for x in grid.x[1:]:
                    pdf.line(x, y - pitch * 0.3, x, y + pitch * 0.7)
        y -= pitch
        if layout.spacers and number % 7 == 6 and not riket:
            y -= pitch  # a blank spacer row
    return y


def _draw_row(pdf: _Pdf, grid: _Grid, layout: Layout, y: float, code: str, name: str,
              amounts: tuple[int, ...], riket: bool) -> None:
    if not layout.names_only and code:
        pdf.text(grid.x[0] + grid.pad, y, code, bold=riket)
    pdf.text(grid.x[1] + grid.pad, y, name, bold=riket)
    for i, value in enumerate(amounts):
        text = amount_text(value, layout)
        x, align = _cell_x(grid, 2 + i, layout.align)
        if not layout.runs:
            pdf.text(x, y, text, bold=riket, align=align)
            continue
        font = (layout.bold if riket else layout.font) + SUFFIX
        start = {"left": x, "right": x - _width(text, font, layout.size),
                 "centre": x - _width(text, font, layout.size) / 2}[align]
        gaps = [layout.sep] * (len(text.split(layout.sep)) - 1)
        pieces = text.split(layout.sep)
        if layout.unit_in_cells and layout.sep != " ":  # "kr" a run of its own, a space apart
            pieces[-1:], gaps = pieces[-1].rsplit(" ", 1), gaps + [" "]
        for piece, gap in zip(pieces, gaps + [""], strict=True):  # each digit group a run,
            pdf.text(start, y, piece + gap, bold=riket)  # its separator at its end (as Word)
            start += _width(piece + gap, font, layout.size)


def render_docx(path: Path, layout: Layout, tables: list[Table]) -> Path:
    """The tables as Word tables: a title paragraph, a header row (repeated on every page when
    the layout says so, under a merged group header cell when it has one), one row per
    recipient; running text between when the layout says so."""
    doc = Document()
    for table in tables:
        if layout.text_between:
            doc.add_paragraph(_intro(table))
        doc.add_paragraph(table.title).runs[0].bold = True
        if not layout.unit_in_cells:
            doc.add_paragraph("Belopp i kronor")
        labels = ([] if layout.names_only else [table.code_header]) + [table.name_header]
        header = labels + list(table.measures)
        group = layout.group_header and len(table.measures) >= 2
        word_table = doc.add_table(rows=2 if group else 1, cols=len(header))
        if group:  # "Medel, kronor" merged over the first two amount columns
            first = word_table.rows[0].cells[len(labels)]
            first.merge(word_table.rows[0].cells[len(labels) + 1]).text = "Medel, kronor"
        for cell, text in zip(word_table.rows[-1].cells, header, strict=True):
            cell.text = text
        if layout.repeat_header:
            for row in word_table.rows:
                mark = OxmlElement("w:tblHeader")
                mark.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(mark)
        for number, (code, name, amounts) in enumerate(table.rows):
            cells = word_table.add_row().cells
            texts = ([] if layout.names_only else [code]) + [name] + [
                amount_text(v, layout) for v in amounts]
            for k, (cell, text) in enumerate(zip(cells, texts, strict=True)):
                cell.text = text
                if k >= len(labels) and layout.align != "left":
                    cell.paragraphs[0].alignment = (
                        WD_ALIGN_PARAGRAPH.RIGHT if layout.align == "right"
                        else WD_ALIGN_PARAGRAPH.CENTER)
            if layout.spacers and number % 7 == 6 and number < len(table.rows) - 1:
                word_table.add_row()
        doc.add_paragraph("")
    doc.save(str(path))
    return path


def render_html(path: Path, layout: Layout, tables: list[Table]) -> Path:
    """The tables as one HTML page: a heading, a caption with the unit when the cells print
    none, <thead> and <tbody>, running text between when the layout says so."""
    parts = ["<!doctype html><html lang='sv'><head><meta charset='utf-8'></head><body>"]
    for table in tables:
        if layout.text_between:
            parts.append(f"<p>{escape(_intro(table))}</p>")
        parts.append(f"<h2>{escape(table.title)}</h2><table>")
        if not layout.unit_in_cells:
            parts.append("<caption>Belopp i kronor</caption>")
        labels = ([] if layout.names_only else [table.code_header]) + [table.name_header]
        parts.append("<thead>")
        if layout.group_header and len(table.measures) >= 2:  # over the first two columns
            rest = len(table.measures) - 2
            parts.append(f"<tr><th colspan='{len(labels)}'></th><th colspan='2'>Medel, kronor"
                         "</th>" + (f"<th colspan='{rest}'></th>" if rest else "") + "</tr>")
        parts.append("<tr>" + "".join(f"<th>{escape(t)}</th>"
                                             for t in labels + list(table.measures))
                     + "</tr></thead><tbody>")
        for number, (code, name, amounts) in enumerate(table.rows):
            texts = ([] if layout.names_only else [code]) + [name]
            cells = [escape(t) for t in texts] + [escape(amount_text(v, layout)) for v in amounts]
            parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            if layout.spacers and number % 7 == 6 and number < len(table.rows) - 1:
                parts.append("<tr>" + "<td></td>" * len(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path
