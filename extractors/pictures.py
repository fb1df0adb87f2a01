"""The pictures a document prints, for the control total: money printed in a picture is read by
nobody, so a page showing one is reported (pipeline/tally.py).

A PDF page's images (forms included) with their share of the page, and the text a page draws
as shapes instead of characters (`drawn_glyphs`); a DOCX body's drawings. The PDF pages are
walked by extractors/tally.py together with their text (`pdf_to_control`): one load of each page
for both.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from ctypes import c_float
from dataclasses import dataclass
from pathlib import Path

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_FORM_DEPTH = 15  # images inside forms inside forms


@dataclass(frozen=True)
class Picture:
    """A picture printed in a document: where, and how much of its page it covers."""

    page: int | None  # PDF page (1-based); None for DOCX
    share: float  # of the page's area, 0..1
    kind: str = "image"  # or "drawn_text": a page's text drawn as shapes
    glyphs: int = 0  # drawn_text: glyph shapes in rows
    characters: int = 0  # drawn_text: the page's real characters


def page_object_bounds(page) -> tuple[list[tuple], list[tuple]]:
    """The bounds (left, bottom, right, top) of every image and every path object of an open
    pypdfium2 page, forms walked where they are drawn (to MAX_FORM_DEPTH), in the order
    `page.get_objects` gives them; pdfium's own calls, without a Python object per object."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    found: dict[int, list[tuple]] = {c.FPDF_PAGEOBJ_IMAGE: [], c.FPDF_PAGEOBJ_PATH: []}
    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()

    def walk(count_objects, get_object, parent, level: int) -> None:
        count = count_objects(parent)
        if count < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for index in range(count):
            obj = get_object(parent, index)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = c.FPDFPageObj_GetType(obj)
            if kind in found:
                if not c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    raise pdfium.PdfiumError("Failed to locate pageobject.")
                found[kind].append((left.value, bottom.value, right.value, top.value))
            elif kind == c.FPDF_PAGEOBJ_FORM and level < MAX_FORM_DEPTH - 1:
                walk(c.FPDFFormObj_CountObjects, c.FPDFFormObj_GetObject, obj, level + 1)

    walk(c.FPDFPage_CountObjects, c.FPDFPage_GetObject, page.raw, 0)
    return found[c.FPDF_PAGEOBJ_IMAGE], found[c.FPDF_PAGEOBJ_PATH]


def page_images(number: int, size: tuple[float, float], images: list[tuple]) -> list[Picture]:
    """The images of a PDF page (their bounds) with their share of the page (its size)."""
    width, height = size
    found = []
    for left, bottom, right, top in images:
        share = (right - left) * (top - bottom) / max(width * height, 1.0)
        found.append(Picture(number, min(max(share, 0.0), 1.0)))
    return found


# Text drawn as shapes (a designer's "convert text to outlines", a PDF printed through a
# driver without fonts): each glyph is a small filled path, the glyphs of a line share their
# foot. A page with many such paths in rows and fewer real characters prints text nobody
# reads; a chart or a map draws large shapes or scattered small ones, not rows of glyphs.
GLYPH_MAX_HEIGHT_PT = 30.0
GLYPH_MAX_WIDTH_PT = 40.0
GLYPHS_PER_ROW = 8  # small paths sharing a foot (to 1 pt) that make a row of drawn glyphs
DRAWN_GLYPHS_AT = 200  # this many glyphs in such rows, more than the page's characters


def drawn_glyphs(shapes: list[tuple]) -> int:
    """How many of a page's path objects (their bounds) are glyph-sized shapes in rows."""
    feet = Counter(round(bottom) for left, bottom, right, top in shapes
                   if 0 < top - bottom <= GLYPH_MAX_HEIGHT_PT
                   and right - left <= GLYPH_MAX_WIDTH_PT)
    return sum(n for n in feet.values() if n >= GLYPHS_PER_ROW)


def drawn_text(number: int, shapes: list[tuple], characters) -> Picture | None:
    """A "drawn_text" picture for a page that draws more of its text as shapes than it prints
    as characters (`characters()` counts those, asked only when the shapes are many)."""
    glyphs = drawn_glyphs(shapes)
    if glyphs < DRAWN_GLYPHS_AT:
        return None
    count = characters()
    return Picture(number, 0.0, "drawn_text", glyphs, count) if count < glyphs else None


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
